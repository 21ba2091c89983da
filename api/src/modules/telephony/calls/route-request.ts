import type { RouteDecision, RouteRequest } from '../kamailio.contract.js';

const TRANSPORTS = new Set(['udp', 'tcp', 'ws', 'wss', 'tls']);
const str = (v: unknown, max = 255): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;
/** Absent or empty is allowed (a From URI without a user, e.g. an anonymous caller). */
const optionalStr = (v: unknown, max: number) => v === undefined || v === '' || str(v, max);

/** The request as Kamailio must send it, or null (answered 400 to Kamailio, nothing written). */
export function parseRouteRequest(body: unknown): RouteRequest | null {
  const b = body as Partial<RouteRequest>;
  if (!str(b.callId) || !str(b.ruriUser, 64) || !str(b.ruriDomain) || !optionalStr(b.fromUser, 64) || !str(b.fromDomain) || !str(b.sourceIp, 64)) return null;
  if (!Number.isInteger(b.sourcePort) || !TRANSPORTS.has(String(b.transport))) return null;
  if (b.fromName !== undefined && typeof b.fromName !== 'string') return null;
  if ((b.assertedUser !== undefined && typeof b.assertedUser !== 'string') || (b.privacy !== undefined && typeof b.privacy !== 'string')) return null;
  if ((b.authUser !== undefined && !str(b.authUser, 64)) || (b.authDomain !== undefined && !str(b.authDomain))) return null;
  if ((b.fromTag !== undefined && !str(b.fromTag, 128)) || (b.sdp !== undefined && !str(b.sdp, 8000))) return null;
  // odd optional headers must not fail a genuine call: an oversized assertion is ignored, an
  // oversized Privacy header is read as a request for privacy
  const assertedUser = b.assertedUser && b.assertedUser.length <= 64 ? b.assertedUser : undefined;
  const privacy = b.privacy && b.privacy.length > 255 ? 'id' : b.privacy || undefined;
  return { ...b, fromUser: b.fromUser ?? '', assertedUser, privacy } as RouteRequest;
}

export const reject = (code: number, reason: string): RouteDecision => ({ action: 'reject', code, reason });
