import type { InteractionState } from './interaction.entity.js';
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
  /** A message's delivery state moved (a channel provider's answer or status callback); carries the message. */
  DELIVERY = 'DELIVERY',
  /** Someone is typing (not stored). */
  TYPING = 'TYPING',
  TRANSFERRED = 'TRANSFERRED',
  /** A call was put on hold, or taken off hold (voice; no state change). */
  HELD = 'HELD',
  RESUMED = 'RESUMED',
  CLOSED = 'CLOSED',
  ABANDONED = 'ABANDONED',
}

/** A stored message as events carry it, so subscribers need not read it back (JSON-safe for Redis). */
export interface MessageSnapshot {
  id: string;
  sender: 'CUSTOMER' | 'AGENT' | 'SYSTEM';
  authorId: string | null;
  body: string;
  deliveryState: string;
  /** With FAILED: the provider's reason. */
  deliveryError?: string | null;
  /** ISO 8601 */
  createdAt: string;
}

export interface InteractionEventPayload {
  tenantId: string;
  kind: InteractionEventKind;
  interactionId: string;
  queueId: string | null;
  agentId: string | null;
  messageId: string | null;
  /** With MESSAGE: the message itself (older publishers may leave it out; it is then read). */
  message?: MessageSnapshot | null;
  /** With TYPING: who types, and whether they started or stopped. */
  typing?: { by: 'CUSTOMER' | 'AGENT'; active: boolean } | null;
  /** The state as of this event, when it differs from the interaction's latest (see `EventSubject.state`). */
  state?: InteractionState;
  at: string;
}
