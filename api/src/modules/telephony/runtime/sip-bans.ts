import { isIP } from 'node:net';
import type { App } from '../../../platform/context.js';
import { AppError, ErrorCode, badInput, notFound } from '../../../platform/errors.js';
import { kamailioRpc } from './kamailio-rpc.js';
import { telephonyRuntime } from './telephony-runtime.js';

/** Why Kamailio banned a source (route[BAN] in telephony/kamailio.cfg). */
export enum SipBanReason {
  /** SIP_BAN_FAILURES failures (wrong password, INVITE from no trunk, bad WebSocket token) within SIP_BAN_WINDOW. */
  FAILURES = 'FAILURES',
  /** More than SIP_FLOOD_LIMIT requests in 2 s (pike). */
  FLOOD = 'FLOOD',
}

export interface SipBan {
  address: string;
  reason: SipBanReason;
  until: Date;
}

/** Kamailio's htable of banned sources: key the address, value "<auth|flood>:<unix time the ban ends>". */
const TABLE = 'sipban';

function parse(address: string, value: unknown): SipBan | null {
  const m = /^(auth|flood):(\d+)$/.exec(String(value));
  if (!m) return null;
  return { address, reason: m[1] === 'flood' ? SipBanReason.FLOOD : SipBanReason.FAILURES, until: new Date(Number(m[2]) * 1000) };
}

async function rpc(app: App, method: string, params: unknown[]): Promise<unknown> {
  if (!telephonyRuntime(app)) throw new AppError(ErrorCode.TELEPHONY_UNAVAILABLE, 'Telephony is not running on this platform');
  try {
    return await kamailioRpc(app, method, params);
  } catch (err) {
    app.log.warn({ err }, `Kamailio ${method} failed`);
    throw new AppError(ErrorCode.TELEPHONY_UNAVAILABLE, 'Kamailio cannot be reached now; try again');
  }
}

/** The sources this instance's Kamailio bans now, the latest-ending first. */
export async function listSipBans(app: App): Promise<SipBan[]> {
  // htable.dump: one entry per hash slot that holds items, each { entry, size, slot: [{ name, value, type }] }
  const slots = (await rpc(app, 'htable.dump', [TABLE])) as { slot?: { name: string; value: unknown }[] }[] | null;
  const now = Date.now();
  return (slots ?? [])
    .flatMap((s) => s.slot ?? [])
    .map((item) => parse(item.name, item.value))
    .filter((b): b is SipBan => !!b && b.until.getTime() > now)
    .sort((a, b) => b.until.getTime() - a.until.getTime() || a.address.localeCompare(b.address));
}

/** Lifts the ban of `address` (and forgets its counted failures); NOT_FOUND when it is not banned. */
export async function liftSipBan(app: App, address: string): Promise<SipBan> {
  const ip = address.trim().toLowerCase();
  if (!isIP(ip)) throw badInput(`"${address}" is not an IP address`, 'address');
  const ban = (await listSipBans(app)).find((b) => b.address === ip);
  if (!ban) throw notFound('SIP ban');
  await rpc(app, 'htable.delete', [TABLE, ip]);
  // failures counted since the ban (none, unless it kept guessing); htable.delete errs for a missing key
  await kamailioRpc(app, 'htable.delete', ['authfail', ip]).catch(() => undefined);
  return ban;
}
