export { Campaign, CampaignType, Disposition, OutOfHoursAction } from './campaign.entity.js';
export { getCampaign } from './campaigns.service.js';
export { fillScreenPop } from './screen-pop.js';
export { CampaignResolver } from './campaign.resolver.js';
