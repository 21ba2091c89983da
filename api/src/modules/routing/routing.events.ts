import type { InteractionState } from '../interactions/interaction.entity.js';
import type { App } from '../../platform/context.js';
import type { Interaction } from '../interactions/interaction.entity.js';
import { CONVERSATION_EVENT, INTERACTION_EVENT, type InteractionEventKind, type InteractionEventPayload, type MessageSnapshot } from '../interactions/interaction.events.js';

export interface EventSubject {
  interactionId: string;
  queueId: string | null;
  agentId: string | null;
  /**
   * The state this event left the interaction in, when the same transaction moved it on before
   * the event was published (a call created and offered at once): subscribers see each event's
   * own state, not only the latest.
   */
  state?: InteractionState;
}

export const subject = (i: Interaction): EventSubject => ({ interactionId: i.id, queueId: i.queue?.id ?? null, agentId: i.agent?.id ?? null });

/** Tells subscribers, after the transaction committed. */
export function publish(
  app: App,
  tenantId: string,
  kind: InteractionEventKind,
  about: EventSubject,
  messageId: string | null = null,
  typing: InteractionEventPayload['typing'] = null,
  message: MessageSnapshot | null = null,
) {
  const payload: InteractionEventPayload = { tenantId, kind, ...about, messageId, message, typing, at: app.clock.now().toISOString() };
  app.events.publish(INTERACTION_EVENT, tenantId, payload);
  app.events.publish(CONVERSATION_EVENT, about.interactionId, payload);
}

