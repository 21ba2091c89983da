import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Access tokens: compact HS256 JWTs signed with the platform secret. */
export interface AccessClaims {
  /** user id */
  sub: string;
  /** session id; the session must still be active for the token to be accepted */
  sid: string;
  /** tenant id, absent for platform operators */
  tid?: string;
  iat: number;
  exp: number;
}

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

export function signAccessToken(claims: AccessClaims, secret: Buffer): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = createHmac('sha256', secret).update(`${HEADER}.${payload}`).digest('base64url');
  return `${HEADER}.${payload}.${signature}`;
}

/** Returns the claims of a well-signed, unexpired token, or undefined. */
export function verifyAccessToken(token: string, secret: Buffer, nowSeconds = Math.floor(Date.now() / 1000)): AccessClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== HEADER) return undefined;
  const expected = createHmac('sha256', secret).update(`${parts[0]}.${parts[1]}`).digest();
  const given = Buffer.from(parts[2], 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as AccessClaims;
    if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds) return undefined;
    if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string') return undefined;
    return claims;
  } catch {
    return undefined;
  }
}

/** An opaque secret with a recognisable prefix; only its SHA-256 is stored. */
export function opaqueToken(prefix: string, bytes = 32): string {
  return `${prefix}_${randomBytes(bytes).toString('base64url')}`;
}

export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');
