import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT_DIR, type TelephonyConfig } from '../../../platform/config.js';

/** Everything the Kamailio template needs besides the telephony settings. */
export interface KamailioRenderInput {
  telephony: TelephonyConfig;
  /** Where Kamailio posts route requests and events (no trailing slash). */
  apiUrl: string;
  secret: string;
  /** PostgreSQL of the platform (Kamailio's tables are in its `kamailio` schema). */
  databaseUrl: string;
  /** Origins allowed to open the SIP WebSocket. */
  origins: string[];
  debug?: number;
  logPrefix?: string;
  /** Benchmarks only: a fixed route decision (JSON) instead of asking the API. */
  staticDecision?: string;
}

/**
 * Async workers asking the API for route decisions (their own group), and posting call events and
 * registrations (the default group). Each waits on one
 * HTTP request at a time: at ~5 ms a request, 8 of them carry ~1,600 requests/s, well beyond what
 * one API process answers, while a slow API never makes SIP workers wait (INVITEs queue here).
 */
export const ROUTE_WORKERS = 8;
export const EVENT_WORKERS = 8;

export const KAMAILIO_TEMPLATE = join(ROOT_DIR, 'telephony', 'kamailio.cfg');

/**
 * User agents of SIP scanners and attack tools (lower case, matched anywhere in User-Agent): their
 * requests are dropped without an answer (route[GATE]).
 */
export const SCANNER_USER_AGENTS = ['friendly-scanner', 'sipvicious', 'sipcli', 'sip-scan', 'vaxsipuseragent', 'sipsak', 'sundayddr', 'iwar', 'sivus', 'smap', 'pplsip', 'sip-vicious', 'voipsniff', 'nmap'];

/** A SIP domain as a cfg regular expression (dots as `[.]`: no backslashes in cfg strings). */
function domainRegex(domain: string): string {
  if (!/^[a-z0-9][a-z0-9.-]*$/i.test(domain)) throw new Error(`SIP_DOMAIN is not a domain name: ${domain}`);
  return domain.toLowerCase().replace(/\./g, '[.]');
}

/** Kamailio's URL form of a PostgreSQL URL (it takes no query string). */
export function kamailioDbUrl(databaseUrl: string): string {
  const u = new URL(databaseUrl);
  const auth = u.username ? `${decodeURIComponent(u.username)}${u.password ? `:${decodeURIComponent(u.password)}` : ''}@` : '';
  return `postgres://${auth}${u.hostname}:${u.port || 5432}${u.pathname}`;
}

/** A value placed inside a double-quoted cfg string must not end it or start a variable. */
function safe(name: string, value: string): string {
  if (/["\\\r\n]/.test(value)) throw new Error(`${name} cannot be used in the Kamailio configuration: ${value}`);
  return value;
}

function bounded(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function originCheck(origins: string[]): string {
  const valid = origins.map((o) => new URL(o).origin).filter((o) => o !== 'null');
  if (!valid.length) throw new Error('SIP_WS_ORIGINS: at least one origin is needed');
  return valid.map((o) => `$hdr(Origin) == "${safe('origin', o)}"`).join(' || ');
}

/** The configuration text: the template with every {{NAME}} replaced. */
export function renderKamailioConfig(template: string, input: KamailioRenderInput): string {
  const t = input.telephony;
  const defines = [
    t.floodLimit > 0 ? '#!define WITH_PIKE' : '# flood limit off (SIP_FLOOD_LIMIT=0)',
    t.banFailures > 0 ? '#!define WITH_BAN' : '# no ban after failures (SIP_BAN_FAILURES=0)',
  ];
  if (t.rpcPort === t.sipWsPort || t.rpcPort === t.sipUdpPort) throw new Error('KAMAILIO_RPC_PORT must differ from SIP_WS_PORT and SIP_UDP_PORT');
  if (input.staticDecision) defines.push('#!define STATIC_ROUTE');
  if (input.staticDecision && /['\r\n]/.test(input.staticDecision)) throw new Error('static decision: no quotes or line breaks');
  const values: Record<string, string> = {
    DEFINES: defines.join('\n'),
    DEBUG: String(input.debug ?? 1),
    LOG_PREFIX: safe('log prefix', input.logPrefix ?? 'kamailio'),
    LISTEN: safe('SIP_LISTEN_HOST', t.listenHost),
    UDP_PORT: String(t.sipUdpPort),
    WS_PORT: String(t.sipWsPort),
    RPC_PORT: String(bounded('KAMAILIO_RPC_PORT', t.rpcPort, 1, 65535)),
    NG_PORT: String(t.rtpengineNgPort),
    DB_URL: safe('database URL', kamailioDbUrl(input.databaseUrl)),
    API_URL: safe('TELEPHONY_API_URL', input.apiUrl.replace(/\/+$/, '')),
    SECRET: safe('TELEPHONY_SECRET', input.secret),
    SIP_DOMAIN: safe('SIP_DOMAIN', t.sipDomain),
    SIP_DOMAIN_RE: domainRegex(t.sipDomain),
    FLOOD_LIMIT: String(Math.max(t.floodLimit, 1)),
    BAN_FAILURES: String(Math.max(t.banFailures, 1)),
    BAN_WINDOW: String(bounded('SIP_BAN_WINDOW', t.banWindowSeconds, 1, 86400)),
    BAN_SECONDS: String(bounded('SIP_BAN_SECONDS', t.banSeconds, 1, 7 * 86400)),
    SCANNERS: SCANNER_USER_AGENTS.join('|'),
    MIN_EXPIRES: String(bounded('SIP_MIN_EXPIRES', t.sipMinExpires, 1, 3600)),
    USRLOC_TIMER: String(bounded('SIP_USRLOC_TIMER', t.sipUsrlocTimer, 1, 600)),
    ORIGIN_CHECK: originCheck(input.origins),
    STATIC_DECISION: input.staticDecision ?? '{}',
    ROUTE_WORKERS: String(ROUTE_WORKERS),
    EVENT_WORKERS: String(EVENT_WORKERS),
  };
  const out = template.replace(/\{\{([A-Z_]+)\}\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`kamailio.cfg: unknown placeholder ${whole}`);
    return value;
  });
  return out;
}

export async function loadKamailioTemplate(): Promise<string> {
  return readFile(KAMAILIO_TEMPLATE, 'utf8');
}
