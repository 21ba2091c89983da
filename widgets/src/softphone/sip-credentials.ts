import { OperationError, type GraphqlSocket } from '../core/transport.js';

/** What the softphone needs to register with Kamailio's WebSocket gateway (`SipCredentials` in the API). */
export interface SipCredentials {
  /** WebSocket URL carrying the API-signed handshake token, e.g. wss://sip.example.com/?token=... */
  wsUrl: string;
  /** Address of record, sip:<username>@<tenant domain>. */
  uri: string;
  /** SIP user, also the digest authorization user. */
  username: string;
  password: string;
  /** ISO time when the password and the token stop working. */
  expiresAt: string;
}

const ISSUE = 'mutation { issueSipCredentials { wsUrl uri username password expiresAt } }';

/** The API says so when it runs no Kamailio, or this user is no agent with a SIP account. */
const NO_VOICE = new Set(['TELEPHONY_UNAVAILABLE', 'FORBIDDEN', 'NOT_FOUND']);

/**
 * New credentials (each call voids the previous password), or null when this platform or this
 * user has no telephony: the softphone then shows no voice controls. Other failures throw.
 */
export async function fetchSipCredentials(socket: GraphqlSocket): Promise<SipCredentials | null> {
  try {
    return (await socket.request<{ issueSipCredentials: SipCredentials }>(ISSUE)).issueSipCredentials;
  } catch (err) {
    if (err instanceof OperationError && NO_VOICE.has(err.code ?? '')) return null;
    throw err;
  }
}

/** When to ask again: at 80 % of the remaining lifetime, at least 5 s and at most a day away. */
export function renewIn(expiresAt: string, now = Date.now()): number {
  const left = new Date(expiresAt).getTime() - now;
  return Math.min(Math.max(left * 0.8, 5_000), 86_400_000);
}
