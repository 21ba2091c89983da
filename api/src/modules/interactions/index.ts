export { Channel, Direction, Interaction, InteractionOffer, InteractionState, Message } from './interaction.entity.js';
export { INTERACTION_EVENT, InteractionEventKind } from './interaction.events.js';
export { InteractionType } from './interaction.type.js';
export { toInteractionType, toMessageSnapshot } from './interactions.service.js';
export type { MessageSnapshot } from './interaction.events.js';
export { ContactInteractionsResolver, InteractionResolver } from './interaction.resolver.js';
export { purgeExpired, registerRetentionJobs } from './retention.js';
