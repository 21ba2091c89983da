import type { App } from '../../platform/context.js';
import type { Em } from '../../platform/db/orm.js';
import { paginate, type PageArgs } from '../../platform/connection.js';
import { AppError, ErrorCode, badInput, forbidden, notFound } from '../../platform/errors.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { User } from '../identity/index.js';
import { activeSupportPolicy, supportPolicyByKey } from './policy.service.js';
import { pause, reschedule, resume } from './ticket-clock.js';
import {
  ClosureReason,
  CommentAuthor,
  Ticket,
  TicketComment,
  TicketEscalation,
  TicketKind,
  TicketStatus,
  TicketTimer,
  TimerKind,
  type Attachment,
  type IncidentFacts,
} from './ticket.entity.js';
import { PLATFORM_TOPIC_ID, TICKET_EVENTS, TicketEventKind, type TicketEventPayload } from './ticket.events.js';
import type { AnswerTicketInput, AttachmentInput, CloseTicketInput, FileTicketInput, IncidentFactsInput, TicketCommentInput } from './ticket.input.js';
import type { TicketType } from './ticket.type.js';
import { deliverMail } from '../../platform/mail-retry.js';

export function toTicketType(t: Ticket): TicketType {
  return {
    id: t.id,
    tenantId: t.tenant.id,
    number: t.number,
    kind: t.kind,
    title: t.title,
    description: t.description,
    severity: t.severity ?? null,
    urgency: t.urgency ?? null,
    status: t.status,
    incidentFacts: t.incidentFacts ? { ...t.incidentFacts, occurrences: t.incidentFacts.occurrences.map((o) => ({ ...o, at: new Date(o.at) })) } : null,
    attachments: t.attachments,
    policyKey: t.policyKey,
    filedAt: t.filedAt,
    filedOutsideHours: t.filedOutsideHours,
    clockStartedAt: t.clockStartedAt ?? null,
    responseDueAt: t.responseDueAt ?? null,
    resolutionDueAt: t.resolutionDueAt ?? null,
    respondedAt: t.respondedAt ?? null,
    responseBreachedAt: t.responseBreachedAt ?? null,
    resolutionBreachedAt: t.resolutionBreachedAt ?? null,
    paused: !!t.pausedAt,
    escalationLevel: t.escalationLevel,
    escalationAcknowledgedAt: t.escalationAcknowledgedAt ?? null,
    closedAt: t.closedAt ?? null,
    closureReason: t.closureReason ?? null,
    closureNote: t.closureNote ?? null,
  };
}

export function publishTicketEvent(app: App, ticket: Ticket, kind: TicketEventKind, level: number | null = null): void {
  const payload: TicketEventPayload = { kind, ticketId: ticket.id, tenantId: ticket.tenant.id, level };
  app.events.publish(TICKET_EVENTS, PLATFORM_TOPIC_ID, payload);
}

/** The next tracking number of the year: SB-<year>-<6 digits>, platform-wide. */
async function nextNumber(em: Em, year: number): Promise<string> {
  const [row] = await em.execute<{ last: number }[]>(
    `insert into ticket_counter (year, last) values (?, 1)
       on conflict (year) do update set last = ticket_counter.last + 1 returning last`,
    [year],
  );
  return `SB-${year}-${String(row!.last).padStart(6, '0')}`;
}

const E164 = /^\+[1-9]\d{6,14}$/;
const MAC = /^[0-9a-f]{2}([:-]?)[0-9a-f]{2}(\1[0-9a-f]{2}){4}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function text(value: string | undefined, field: string, max = 10_000): string {
  const v = value?.trim() ?? '';
  if (!v) throw badInput(`${field} is required`, field);
  if (v.length > max) throw badInput(`${field} is longer than ${max} characters`, field);
  return v;
}

function attachmentsOf(input: AttachmentInput[] | undefined): Attachment[] {
  return (input ?? []).map((a) => {
    let url: URL;
    try {
      url = new URL(a.url);
    } catch {
      throw badInput(`Attachment "${a.name}" needs an absolute http(s) URL`, 'attachments');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw badInput(`Attachment "${a.name}" needs an http(s) URL`, 'attachments');
    return { name: text(a.name, 'attachments.name', 200), url: url.toString() };
  });
}

/** Checks every fact an incident must carry and lists all that are missing or malformed at once. */
export function validateIncidentFacts(input: IncidentFactsInput | undefined): IncidentFacts {
  const f = input ?? {};
  const missing: string[] = [];
  const blank = (v: string | undefined) => !v?.trim();
  for (const key of ['contactName', 'contactEmail', 'contactPhone', 'registeredNumber', 'symptoms', 'recentChanges'] as const) if (blank(f[key])) missing.push(key);
  for (const key of ['affectedServices', 'extensions', 'macAddresses', 'occurrences'] as const) if (!f[key]?.length) missing.push(key);
  if (!f.recurrence) missing.push('recurrence');
  if (missing.length) {
    throw new AppError(ErrorCode.BAD_USER_INPUT, `An incident must state: ${missing.join(', ')}`, { field: 'incidentFacts', missing });
  }
  const invalid: string[] = [];
  if (!EMAIL.test(f.contactEmail!.trim())) invalid.push(`contactEmail "${f.contactEmail}" is not an e-mail address`);
  if (!E164.test(f.contactPhone!.replace(/[\s().-]/g, ''))) invalid.push(`contactPhone "${f.contactPhone}" is not an international number (+15145550100)`);
  if (!E164.test(f.registeredNumber!.replace(/[\s().-]/g, ''))) invalid.push(`registeredNumber "${f.registeredNumber}" is not an international number (+15145550100)`);
  for (const mac of f.macAddresses!) if (!MAC.test(mac.trim())) invalid.push(`"${mac}" is not a MAC address (aa:bb:cc:dd:ee:ff)`);
  for (const o of f.occurrences!) if (blank(o.extension) || blank(o.device) || Number.isNaN(new Date(o.at).getTime())) invalid.push('every occurrence needs a time, an extension and a device');
  if (invalid.length) throw new AppError(ErrorCode.BAD_USER_INPUT, invalid.join('; '), { field: 'incidentFacts', invalid });
  return {
    contactName: f.contactName!.trim(),
    contactEmail: f.contactEmail!.trim(),
    contactPhone: f.contactPhone!.trim(),
    registeredNumber: f.registeredNumber!.replace(/[\s().-]/g, ''),
    affectedServices: f.affectedServices!.map((s) => s.trim()).filter(Boolean),
    symptoms: f.symptoms!.trim(),
    extensions: f.extensions!.map((s) => s.trim()).filter(Boolean),
    macAddresses: f.macAddresses!.map((m) => m.trim().toLowerCase().replace(/-/g, ':')),
    occurrences: f.occurrences!.map((o) => ({ at: new Date(o.at).toISOString(), extension: o.extension.trim(), device: o.device.trim() })),
    recurrence: f.recurrence!,
    recentChanges: f.recentChanges!.trim(),
  };
}

/** Who files: a tenant user (with role, for the change-request rule) or the operator on the tenant's behalf. */
export type Filer = { kind: 'user'; userId: string; administrator: boolean } | { kind: 'apiKey' } | { kind: 'operator'; userId: string };

export async function fileTicket(app: App, em: Em, tenantId: string, filer: Filer, input: FileTicketInput): Promise<TicketType> {
  if (input.kind === TicketKind.CHANGE_REQUEST && !(filer.kind === 'operator' || (filer.kind === 'user' && filer.administrator))) {
    throw forbidden('Only an ADMINISTRATOR may file a change request');
  }
  const title = text(input.title, 'title', 200);
  const description = text(input.description, 'description');
  const attachments = attachmentsOf(input.attachments);
  const now = app.clock.now();
  const ticket = await em.transactional(async (tx) => {
    const tenant = await tx.findOne(Tenant, { id: tenantId });
    if (!tenant) throw notFound('Tenant');
    const policy = await activeSupportPolicy(tx);
    let severity: string | null = null;
    let urgency = null;
    let incidentFacts: IncidentFacts | null = null;
    if (input.kind === TicketKind.INCIDENT) {
      if (!input.severity) throw badInput(`An incident needs a severity: ${policy.severities.map((s) => s.code).join(', ')}`, 'severity');
      if (!policy.severities.some((s) => s.code === input.severity)) {
        throw badInput(`Unknown severity "${input.severity}"; the ${policy.key} policy has ${policy.severities.map((s) => s.code).join(', ')}`, 'severity');
      }
      severity = input.severity;
      incidentFacts = validateIncidentFacts(input.incidentFacts);
    } else if (input.severity) {
      throw badInput('Only incidents have a severity', 'severity');
    }
    if (input.kind === TicketKind.CHANGE_REQUEST) {
      if (!input.urgency) throw badInput('A change request needs an urgency: URGENT, STANDARD or COMPLEX', 'urgency');
      urgency = input.urgency;
    } else if (input.urgency) {
      throw badInput('Only change requests have an urgency', 'urgency');
    }
    const ticket = tx.create(Ticket, {
      tenant,
      number: await nextNumber(tx, new Date(now).getUTCFullYear()),
      kind: input.kind,
      title,
      description,
      severity,
      urgency,
      incidentFacts,
      attachments,
      filedByUserId: filer.kind === 'user' || filer.kind === 'operator' ? filer.userId : null,
      policyKey: policy.key,
      filedAt: now,
      status: TicketStatus.OPEN,
    });
    await reschedule(tx, ticket, now);
    return ticket;
  });
  publishTicketEvent(app, ticket, TicketEventKind.CREATED);
  return toTicketType(ticket);
}

/** A ticket of the tenant (tenantId given) or of any tenant (operator: null); another tenant's is NOT_FOUND. */
export async function findTicket(em: Em, tenantId: string | null, id: string): Promise<Ticket> {
  const ticket = await em.findOne(Ticket, tenantId ? { id, tenant: tenantId } : { id });
  if (!ticket) throw notFound('Ticket');
  return ticket;
}

export async function getTicket(em: Em, tenantId: string | null, id: string): Promise<TicketType> {
  return toTicketType(await findTicket(em, tenantId, id));
}

export async function listTickets(em: Em, tenantId: string | null, args: PageArgs & { status?: TicketStatus | null }) {
  const where = { ...(tenantId ? { tenant: tenantId } : {}), ...(args.status ? { status: args.status } : {}) };
  const page = await paginate(em, Ticket, where, args);
  return { ...page, edges: page.edges.map((e) => ({ ...e, node: toTicketType(e.node) })) };
}

function assertOpen(ticket: Ticket) {
  if (ticket.status === TicketStatus.CLOSED) throw new AppError(ErrorCode.CONFLICT, `Ticket ${ticket.number} is closed`);
}

/** E-mails the customer side: the incident's contact, else the user who filed the ticket. SMTP failures are retried (deliverMail). */
async function notifyCustomer(app: App, em: Em, ticket: Ticket, subject: string, body: string): Promise<void> {
  let to = ticket.incidentFacts?.contactEmail ?? null;
  if (!to && ticket.filedByUserId) to = (await em.findOne(User, { id: ticket.filedByUserId }, { filters: false }))?.email ?? null;
  if (!to) return;
  await deliverMail(app, { to, subject: `[${ticket.number}] ${subject}`, text: `${body}\n\n${ticket.title}`, headers: { 'X-Switchboard-Ticket': ticket.number } }, 'ticket mail to the customer');
}

/** The customer comments; a ticket waiting for the customer resumes its clocks. */
export async function addCustomerComment(app: App, em: Em, tenantId: string, userId: string | null, ticketId: string, input: TicketCommentInput): Promise<TicketType> {
  const now = app.clock.now();
  const ticket = await em.transactional(async (tx) => {
    const ticket = await findTicket(tx, tenantId, ticketId);
    assertOpen(ticket);
    tx.create(TicketComment, { tenant: ticket.tenant, ticket, author: CommentAuthor.CUSTOMER, authorUserId: userId, body: text(input.body, 'body'), attachments: attachmentsOf(input.attachments), createdAt: now });
    await resume(tx, ticket, now);
    return ticket;
  });
  publishTicketEvent(app, ticket, TicketEventKind.UPDATED);
  return toTicketType(ticket);
}

/** The operator answers: the first answer is the response; waiting for the customer pauses the clocks. */
export async function answerTicket(app: App, em: Em, operatorId: string, ticketId: string, input: AnswerTicketInput): Promise<TicketType> {
  const now = app.clock.now();
  const ticket = await em.transactional(async (tx) => {
    const ticket = await findTicket(tx, null, ticketId);
    assertOpen(ticket);
    tx.create(TicketComment, { tenant: ticket.tenant, ticket, author: CommentAuthor.OPERATOR, authorUserId: operatorId, body: text(input.body, 'body'), attachments: attachmentsOf(input.attachments), createdAt: now });
    if (!ticket.respondedAt) {
      ticket.respondedAt = now;
      await tx.nativeDelete(TicketTimer, { ticket: ticket.id, firedAt: null, kind: { $in: [TimerKind.RESPONSE_WARNING, TimerKind.RESPONSE_BREACH] } });
    }
    if (input.waitForCustomer) await pause(tx, ticket, now);
    else {
      await resume(tx, ticket, now);
      ticket.status = TicketStatus.IN_PROGRESS;
    }
    return ticket;
  });
  publishTicketEvent(app, ticket, TicketEventKind.UPDATED);
  await notifyCustomer(app, em, ticket, input.waitForCustomer ? 'Support needs your answer' : 'Support answered', input.body.trim());
  return toTicketType(ticket);
}

/** The operator re-evaluates an incident's severity; the clocks follow the new level from the filing time. */
export async function reevaluateSeverity(app: App, em: Em, operatorId: string, ticketId: string, severity: string, reason: string): Promise<TicketType> {
  const now = app.clock.now();
  const why = text(reason, 'reason', 2000);
  const ticket = await em.transactional(async (tx) => {
    const ticket = await findTicket(tx, null, ticketId);
    assertOpen(ticket);
    if (ticket.kind !== TicketKind.INCIDENT) throw badInput('Only incidents have a severity', 'severity');
    const policy = await supportPolicyByKey(tx, ticket.policyKey);
    if (!policy.severities.some((s) => s.code === severity)) throw badInput(`Unknown severity "${severity}"; the ${policy.key} policy has ${policy.severities.map((s) => s.code).join(', ')}`, 'severity');
    if (severity === ticket.severity) return ticket;
    const from = ticket.severity;
    ticket.severity = severity;
    tx.create(TicketComment, { tenant: ticket.tenant, ticket, author: CommentAuthor.OPERATOR, authorUserId: operatorId, body: `Severity re-evaluated from ${from} to ${severity}: ${why}`, attachments: [], createdAt: now });
    await reschedule(tx, ticket, now);
    return ticket;
  });
  publishTicketEvent(app, ticket, TicketEventKind.UPDATED);
  return toTicketType(ticket);
}

const CUSTOMER_REASONS = new Set([ClosureReason.CUSTOMER_CONFIRMED, ClosureReason.CUSTOMER_ARCHIVED]);

/** Closes a case with one of the closure reasons; the customer may only confirm or archive. */
export async function closeTicket(app: App, em: Em, tenantId: string | null, ticketId: string, input: CloseTicketInput): Promise<TicketType> {
  const now = app.clock.now();
  const ticket = await em.transactional(async (tx) => {
    const ticket = await findTicket(tx, tenantId, ticketId);
    if (tenantId && !CUSTOMER_REASONS.has(input.reason)) throw badInput('A customer closes a ticket by confirming (CUSTOMER_CONFIRMED) or archiving it (CUSTOMER_ARCHIVED)', 'reason');
    assertOpen(ticket);
    ticket.status = TicketStatus.CLOSED;
    ticket.closedAt = now;
    ticket.closureReason = input.reason;
    ticket.closureNote = input.note?.trim() || null;
    ticket.pausedAt = null;
    await tx.nativeDelete(TicketTimer, { ticket: ticket.id, firedAt: null });
    return ticket;
  });
  publishTicketEvent(app, ticket, TicketEventKind.UPDATED);
  if (!tenantId) await notifyCustomer(app, em, ticket, `Closed: ${input.reason}`, input.note?.trim() || 'Your ticket is closed.');
  return toTicketType(ticket);
}

/** Someone on the chain took the case: no further escalation steps. */
export async function acknowledgeEscalation(app: App, em: Em, ticketId: string): Promise<TicketType> {
  const now = app.clock.now();
  const ticket = await em.transactional(async (tx) => {
    const ticket = await findTicket(tx, null, ticketId);
    if (ticket.escalationLevel === 0) throw new AppError(ErrorCode.CONFLICT, `Ticket ${ticket.number} has not been escalated`);
    ticket.escalationAcknowledgedAt ??= now;
    await tx.nativeDelete(TicketTimer, { ticket: ticket.id, firedAt: null, kind: TimerKind.ESCALATION });
    return ticket;
  });
  publishTicketEvent(app, ticket, TicketEventKind.UPDATED);
  return toTicketType(ticket);
}

export async function commentsOf(em: Em, ticketIds: readonly string[]) {
  const rows = await em.find(TicketComment, { ticket: { $in: [...ticketIds] } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  return ticketIds.map((id) => rows.filter((r) => r.ticket.id === id).map((r) => ({ id: r.id, author: r.author, body: r.body, attachments: r.attachments, createdAt: r.createdAt })));
}

export async function escalationsOf(em: Em, ticketIds: readonly string[]) {
  const rows = await em.find(TicketEscalation, { ticket: { $in: [...ticketIds] } }, { orderBy: { notifiedAt: 'asc', level: 'asc' } });
  return ticketIds.map((id) => rows.filter((r) => r.ticket.id === id).map((r) => ({ level: r.level, title: r.title, notifiedAt: r.notifiedAt })));
}
