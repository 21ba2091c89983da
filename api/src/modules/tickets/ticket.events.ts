/** Operator-side ticket feed. Published after commit with the platform id `PLATFORM_TOPIC_ID`. */
export const TICKET_EVENTS = 'TICKET_EVENTS';
/** Dynamic topic id of platform-wide (operator) topics; tenant ids are UUIDs, so this never clashes. */
export const PLATFORM_TOPIC_ID = 'platform';

export enum TicketEventKind {
  CREATED = 'CREATED',
  UPDATED = 'UPDATED',
  WARNING = 'WARNING',
  BREACHED = 'BREACHED',
  ESCALATED = 'ESCALATED',
}

export interface TicketEventPayload {
  kind: TicketEventKind;
  ticketId: string;
  tenantId: string;
  level: number | null;
}
