import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { App } from '../../../platform/context.js';
import type { Em } from '../../../platform/db/orm.js';
import { forbidden, notFound } from '../../../platform/errors.js';
import { sipUsername, tenantSipDomain } from '../sip-identity.js';
import { telephonySecret } from '../kamailio-endpoint.js';
import { removeSipAccount, type SipAccountRemoval } from './sip-account-removal.js';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const randomHa1 = () => randomBytes(16).toString('hex');

/** Kamailio's digest secrets for a password: ha1 = md5(user:realm:pw), ha1b = md5(user@domain:realm:pw). */
export function digestHa1(username: string, domain: string, password: string): { ha1: string; ha1b: string } {
  return { ha1: md5(`${username}:${domain}:${password}`), ha1b: md5(`${username}@${domain}:${domain}:${password}`) };
}

interface AccountOwner {
  id: string;
  tenant_id: string;
  slug: string;
  role: string;
  status: string;
}

async function ownerOf(em: Em, userId: string): Promise<AccountOwner | undefined> {
  const [row] = await em.execute<AccountOwner[]>(
    `select u.id, u.tenant_id, t.slug, u.role, u.status from app_user u join tenant t on t.id = u.tenant_id where u.id = ?`,
    [userId],
  );
  return row;
}

const hasAccount = (o: AccountOwner | undefined) => !!o && o.role === 'AGENT' && o.status === 'ACTIVE';

/**
 * Keeps the user's row in Kamailio's `subscriber` table in step with the user, inside the caller's
 * transaction: an active agent has one (with an unknown random HA1 until the softphone asks for
 * credentials), anyone else has none. `rotate` voids credentials already issued (password change).
 * The SIP domain written here is refreshed whenever credentials are issued. When an account goes
 * (`removeSipAccount`), the caller hands what it returns to `afterSipAccountRemoval` after the commit.
 */
export async function syncSipAccount(
  em: Em,
  userId: string,
  options: { rotate?: boolean; sipDomain?: string } = {},
): Promise<SipAccountRemoval | null> {
  const owner = await ownerOf(em, userId);
  const conn = em;
  if (!owner || !hasAccount(owner)) return removeSipAccount(em, userId);
  const domain = `${owner.slug}.${options.sipDomain ?? (await platformSipDomain(em))}`;
  await conn.execute(
    `insert into kamailio.subscriber (username, domain, ha1, ha1b, tenant_id, user_id, expires_at)
     values (?, ?, ?, ?, ?, ?, now())
     on conflict (user_id) do ${options.rotate ? 'update set ha1 = excluded.ha1, ha1b = excluded.ha1b, expires_at = now()' : 'nothing'}`,
    [sipUsername(owner.id), domain, randomHa1(), randomHa1(), owner.tenant_id, owner.id],
  );
  return null;
}

const SIP_DOMAIN_SETTING = 'sip_domain';

/** The platform SIP domain the running API uses, recorded at start-up for code without the config. */
async function platformSipDomain(em: Em): Promise<string> {
  const rows = await em.execute<{ value: string }[]>('select value from platform_setting where key = ?', [SIP_DOMAIN_SETTING]);
  return rows[0]?.value ?? 'sip.switchboard.local';
}

/** Records SIP_DOMAIN for `syncSipAccount`; when it changed, every account moves (credentials must be issued again). */
export async function recordSipDomain(app: App): Promise<void> {
  const domain = app.config.telephony.sipDomain;
  const conn = app.orm.em.fork().getConnection();
  const previous = await platformSipDomain(app.orm.em.fork());
  await conn.execute(
    'insert into platform_setting (key, value) values (?, ?) on conflict (key) do update set value = excluded.value',
    [SIP_DOMAIN_SETTING, domain],
  );
  if (previous !== domain) {
    await conn.execute(
      `update kamailio.subscriber s set domain = t.slug || '.' || ?, expires_at = now() from tenant t where t.id = s.tenant_id`,
      [domain],
    );
  }
}

export interface IssuedSipCredentials {
  username: string;
  domain: string;
  password: string;
  uri: string;
  wsUrl: string;
  expiresAt: Date;
}

/** The WebSocket token Kamailio checks at the handshake: user.expiry.base64url(HMAC-SHA256). */
export function wsToken(secret: string, username: string, expiresAtSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`ws:${username}:${expiresAtSeconds}`).digest('base64url');
  return `${username}.${expiresAtSeconds}.${mac}`;
}

/**
 * New short-lived SIP credentials for the calling agent: a fresh random password (only its HA1 is
 * kept, in `subscriber`), valid for SIP_CREDENTIAL_TTL; earlier ones stop working.
 */
export async function issueSipCredentials(app: App, em: Em, tenantId: string, userId: string): Promise<IssuedSipCredentials> {
  const t = app.config.telephony;
  const owner = await ownerOf(em, userId);
  if (!owner || owner.tenant_id !== tenantId) throw notFound('User');
  if (!hasAccount(owner)) throw forbidden('Only active agents have SIP credentials');
  const username = sipUsername(userId);
  const domain = tenantSipDomain(owner.slug, t);
  const password = randomBytes(18).toString('base64url');
  const { ha1, ha1b } = digestHa1(username, domain, password);
  const expiresAt = new Date(Math.floor((app.clock.now().getTime() + t.sipCredentialTtlSeconds * 1000) / 1000) * 1000);
  await em.execute(
    `insert into kamailio.subscriber (username, domain, ha1, ha1b, tenant_id, user_id, expires_at) values (?, ?, ?, ?, ?, ?, ?)
     on conflict (user_id) do update set username = excluded.username, domain = excluded.domain, ha1 = excluded.ha1,
       ha1b = excluded.ha1b, expires_at = excluded.expires_at`,
    [username, domain, ha1, ha1b, tenantId, userId, expiresAt],
  );
  const base = t.wsPublicUrl ?? `ws://${t.listenHost}:${t.sipWsPort}`;
  const token = wsToken(await telephonySecret(app), username, expiresAt.getTime() / 1000);
  const wsUrl = `${base}${base.includes('?') ? '&' : '?'}token=${token}`;
  return { username, domain, password, uri: `sip:${username}@${domain}`, wsUrl, expiresAt };
}
