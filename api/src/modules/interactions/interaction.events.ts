/** Published per tenant after an interaction changed and the change committed. */
export const INTERACTION_EVENT = 'INTERACTION_EVENT';

/**
 * The same events, published again per interaction (dynamic id: the interaction id), so the one
 * subscriber of a conversation (a website visitor) is not woken by every other conversation.
 */
export const CONVERSATION_EVENT = 'CONVERSATION_EVENT';

export enum InteractionEventKind {
  CREATED = 'CREATED',
  OFFERED = 'OFFERED',
  /** An offer was declined or lapsed: the interaction is back in its queue. */
  RETURNED = 'RETURNED',
  ANSWERED = 'ANSWERED',
  MESSAGE = 'MESSAGE',
  /** Someone is typing (not stored). */
  TYPING = 'TYPING',
  TRANSFERRED = 'TRANSFERRED',
  CLOSED = 'CLOSED',
  ABANDONED = 'ABANDONED',
}

export interface InteractionEventPayload {
  tenantId: string;
  kind: InteractionEventKind;
  interactionId: string;
  queueId: string | null;
  agentId: string | null;
  messageId: string | null;
  /** With TYPING: who types, and whether they started or stopped. */
  typing?: { by: 'CUSTOMER' | 'AGENT'; active: boolean } | null;
  at: string;
}
