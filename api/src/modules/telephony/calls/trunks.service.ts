import type { Em } from '../../../platform/db/orm.js';
import { AppError, ErrorCode, badInput, notFound } from '../../../platform/errors.js';
import { paginate, type PageArgs } from '../../../platform/connection.js';
import { Tenant } from '../../tenants/tenant.entity.js';
import { getCampaign } from '../../campaigns/campaigns.service.js';
import { normalisePhone } from '../../contacts/identifiers.js';
import { Did, SipTrunk } from './trunk.entity.js';
import type { DidInput, SipTrunkInput } from './trunk.input.js';
import type { DidType, SipTrunkType } from './trunk.type.js';
import { parseSource } from './allow-list.js';

export const toSipTrunkType = (t: SipTrunk): SipTrunkType => ({
  id: t.id,
  name: t.name,
  host: t.host,
  port: t.port,
  transport: t.transport,
  username: t.username ?? null,
  hasPassword: !!t.password,
  allowedSources: t.allowedSources,
  callerIdDefault: t.callerIdDefault ?? null,
  active: t.active,
  createdAt: t.createdAt,
});

export const toDidType = (d: Did): DidType => ({ id: d.id, number: d.number, createdAt: d.createdAt, trunkId: d.trunk.id, campaignId: d.campaign?.id ?? null });

/** "+1 (514) 555-0100" -> "+15145550100"; a DID or caller ID must be international. */
export function e164(raw: string, field: string): string {
  const n = normalisePhone(raw, field);
  if (!/^\+\d{6,15}$/.test(n)) throw badInput(`"${raw}" is not an international (E.164) number`, field);
  return n;
}

const HOST = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$|^\[?[0-9a-f:.]+\]?$/i;

function values(input: SipTrunkInput) {
  const host = input.host.trim();
  if (!HOST.test(host)) throw badInput(`"${input.host}" is not a host name or address`, 'host');
  const allowedSources = input.allowedSources.map((s) => {
    const parsed = parseSource(s);
    if (!parsed) throw badInput(`"${s}" is not an IP address or CIDR range`, 'allowedSources');
    return parsed;
  });
  return {
    name: input.name.trim(),
    host,
    port: input.port,
    transport: input.transport,
    username: input.username?.trim() || null,
    allowedSources: [...new Set(allowedSources)],
    callerIdDefault: input.callerIdDefault ? e164(input.callerIdDefault, 'callerIdDefault') : null,
    active: input.active,
  };
}

export async function getTrunk(em: Em, tenantId: string, id: string): Promise<SipTrunk> {
  const trunk = await em.findOne(SipTrunk, { id, tenant: tenantId });
  if (!trunk) throw notFound('SIP trunk');
  return trunk;
}

export const listTrunks = (em: Em, tenantId: string, page: PageArgs) => paginate(em, SipTrunk, { tenant: tenantId }, page);
export const listDids = (em: Em, tenantId: string, page: PageArgs) => paginate(em, Did, { tenant: tenantId }, page);

async function assertNameFree(em: Em, tenantId: string, name: string, exceptId?: string) {
  if (await em.count(SipTrunk, { tenant: tenantId, name, ...(exceptId && { id: { $ne: exceptId } }) })) {
    throw new AppError(ErrorCode.CONFLICT, `A trunk named "${name}" exists`, { field: 'name' });
  }
}

export async function createTrunk(em: Em, tenantId: string, input: SipTrunkInput): Promise<SipTrunk> {
  const v = values(input);
  await assertNameFree(em, tenantId, v.name);
  const trunk = em.create(SipTrunk, { tenant: em.getReference(Tenant, tenantId), ...v, password: input.password || null });
  await em.flush();
  return trunk;
}

export async function updateTrunk(em: Em, tenantId: string, id: string, input: SipTrunkInput): Promise<SipTrunk> {
  const trunk = await getTrunk(em, tenantId, id);
  const v = values(input);
  await assertNameFree(em, tenantId, v.name, id);
  em.assign(trunk, { ...v, ...(input.password !== undefined && input.password !== null && { password: input.password || null }) });
  await em.flush();
  return trunk;
}

/** Deletes a trunk and the numbers it carries; calls keep their history. */
export async function deleteTrunk(em: Em, tenantId: string, id: string): Promise<string> {
  const trunk = await getTrunk(em, tenantId, id);
  await em.nativeDelete(Did, { trunk: id, tenant: tenantId });
  await em.remove(trunk).flush();
  return id;
}

async function didValues(em: Em, tenantId: string, input: DidInput) {
  // ids first: another tenant's trunk or campaign is NOT_FOUND whatever the number
  const trunk = await getTrunk(em, tenantId, input.trunkId);
  const campaign = input.campaignId ? await getCampaign(em, tenantId, input.campaignId) : null;
  return { number: e164(input.number, 'number'), trunk, campaign };
}

/** A number is unique on the whole platform (a call to it must reach one tenant); the refusal names nobody. */
async function assertNumberFree(em: Em, number: string) {
  const [row] = await em.getConnection().execute<{ n: string }[]>('select count(*) as n from did where number = ?', [number]);
  if (Number(row?.n)) throw new AppError(ErrorCode.CONFLICT, `${number} is already assigned`, { field: 'number' });
}

export async function addDid(em: Em, tenantId: string, input: DidInput): Promise<Did> {
  const v = await didValues(em, tenantId, input);
  await assertNumberFree(em, v.number);
  const did = em.create(Did, { tenant: em.getReference(Tenant, tenantId), ...v });
  await em.flush();
  return did;
}

/** Sends a number's calls to another campaign (null: nowhere, calls to it are refused with 404). */
export async function setDidCampaign(em: Em, tenantId: string, id: string, campaignId: string | null): Promise<Did> {
  const did = await em.findOne(Did, { id, tenant: tenantId });
  if (!did) throw notFound('DID');
  did.campaign = campaignId ? await getCampaign(em, tenantId, campaignId) : null;
  await em.flush();
  return did;
}

export async function removeDid(em: Em, tenantId: string, id: string): Promise<string> {
  const did = await em.findOne(Did, { id, tenant: tenantId });
  if (!did) throw notFound('DID');
  await em.remove(did).flush();
  return id;
}
