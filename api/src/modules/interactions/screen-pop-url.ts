import type { Em } from '../../platform/db/orm.js';
import { Campaign } from '../campaigns/campaign.entity.js';
import { fillScreenPop } from '../campaigns/screen-pop.js';
import { Contact, ContactIdentifier } from '../contacts/contact.entity.js';
import { IdentifierKind } from '../contacts/identifiers.js';
import { User } from '../identity/user.entity.js';
import type { InteractionType } from './interaction.type.js';

/**
 * The campaign's screen pop-up template filled for one interaction (customer, campaign, agent),
 * or null when the campaign has none. Values are URL-encoded by `fillScreenPop`.
 */
export async function screenPopUrl(em: Em, tenantId: string, i: InteractionType): Promise<string | null> {
  const campaign = i.campaignId ? await em.findOne(Campaign, { id: i.campaignId, tenant: tenantId }) : null;
  if (!campaign?.screenPopUrlTemplate) return null;
  const contact = i.contactId ? await em.findOne(Contact, { id: i.contactId, tenant: tenantId }) : null;
  const identifiers = contact ? await em.find(ContactIdentifier, { contact: contact.id, tenant: tenantId }, { orderBy: { id: 'asc' } }) : [];
  const agent = i.agentId ? await em.findOne(User, { id: i.agentId, tenant: tenantId }) : null;
  const first = (kind: IdentifierKind) => identifiers.find((x) => x.kind === kind)?.value;
  return fillScreenPop(campaign.screenPopUrlTemplate, {
    'customer.id': contact?.id,
    'customer.name': contact?.name,
    'customer.phone': first(IdentifierKind.PHONE) ?? first(IdentifierKind.WHATSAPP),
    'customer.email': first(IdentifierKind.EMAIL),
    'interaction.id': i.id,
    'interaction.channel': i.channel,
    'campaign.id': campaign.id,
    'campaign.name': campaign.name,
    'agent.id': agent?.id,
    'agent.email': agent?.email,
  });
}
