import { randomBytes } from 'node:crypto';
import type { App } from '../../platform/context.js';
import type { Em } from '../../platform/db/orm.js';
import { platformEm } from '../../platform/db/orm.js';
import { AppError, ErrorCode, badInput, unauthenticated } from '../../platform/errors.js';
import { decoyHash, verifyPassword } from '../../platform/auth/password.js';
import { effectivePermissions, Permission, Role } from '../../platform/auth/permissions.js';
import type { Principal } from '../../platform/auth/principal.js';
import { opaqueToken, sha256, signAccessToken, verifyAccessToken } from '../../platform/auth/tokens.js';
import { PlatformSetting } from '../../platform/db/platform-setting.entity.js';
import { acquireSeat } from '../licensing/licence.service.js';
import { TenantStatus } from '../tenants/tenant.entity.js';
import { Session } from './session.entity.js';
import { User, UserStatus } from './user.entity.js';
import type { SignInInput } from './identity.input.js';
import { refreshThrottle, signInThrottle } from './auth-throttle.js';

const REFRESH_PREFIX = 'sbr';
export const API_KEY_PREFIX = 'sbk';

/** The access-token signing key: created by the first instance to start, shared by all. */
export async function loadTokenSecret(em: Em): Promise<Buffer> {
  const key = 'access_token_secret';
  await em.getConnection().execute(
    'insert into platform_setting (key, value) values (?, ?) on conflict (key) do nothing',
    [key, randomBytes(32).toString('base64')],
  );
  const row = await em.fork().findOneOrFail(PlatformSetting, { key });
  return Buffer.from(row.value, 'base64');
}

export interface Tokens {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
}

function issueAccess(app: App, user: User, session: Session, now = Date.now()) {
  const iat = Math.floor(now / 1000);
  const exp = iat + app.config.accessTokenTtlSeconds;
  const accessToken = signAccessToken(
    { sub: user.id, sid: session.id, ...(user.tenant ? { tid: user.tenant.id } : {}), iat, exp },
    app.tokenSecret,
  );
  return { accessToken, accessTokenExpiresAt: new Date(exp * 1000) };
}

const sameError = () => new AppError(ErrorCode.INVALID_CREDENTIALS, 'The e-mail or password is wrong');

/**
 * E-mail and password sign-in. Every failure that could tell whether an account exists answers
 * the same way and costs the same time. Agents take a licence seat (or are refused when none is free).
 * Wrong passwords are throttled per account, per account and address, and per address
 * (`auth-throttle.ts`); a blocked attempt is refused before the password is checked.
 */
export async function signIn(app: App, input: SignInInput, ip: string, userAgent?: string): Promise<Tokens & { user: User }> {
  const em = platformEm(app.orm);
  const email = input.email.trim().toLowerCase();
  await signInThrottle.assertAllowed(app, email, ip);
  const where = input.tenant ? { email, tenant: { slug: input.tenant.toLowerCase() } } : { email };
  const candidates = await em.find(User, where, { populate: ['tenant', 'passwordHash'], limit: 10 });
  const matches: User[] = [];
  for (const user of candidates) {
    if (user.passwordHash && (await verifyPassword(input.password, user.passwordHash))) matches.push(user);
  }
  if (candidates.length === 0) await verifyPassword(input.password, await decoyHash());
  const active = matches.filter((u) => u.status === UserStatus.ACTIVE);
  if (active.length === 0) {
    await signInThrottle.failed(app, email, ip);
    throw sameError();
  }
  if (active.length > 1) throw badInput('This e-mail is used in several tenants: give the tenant slug', 'tenant');
  const user = active[0];
  if (user.tenant && user.tenant.status === TenantStatus.SUSPENDED) {
    throw new AppError(ErrorCode.TENANT_SUSPENDED, 'This tenant is suspended; contact your provider');
  }
  const started = await startSession(app, user, userAgent);
  await signInThrottle.succeeded(app, email, ip);
  return started;
}

async function startSession(app: App, user: User, userAgent?: string): Promise<Tokens & { user: User }> {
  const refreshToken = opaqueToken(REFRESH_PREFIX);
  const now = Date.now();
  const expiresAt = new Date(now + app.config.refreshTokenTtlSeconds * 1000);
  const holdsSeat = user.role === Role.AGENT;
  const session = await platformEm(app.orm).transactional(async (tx) => {
    if (holdsSeat) await acquireSeat(tx, user.tenant!.id, user.id);
    const s = tx.create(Session, {
      tenant: user.tenant ?? null,
      user: user.id,
      refreshTokenHash: sha256(refreshToken),
      previousTokenHashes: [],
      holdsSeat,
      expiresAt,
      userAgent: userAgent?.slice(0, 400) ?? null,
    });
    await tx.nativeUpdate(User, { id: user.id }, { lastSignInAt: new Date(now) });
    return s;
  });
  user.lastSignInAt = new Date(now);
  return { ...issueAccess(app, user, session, now), refreshToken, refreshTokenExpiresAt: expiresAt, user };
}

/**
 * Exchanges a refresh token for new tokens. Each refresh token works once: presenting one that
 * was already exchanged means it leaked, and ends the whole session.
 */
export async function refreshSession(app: App, refreshToken: string, ip: string): Promise<Tokens & { user: User }> {
  await refreshThrottle.assertAllowed(app, ip);
  const em = platformEm(app.orm);
  const oldHash = sha256(refreshToken);
  const newToken = opaqueToken(REFRESH_PREFIX);
  const expiresAt = new Date(Date.now() + app.config.refreshTokenTtlSeconds * 1000);
  const conn = em.getConnection();
  const rotated = await conn.execute<{ id: string }[]>(
    `update session s set refresh_token_hash = ?, previous_token_hashes = array_append(previous_token_hashes, ?),
            last_used_at = now(), expires_at = ?
       from app_user u left join tenant t on t.id = u.tenant_id
      where s.refresh_token_hash = ? and s.revoked_at is null and s.expires_at > now()
        and u.id = s.user_id and u.status = 'ACTIVE' and (t.id is null or t.status = 'ACTIVE')
      returning s.id`,
    [sha256(newToken), oldHash, expiresAt, oldHash],
  );
  if (rotated.length === 0) {
    await conn.execute('update session set revoked_at = now() where ? = any(previous_token_hashes) and revoked_at is null', [oldHash]);
    await refreshThrottle.failed(app, ip);
    throw unauthenticated('This refresh token is no longer valid; sign in again');
  }
  const session = await em.findOneOrFail(Session, { id: rotated[0].id }, { populate: ['user', 'user.tenant'] });
  const user = session.user;
  return { ...issueAccess(app, user, session), refreshToken: newToken, refreshTokenExpiresAt: expiresAt, user };
}

/** Ends sessions: one by id, or every session of a user. Frees agent seats at once. */
export async function revokeSessions(em: Em, where: { sessionId: string } | { userId: string; tenantId: string }): Promise<number> {
  const [sql, params] =
    'sessionId' in where
      ? ['update session set revoked_at = now() where id = ? and revoked_at is null', [where.sessionId]]
      : ['update session set revoked_at = now() where user_id = ? and tenant_id = ? and revoked_at is null', [where.userId, where.tenantId]];
  const result = await em.getConnection().execute<{ affectedRows: number }>(sql, params, 'run');
  return result.affectedRows;
}

/**
 * Turns an `Authorization` header into a principal. Returns undefined for no credentials and
 * throws UNAUTHENTICATED (or TENANT_SUSPENDED) for credentials that are not (or no longer) good.
 * The session is checked on every request, so sign-out and suspension take effect at once.
 */
export async function authenticate(app: App, authorization: string | undefined): Promise<Principal | undefined> {
  if (!authorization) return undefined;
  const match = /^(?:Bearer|ApiKey)\s+(\S+)$/i.exec(authorization.trim());
  if (!match) throw unauthenticated('Send credentials as "Authorization: Bearer <token or API key>"');
  const token = match[1];
  return token.startsWith(`${API_KEY_PREFIX}_`) ? authenticateApiKey(app, token) : authenticateToken(app, token);
}

async function authenticateToken(app: App, token: string): Promise<Principal> {
  const claims = verifyAccessToken(token, app.tokenSecret);
  if (!claims) throw unauthenticated('The access token is invalid or expired; refresh it or sign in again');
  return sessionPrincipal(app, claims.sid, claims.sub);
}

/** The principal of a session that is still active, with its rights as they are now. */
async function sessionPrincipal(app: App, sessionId: string, userId: string): Promise<Principal> {
  const [row] = await app.orm.em.getConnection().execute<
    { role: Role; tenant_id: string | null; tenant_status: TenantStatus | null; groups: Permission[][] }[]
  >(
    `select u.role, u.tenant_id, t.status as tenant_status,
            coalesce((select json_agg(g.permissions) from security_group_member m
                        join security_group g on g.id = m.group_id where m.user_id = u.id), '[]'::json) as groups
       from session s join app_user u on u.id = s.user_id left join tenant t on t.id = u.tenant_id
      where s.id = ? and s.user_id = ? and s.revoked_at is null and s.expires_at > now() and u.status = 'ACTIVE'`,
    [sessionId, userId],
  );
  if (!row) throw unauthenticated('This session has ended; sign in again');
  if (row.role === Role.PLATFORM_OPERATOR) return { kind: 'operator', userId, sessionId };
  if (row.tenant_status !== TenantStatus.ACTIVE) throw new AppError(ErrorCode.TENANT_SUSPENDED, 'This tenant is suspended');
  return {
    kind: 'user',
    tenantId: row.tenant_id!,
    userId,
    role: row.role,
    sessionId,
    permissions: effectivePermissions(row.role, row.groups),
  };
}

/**
 * Checks again that a principal's session or API key is still good and returns its current
 * rights. Long-lived connections (WebSockets) call it, so sign-out, revocation, disabling and
 * suspension reach them too; an expired access token does not end them while the session lives.
 */
export async function refreshPrincipal(app: App, principal: Principal): Promise<Principal> {
  if (principal.kind === 'apiKey') return apiKeyPrincipal(app, 'id', principal.apiKeyId);
  return sessionPrincipal(app, principal.sessionId, principal.userId);
}

/** How often last-used times are written, so a busy key does not write on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

const authenticateApiKey = (app: App, key: string) => apiKeyPrincipal(app, 'secret_hash', sha256(key));

/**
 * An API key's principal. Its rights are its scopes intersected with its creator's rights as
 * they are now (role narrowed by security groups), read in the same indexed query: a key never
 * outlives its creator's rights. A key whose creator is disabled, deleted or (seeded before keys
 * had owners) unknown answers UNAUTHENTICATED.
 */
async function apiKeyPrincipal(app: App, column: 'secret_hash' | 'id', value: string): Promise<Principal> {
  const conn = app.orm.em.getConnection();
  const [row] = await conn.execute<
    { id: string; tenant_id: string; scopes: Permission[]; last_used_at: Date | null; tenant_status: TenantStatus; role: Role; groups: Permission[][] }[]
  >(
    `select k.id, k.tenant_id, k.scopes, k.last_used_at, t.status as tenant_status, u.role,
            coalesce((select json_agg(g.permissions) from security_group_member m
                        join security_group g on g.id = m.group_id where m.user_id = u.id), '[]'::json) as groups
       from api_key k join tenant t on t.id = k.tenant_id
       join app_user u on u.id = k.created_by_id and u.tenant_id = k.tenant_id and u.status = 'ACTIVE'
      where k.${column} = ? and k.revoked_at is null and (k.expires_at is null or k.expires_at > now())`,
    [value],
  );
  if (!row) throw unauthenticated('This API key is unknown, revoked or expired, or the person who created it is disabled or gone');
  if (row.tenant_status !== TenantStatus.ACTIVE) throw new AppError(ErrorCode.TENANT_SUSPENDED, 'This tenant is suspended');
  if (!row.last_used_at || Date.now() - new Date(row.last_used_at).getTime() > LAST_USED_RESOLUTION_MS) {
    await conn.execute('update api_key set last_used_at = now() where id = ?', [row.id]);
  }
  const creatorRights = effectivePermissions(row.role, row.groups);
  const permissions = new Set(row.scopes.filter((p) => creatorRights.has(p)));
  return { kind: 'apiKey', tenantId: row.tenant_id, apiKeyId: row.id, permissions };
}
