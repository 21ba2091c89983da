export { Ticket, TicketComment, TicketCounter, TicketEscalation, TicketTimer } from './ticket.entity.js';
export { SupportPolicy } from './support-policy.entity.js';
export { TicketResolver } from './ticket.resolver.js';
export { runSupportSweep, registerSupportJobs, SUPPORT_SWEEP_QUEUE } from './sweep.js';
export { TICKET_EVENTS, PLATFORM_TOPIC_ID } from './ticket.events.js';
export * as sla from './sla.js';
