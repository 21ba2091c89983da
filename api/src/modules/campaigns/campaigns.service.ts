import type { Em } from '../../platform/db/orm.js';
import { AppError, ErrorCode, badInput, notFound } from '../../platform/errors.js';
import { paginate, type PageArgs } from '../../platform/connection.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { getQueue } from '../queues/index.js';
import { Campaign, Disposition, type Holiday, type OpeningHours } from './campaign.entity.js';
import type { CampaignInput, DispositionInput, HolidayInput, OpeningHoursInput } from './campaign.input.js';
import type { CampaignObject } from './campaign.type.js';
import { validateScreenPop } from './screen-pop.js';

export const toCampaignType = (c: Campaign): CampaignObject => ({
  id: c.id,
  name: c.name,
  type: c.type,
  active: c.active,
  timeZone: c.timeZone,
  openingHours: c.openingHours,
  holidays: c.holidays,
  welcomeMessage: c.welcomeMessage ?? null,
  outOfHoursAction: c.outOfHoursAction,
  outOfHoursMessage: c.outOfHoursMessage ?? null,
  screenPopUrlTemplate: c.screenPopUrlTemplate ?? null,
  recordCalls: c.recordCalls,
  noAgentAction: c.noAgentAction,
  ringSeconds: c.ringSeconds,
  anonymousCalls: c.anonymousCalls,
  createdAt: c.createdAt,
  defaultQueueId: c.defaultQueue?.id ?? null,
});

export async function getCampaign(em: Em, tenantId: string, id: string): Promise<Campaign> {
  const campaign = await em.findOne(Campaign, { id, tenant: tenantId });
  if (!campaign) throw notFound('Campaign');
  return campaign;
}

export const listCampaigns = (em: Em, tenantId: string, page: PageArgs) => paginate(em, Campaign, { tenant: tenantId }, page);

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

/** Sorted opening hours; each range closes after it opens and ranges of one day do not overlap. */
export function checkOpeningHours(hours: readonly OpeningHoursInput[]): OpeningHours[] {
  const sorted = [...hours].sort((a, b) => a.day - b.day || minutes(a.opens) - minutes(b.opens));
  sorted.forEach((h, i) => {
    if (minutes(h.closes) <= minutes(h.opens)) throw badInput(`Day ${h.day}: closes (${h.closes}) must be after opens (${h.opens})`, 'openingHours');
    const prev = sorted[i - 1];
    if (prev && prev.day === h.day && minutes(h.opens) < minutes(prev.closes)) {
      throw badInput(`Day ${h.day}: ${prev.opens}-${prev.closes} and ${h.opens}-${h.closes} overlap`, 'openingHours');
    }
  });
  return sorted.map(({ day, opens, closes }) => ({ day, opens, closes }));
}

export function checkHolidays(holidays: readonly HolidayInput[]): Holiday[] {
  const seen = new Set<string>();
  for (const h of holidays) {
    const d = new Date(`${h.date}T00:00:00Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== h.date) throw badInput(`${h.date} is not a date`, 'holidays');
    if (seen.has(h.date)) throw badInput(`${h.date} is listed twice`, 'holidays');
    seen.add(h.date);
  }
  return [...holidays].sort((a, b) => a.date.localeCompare(b.date)).map(({ date, name }) => ({ date, name }));
}

async function values(em: Em, tenantId: string, input: CampaignInput) {
  return {
    name: input.name.trim(),
    type: input.type,
    active: input.active,
    timeZone: input.timeZone,
    openingHours: checkOpeningHours(input.openingHours ?? []),
    holidays: checkHolidays(input.holidays ?? []),
    welcomeMessage: input.welcomeMessage?.trim() || null,
    outOfHoursAction: input.outOfHoursAction,
    outOfHoursMessage: input.outOfHoursMessage?.trim() || null,
    screenPopUrlTemplate: input.screenPopUrlTemplate ? validateScreenPop(input.screenPopUrlTemplate) : null,
    defaultQueue: input.defaultQueueId ? await getQueue(em, tenantId, input.defaultQueueId) : null,
    recordCalls: input.recordCalls,
    noAgentAction: input.noAgentAction,
    ringSeconds: input.ringSeconds,
    anonymousCalls: input.anonymousCalls,
  };
}

async function assertNameFree(em: Em, tenantId: string, name: string, exceptId?: string) {
  if (await em.count(Campaign, { tenant: tenantId, name, ...(exceptId && { id: { $ne: exceptId } }) })) {
    throw new AppError(ErrorCode.CONFLICT, `A campaign named "${name}" exists`, { field: 'name' });
  }
}

export async function createCampaign(em: Em, tenantId: string, input: CampaignInput): Promise<Campaign> {
  const v = await values(em, tenantId, input);
  await assertNameFree(em, tenantId, v.name);
  const campaign = em.create(Campaign, { tenant: em.getReference(Tenant, tenantId), ...v });
  await em.flush();
  return campaign;
}

export async function updateCampaign(em: Em, tenantId: string, id: string, input: CampaignInput): Promise<Campaign> {
  const campaign = await getCampaign(em, tenantId, id);
  const v = await values(em, tenantId, input);
  await assertNameFree(em, tenantId, v.name, id);
  em.assign(campaign, v);
  await em.flush();
  return campaign;
}

export async function createDisposition(em: Em, tenantId: string, campaignId: string, input: DispositionInput): Promise<Disposition> {
  const campaign = await getCampaign(em, tenantId, campaignId);
  if (await em.count(Disposition, { tenant: tenantId, campaign: campaignId, code: input.code })) {
    throw new AppError(ErrorCode.CONFLICT, `The campaign has a disposition ${input.code}`, { field: 'code' });
  }
  const disposition = em.create(Disposition, { tenant: tenantId, campaign, code: input.code, label: input.label.trim(), active: input.active });
  await em.flush();
  return disposition;
}

/** Changes a disposition's label or active flag; its code stays, as reports refer to it. */
export async function updateDisposition(em: Em, tenantId: string, id: string, input: DispositionInput): Promise<Disposition> {
  const disposition = await em.findOne(Disposition, { id, tenant: tenantId });
  if (!disposition) throw notFound('Disposition');
  if (input.code !== disposition.code) throw badInput('A disposition code cannot change; add a new disposition instead', 'code');
  em.assign(disposition, { label: input.label.trim(), active: input.active });
  await em.flush();
  return disposition;
}
