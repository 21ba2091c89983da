import { randomBytes } from 'node:crypto';
import type { App } from '../../platform/context.js';
import { platformEm, type Em } from '../../platform/db/orm.js';
import { AppError, ErrorCode, badInput, notFound } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import { activeSupportPolicy } from '../tickets/policy.service.js';
import { PLATFORM_TOPIC_ID } from '../tickets/ticket.events.js';
import { checkMaintenance } from './maintenance.js';
import { mayMailRecipient, throttleSubscribeRequest } from './subscription-throttle.js';
import { noticeRecipients, sendNotice } from './notify.js';
import {
  ComponentStatus,
  IncidentImpact,
  IncidentPhase,
  MaintenanceWindow,
  StatusComponent,
  StatusIncident,
  StatusIncidentUpdate,
  StatusServer,
  StatusSubscriber,
  type PostMortem,
} from './status.entity.js';
import { STATUS_CHANGED, type StatusChangedPayload } from './status.events.js';
import type { OpenStatusIncidentInput, PostMortemInput, ScheduleMaintenanceInput, StatusComponentInput, StatusIncidentUpdateInput } from './status.input.js';
import type { MaintenanceWindowType, StatusComponentType, StatusIncidentType, StatusPageType } from './status.type.js';

const HOUR = 3_600_000;
export const MONITORING_REVIEW_HOURS = 4;
export const POST_MORTEM_HOURS = 72;
const HISTORY_DAYS = 90;

const text = (value: string | undefined, field: string, max = 10_000) => {
  const v = value?.trim() ?? '';
  if (!v) throw badInput(`${field} is required`, field);
  if (v.length > max) throw badInput(`${field} is longer than ${max} characters`, field);
  return v;
};

function changed(app: App, reason: string) {
  const payload: StatusChangedPayload = { reason };
  app.events.publish(STATUS_CHANGED, PLATFORM_TOPIC_ID, payload);
}

const RANK = { [ComponentStatus.OPERATIONAL]: 0, [ComponentStatus.PARTIAL_OUTAGE]: 1, [ComponentStatus.MAJOR_OUTAGE]: 2 };
const worst = (statuses: ComponentStatus[]) => statuses.reduce((w, s) => (RANK[s] > RANK[w] ? s : w), ComponentStatus.OPERATIONAL);
const statusOf = (impact: IncidentImpact) => (impact === IncidentImpact.MAJOR_OUTAGE ? ComponentStatus.MAJOR_OUTAGE : ComponentStatus.PARTIAL_OUTAGE);

// ---------- components ----------

export async function createComponent(app: App, em: Em, input: StatusComponentInput): Promise<StatusComponentType> {
  const name = text(input.name, 'name', 120);
  if (await em.count(StatusComponent, { name })) throw new AppError(ErrorCode.CONFLICT, `A component named "${name}" exists`);
  const component = em.create(StatusComponent, { name, description: input.description?.trim() || null, position: input.position });
  await em.flush();
  changed(app, 'component');
  return { id: component.id, name, description: component.description ?? null, position: component.position, status: ComponentStatus.OPERATIONAL, servers: [] };
}

export async function addServer(app: App, em: Em, componentId: string, name: string): Promise<StatusComponentType> {
  const component = await em.findOne(StatusComponent, { id: componentId });
  if (!component) throw notFound('Component');
  em.create(StatusServer, { component, name: text(name, 'name', 120) });
  await em.flush();
  changed(app, 'server');
  return (await listComponents(em)).find((c) => c.id === componentId)!;
}

export async function listComponents(em: Em): Promise<StatusComponentType[]> {
  const [components, servers, open] = await Promise.all([
    em.find(StatusComponent, {}, { orderBy: { position: 'asc', name: 'asc' } }),
    em.find(StatusServer, {}, { orderBy: { name: 'asc' } }),
    em.find(StatusIncident, { phase: { $ne: IncidentPhase.RESOLVED } }),
  ]);
  const serverStatus = (id: string) => worst(open.filter((i) => i.serverIds.includes(id)).map((i) => statusOf(i.impact)));
  return components.map((c) => ({
    id: c.id,
    name: c.name,
    description: c.description ?? null,
    position: c.position,
    status: worst(open.filter((i) => i.componentIds.includes(c.id)).map((i) => statusOf(i.impact))),
    servers: servers.filter((s) => s.component.id === c.id).map((s) => ({ id: s.id, name: s.name, status: serverStatus(s.id) })),
  }));
}

/** Checks component (and server) ids and returns the component ids, servers' components included. */
async function affected(em: Em, componentIds: string[], serverIds: string[]): Promise<{ componentIds: string[]; serverIds: string[] }> {
  const bad = [...componentIds, ...serverIds].find((id) => !isUuid(id));
  if (bad) throw notFound('Component');
  const components = await em.find(StatusComponent, { id: { $in: componentIds } });
  if (components.length !== new Set(componentIds).size) throw notFound('Component');
  const servers = serverIds.length ? await em.find(StatusServer, { id: { $in: serverIds } }) : [];
  if (servers.length !== new Set(serverIds).size) throw notFound('Server');
  const all = new Set([...componentIds, ...servers.map((s) => s.component.id)]);
  if (!all.size) throw badInput('Name at least one affected component', 'componentIds');
  return { componentIds: [...all], serverIds: [...new Set(serverIds)] };
}

// ---------- incidents ----------

async function incidentViews(em: Em, incidents: StatusIncident[]): Promise<StatusIncidentType[]> {
  if (!incidents.length) return [];
  const [updates, components] = await Promise.all([
    em.find(StatusIncidentUpdate, { incident: { $in: incidents.map((i) => i.id) } }, { orderBy: { createdAt: 'desc', id: 'desc' } }),
    em.find(StatusComponent, {}),
  ]);
  const names = new Map(components.map((c) => [c.id, c.name]));
  return incidents.map((i) => ({
    id: i.id,
    title: i.title,
    impact: i.impact,
    phase: i.phase,
    cause: i.cause,
    components: i.componentIds.map((id) => names.get(id) ?? 'removed component'),
    startedAt: i.startedAt,
    resolvedAt: i.resolvedAt ?? null,
    monitoringReviewDueAt: i.monitoringReviewDueAt ?? null,
    postMortemDueAt: i.postMortemDueAt ?? null,
    postMortem: i.postMortem && i.postMortemPublishedAt
      ? { ...i.postMortem, monitoredStartAt: new Date(i.postMortem.monitoredStartAt), monitoredEndAt: new Date(i.postMortem.monitoredEndAt), resolvedAt: new Date(i.postMortem.resolvedAt) }
      : null,
    updates: updates.filter((u) => u.incident.id === i.id).map((u) => ({ phase: u.phase, message: u.message, createdAt: u.createdAt })),
  }));
}

export async function getIncident(em: Em, id: string): Promise<StatusIncidentType> {
  const incident = await em.findOne(StatusIncident, { id });
  if (!incident) throw notFound('Incident');
  return (await incidentViews(em, [incident]))[0]!;
}

async function noticeFor(app: App, incident: StatusIncidentType, message: string) {
  const subject = `[${incident.phase}] ${incident.title}`;
  const body = [
    `${incident.title}`,
    `Phase: ${incident.phase}   Impact: ${incident.impact}`,
    `Affected: ${incident.components.join(', ')}`,
    `Started: ${incident.startedAt.toISOString()}${incident.resolvedAt ? `   Resolved: ${incident.resolvedAt.toISOString()}` : ''}`,
    '',
    message,
  ].join('\n');
  await sendNotice(app, await noticeRecipients(platformEm(app.orm)), subject, body);
}

export async function openIncident(app: App, em: Em, input: OpenStatusIncidentInput): Promise<StatusIncidentType> {
  const now = app.clock.now();
  const title = text(input.title, 'title', 200);
  const message = text(input.message, 'message');
  const startedAt = input.startedAt ?? now;
  if (startedAt > now) throw badInput('An incident cannot start in the future', 'startedAt');
  const incident = await em.transactional(async (tx) => {
    const ids = await affected(tx, input.componentIds, input.serverIds ?? []);
    const incident = tx.create(StatusIncident, { title, impact: input.impact, cause: input.cause, phase: IncidentPhase.INVESTIGATING, ...ids, startedAt, createdAt: now });
    tx.create(StatusIncidentUpdate, { incident, phase: IncidentPhase.INVESTIGATING, message, createdAt: now });
    return incident;
  });
  const view = await getIncident(em, incident.id);
  changed(app, 'incident');
  await noticeFor(app, view, message);
  return view;
}

/** Allowed moves: forward through the phases, and MONITORING back to IDENTIFIED. RESOLVED is final. */
export function phaseMoveAllowed(from: IncidentPhase, to: IncidentPhase): boolean {
  const order = [IncidentPhase.INVESTIGATING, IncidentPhase.IDENTIFIED, IncidentPhase.MONITORING, IncidentPhase.RESOLVED];
  if (from === IncidentPhase.RESOLVED) return false;
  if (from === IncidentPhase.MONITORING && to === IncidentPhase.IDENTIFIED) return true;
  return order.indexOf(to) >= order.indexOf(from);
}

export async function updateIncident(app: App, em: Em, id: string, input: StatusIncidentUpdateInput): Promise<StatusIncidentType> {
  const now = app.clock.now();
  const message = text(input.message, 'message');
  await em.transactional(async (tx) => {
    const incident = await tx.findOne(StatusIncident, { id });
    if (!incident) throw notFound('Incident');
    if (!phaseMoveAllowed(incident.phase, input.phase)) {
      throw new AppError(ErrorCode.CONFLICT, `An incident in ${incident.phase} cannot move to ${input.phase}`);
    }
    if (input.impact) incident.impact = input.impact;
    if (input.cause) incident.cause = input.cause;
    if (input.phase === IncidentPhase.MONITORING && incident.phase !== IncidentPhase.MONITORING) {
      incident.monitoringReviewDueAt = new Date(now.getTime() + MONITORING_REVIEW_HOURS * HOUR);
      incident.monitoringReminderSentAt = null;
    } else if (input.phase !== IncidentPhase.MONITORING) {
      incident.monitoringReviewDueAt = null;
    }
    if (input.phase === IncidentPhase.RESOLVED) {
      const resolvedAt = input.resolvedAt ?? now;
      if (resolvedAt > now || resolvedAt < incident.startedAt) throw badInput('resolvedAt must lie between the start and now', 'resolvedAt');
      incident.resolvedAt = resolvedAt;
      incident.postMortemDueAt = new Date(now.getTime() + POST_MORTEM_HOURS * HOUR);
    }
    incident.phase = input.phase;
    tx.create(StatusIncidentUpdate, { incident, phase: input.phase, message, createdAt: now });
  });
  const view = await getIncident(em, id);
  changed(app, 'incident');
  await noticeFor(app, view, message);
  return view;
}

export async function publishPostMortem(app: App, em: Em, id: string, input: PostMortemInput): Promise<StatusIncidentType> {
  const now = app.clock.now();
  await em.transactional(async (tx) => {
    const incident = await tx.findOne(StatusIncident, { id });
    if (!incident) throw notFound('Incident');
    if (incident.phase !== IncidentPhase.RESOLVED || !incident.resolvedAt) throw new AppError(ErrorCode.CONFLICT, 'A post-mortem follows the resolution');
    if (input.monitoredEndAt < input.monitoredStartAt) throw badInput('monitoredEndAt is before monitoredStartAt', 'monitoredEndAt');
    const components = await tx.find(StatusComponent, { id: { $in: incident.componentIds } });
    const postMortem: PostMortem = {
      description: text(input.description, 'description'),
      impact: text(input.impact, 'impact'),
      affectedComponents: components.map((c) => c.name).sort(),
      monitoredStartAt: input.monitoredStartAt.toISOString(),
      monitoredEndAt: input.monitoredEndAt.toISOString(),
      resolvedAt: incident.resolvedAt.toISOString(),
      resolution: text(input.resolution, 'resolution'),
      correctiveActions: text(input.correctiveActions, 'correctiveActions'),
    };
    incident.postMortem = postMortem;
    incident.postMortemPublishedAt = now;
  });
  const view = await getIncident(em, id);
  changed(app, 'post-mortem');
  const pm = view.postMortem!;
  await sendNotice(
    app,
    await noticeRecipients(platformEm(app.orm)),
    `[POST-MORTEM] ${view.title}`,
    [`Description and impact:\n${pm.description}\n${pm.impact}`, `Affected components: ${pm.affectedComponents.join(', ')}`, `Start (monitoring): ${pm.monitoredStartAt.toISOString()}`, `End (monitoring): ${pm.monitoredEndAt.toISOString()}`, `Resolved: ${pm.resolvedAt.toISOString()}`, `Resolution:\n${pm.resolution}`, `Corrective actions:\n${pm.correctiveActions}`].join('\n\n'),
  );
  return view;
}

// ---------- maintenance ----------

async function maintenanceViews(em: Em, windows: MaintenanceWindow[]): Promise<MaintenanceWindowType[]> {
  const names = new Map((await em.find(StatusComponent, {})).map((c) => [c.id, c.name]));
  return windows.map((w) => ({
    id: w.id,
    title: w.title,
    description: w.description,
    components: w.componentIds.map((id) => names.get(id) ?? 'removed component'),
    startsAt: w.startsAt,
    endsAt: w.endsAt,
    inWindow: w.inWindow,
    noticeGivenAt: w.noticeGivenAt,
    cancelledAt: w.cancelledAt ?? null,
  }));
}

export async function scheduleMaintenance(app: App, em: Em, input: ScheduleMaintenanceInput): Promise<MaintenanceWindowType> {
  const now = app.clock.now();
  const title = text(input.title, 'title', 200);
  const description = text(input.description, 'description');
  if (input.endsAt <= input.startsAt) throw badInput('endsAt must be after startsAt', 'endsAt');
  if (input.startsAt <= now) throw badInput('Maintenance is announced before it starts', 'startsAt');
  const window = await em.transactional(async (tx) => {
    const policy = await activeSupportPolicy(tx);
    const check = checkMaintenance(policy.maintenanceWindows, policy.maintenanceNoticeDays, now, input.startsAt, input.endsAt);
    if (!check.accepted) throw new AppError(ErrorCode.MAINTENANCE_NOTICE_TOO_SHORT, check.reason, { field: 'startsAt' });
    const { componentIds } = await affected(tx, input.componentIds, []);
    return tx.create(MaintenanceWindow, { title, description, componentIds, startsAt: input.startsAt, endsAt: input.endsAt, inWindow: check.inWindow, noticeGivenAt: now });
  });
  const [view] = await maintenanceViews(em, [window]);
  changed(app, 'maintenance');
  await sendNotice(
    app,
    await noticeRecipients(platformEm(app.orm)),
    `[MAINTENANCE] ${view!.title}`,
    [`Scheduled maintenance: ${view!.title}`, `From ${view!.startsAt.toISOString()} to ${view!.endsAt.toISOString()}`, `Affected: ${view!.components.join(', ')}`, view!.inWindow ? 'Inside the weekly maintenance window.' : 'Outside the weekly maintenance windows: this is the written notice.', '', description].join('\n'),
  );
  return view!;
}

export async function cancelMaintenance(app: App, em: Em, id: string): Promise<MaintenanceWindowType> {
  const window = await em.findOne(MaintenanceWindow, { id });
  if (!window) throw notFound('Maintenance window');
  window.cancelledAt ??= app.clock.now();
  await em.flush();
  changed(app, 'maintenance');
  const [view] = await maintenanceViews(em, [window]);
  await sendNotice(app, await noticeRecipients(platformEm(app.orm)), `[MAINTENANCE CANCELLED] ${view!.title}`, `The maintenance planned from ${view!.startsAt.toISOString()} to ${view!.endsAt.toISOString()} is cancelled.`);
  return view!;
}

// ---------- the page ----------

export async function statusPage(em: Em, now: Date): Promise<StatusPageType> {
  const since = new Date(now.getTime() - HISTORY_DAYS * 24 * HOUR);
  const [components, active, recent, maintenance] = await Promise.all([
    listComponents(em),
    em.find(StatusIncident, { phase: { $ne: IncidentPhase.RESOLVED } }, { orderBy: { startedAt: 'desc' } }),
    em.find(StatusIncident, { phase: IncidentPhase.RESOLVED, resolvedAt: { $gte: since } }, { orderBy: { startedAt: 'desc' } }),
    em.find(MaintenanceWindow, { endsAt: { $gte: since } }, { orderBy: { startsAt: 'desc' } }),
  ]);
  return {
    overall: worst(components.map((c) => c.status)),
    components,
    activeIncidents: await incidentViews(em, active),
    recentIncidents: await incidentViews(em, recent),
    maintenance: await maintenanceViews(em, maintenance),
    generatedAt: now,
  };
}

// ---------- subscribers ----------

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Records the address and mails a confirmation link; notices start once it is confirmed. Same answer whether new or known. */
export async function subscribe(app: App, em: Em, email: string, ip: string): Promise<boolean> {
  const address = email.trim().toLowerCase();
  if (!EMAIL.test(address) || address.length > 254) throw badInput('Give an e-mail address', 'email');
  await throttleSubscribeRequest(app, ip);
  const now = app.clock.now();
  let subscriber = await em.findOne(StatusSubscriber, { email: address });
  if (subscriber?.confirmedAt) return true;
  // At most one confirmation message per address and hour, so the form cannot be used to flood an inbox.
  if (subscriber && now.getTime() - subscriber.createdAt.getTime() < HOUR) return true;
  if (!(await mayMailRecipient(app, address))) return true;
  if (subscriber) subscriber.createdAt = now;
  else subscriber = em.create(StatusSubscriber, { email: address, token: randomBytes(24).toString('hex'), createdAt: now });
  await em.flush();
  const link = `${app.config.publicUrl ?? ''}/status/confirm?token=${subscriber.token}`;
  await app.mail.send({ to: address, subject: 'Confirm your status page subscription', text: `Confirm with this link, or with the token ${subscriber.token}:\n${link}\n\nIgnore this message if you did not ask for it.` });
  return true;
}

export async function confirmSubscription(app: App, em: Em, token: string): Promise<{ email: string; confirmed: boolean }> {
  const subscriber = await em.findOne(StatusSubscriber, { token });
  if (!subscriber) throw notFound('Subscription');
  subscriber.confirmedAt ??= app.clock.now();
  await em.flush();
  return { email: subscriber.email, confirmed: true };
}

export async function unsubscribe(em: Em, token: string): Promise<boolean> {
  const n = await em.nativeDelete(StatusSubscriber, { token });
  if (!n) throw notFound('Subscription');
  return true;
}
