/**
 * What Kamailio and the API say to each other. Kamailio POSTs JSON to `/telephony/kamailio/<kind>`
 * on the API with the header `X-Switchboard-Secret`; the API trusts nothing without it
 * (`verifyKamailio`). Two parts of the telephony module implement this:
 *  - runtime + SIP accounts (Kamailio config, registration): `registration`;
 *  - calls (trunks, routing, call events, recordings): `route`, `call-event`.
 */

/** The header carrying the shared secret on every Kamailio -> API request. */
export const KAMAILIO_SECRET_HEADER = 'x-switchboard-secret';
export const KAMAILIO_PATH_PREFIX = '/telephony/kamailio';

/** POST /telephony/kamailio/route: an initial INVITE that Kamailio cannot resolve by itself. */
export interface RouteRequest {
  callId: string;
  /** Request-URI user (the dialled number or DID) and host. */
  ruriUser: string;
  ruriDomain: string;
  /** From user (caller number or the agent's SIP user; empty or `anonymous` for a caller who withholds it) and domain. */
  fromUser: string;
  fromDomain: string;
  /** Display name of the caller, if any. */
  fromName?: string;
  /** The user of P-Asserted-Identity (RFC 3325), when the INVITE has one: who the trunk says calls. */
  assertedUser?: string;
  /** The Privacy header (RFC 3323), when the INVITE has one, e.g. `id` or `id;critical`. */
  privacy?: string;
  /** Where the INVITE came from, as Kamailio saw it. */
  sourceIp: string;
  sourcePort: number;
  transport: 'udp' | 'tcp' | 'ws' | 'wss' | 'tls';
  /** Set when Kamailio authenticated the INVITE against `subscriber` (agent outbound calls). */
  authUser?: string;
  authDomain?: string;
  /** The From-tag (rtpengine names the caller's side by it; the API plays music on hold to it). */
  fromTag?: string;
  /** The INVITE's SDP (calls from trunks): the API anchors a caller who waits in rtpengine with it. */
  sdp?: string;
}

/** What Kamailio does with the INVITE. */
export type RouteDecision =
  | {
      action: 'agent';
      /** Registered AOR to look up in usrloc, e.g. sip:agent1@acme.sip.switchboard.local */
      aor: string;
      interactionId: string;
      /** Ask rtpengine to record this call (pcap). */
      record: boolean;
      /** Seconds to ring the agent before the call fails over (failure -> call-event failed). */
      ringSeconds: number;
      /**
       * The From user the agent's phone should see instead of the INVITE's: `anonymous` for a
       * caller whose number is withheld (Privacy), or the number P-Asserted-Identity gave.
       */
      presentAs?: string;
      /**
       * The queue holds callers: when the agent declines, is busy or does not answer in time,
       * Kamailio does not pass the failure on but posts `missed` and holds the INVITE (t_suspend)
       * until the API resumes it (`POST /resume` on Kamailio's RPC port) with the next decision.
       */
      hunt?: boolean;
    }
  | {
      action: 'wait';
      interactionId: string;
      /** The SDP of a `183 Session Progress` (rtpengine's side facing the caller, music on hold); none: the caller already has early media. */
      sdp?: string;
      record: boolean;
    }
  | {
      action: 'trunk';
      /** Request-URI towards the trunk, e.g. sip:+34911222333@203.0.113.5:5060;transport=udp */
      ruri: string;
      /** Caller ID to present (From user). */
      callerId: string;
      /** Digest credentials for the trunk, when it asks (uac_auth). */
      auth?: { username: string; password: string; realm?: string };
      interactionId: string;
      record: boolean;
    }
  | { action: 'reject'; code: number; reason: string };

/** POST /telephony/kamailio/call-event: dialog progress of a call the API routed. */
export interface CallEvent {
  callId: string;
  interactionId: string;
  event: 'ringing' | 'answered' | 'held' | 'resumed' | 'transferred' | 'ended' | 'failed' | 'missed';
  /** SIP code for failed (from failure_route, kept in a dialog variable) and for ended by BYE (200). */
  code?: number;
  reason?: string;
  /** Who ended the call: 'caller' | 'callee' | 'api'. */
  by?: string;
  /**
   * With `transferred` (the caller's side answered 2xx to an in-dialog REFER), and with `ended` of a
   * dialog that had one: the Refer-To user, `xfer-<token>` (the only targets Kamailio lets through).
   */
  target?: string;
  /** Unix milliseconds when Kamailio saw it. */
  at: number;
}

/** POST /telephony/kamailio/registration: usrloc changes of an agent's contacts. */
export interface RegistrationEvent {
  event: 'registered' | 'unregistered' | 'expired';
  /** SIP user and domain (the domain names the tenant). */
  username: string;
  domain: string;
  contact: string;
  expires: number;
  transport: string;
  userAgent?: string;
}

/** The request kinds, each posted to `${KAMAILIO_PATH_PREFIX}/<kind>`. */
export interface KamailioRequests {
  route: RouteRequest;
  'call-event': CallEvent;
  registration: RegistrationEvent;
}
export type KamailioRequestKind = keyof KamailioRequests;

type Field<V> = ([V] extends [number] ? { type: 'integer' } : { type: 'string'; values?: readonly V[] }) & { optional?: true };
/** One entry per field of T (a field added to an interface above and not here fails type-checking), `optional` exactly for T's optional ones. */
type Shape<T> = { [K in keyof T]-?: Field<NonNullable<T[K]>> & ({} extends Pick<T, K> ? { optional: true } : { optional?: never }) };

/** The bodies Kamailio sends, field by field: what `checkKamailioRequest` holds every request to. */
export const KAMAILIO_REQUEST_SHAPES: { [K in KamailioRequestKind]: Shape<KamailioRequests[K]> } = {
  route: {
    callId: { type: 'string' },
    ruriUser: { type: 'string' },
    ruriDomain: { type: 'string' },
    fromUser: { type: 'string' },
    fromDomain: { type: 'string' },
    fromName: { type: 'string', optional: true },
    assertedUser: { type: 'string', optional: true },
    privacy: { type: 'string', optional: true },
    sourceIp: { type: 'string' },
    sourcePort: { type: 'integer' },
    transport: { type: 'string', values: ['udp', 'tcp', 'ws', 'wss', 'tls'] },
    authUser: { type: 'string', optional: true },
    authDomain: { type: 'string', optional: true },
    fromTag: { type: 'string', optional: true },
    sdp: { type: 'string', optional: true },
  },
  'call-event': {
    callId: { type: 'string' },
    interactionId: { type: 'string' },
    event: { type: 'string', values: ['ringing', 'answered', 'held', 'resumed', 'transferred', 'ended', 'failed', 'missed'] },
    code: { type: 'integer', optional: true },
    reason: { type: 'string', optional: true },
    by: { type: 'string', values: ['caller', 'callee', 'api'], optional: true },
    target: { type: 'string', optional: true },
    at: { type: 'integer' },
  },
  registration: {
    event: { type: 'string', values: ['registered', 'unregistered', 'expired'] },
    username: { type: 'string' },
    domain: { type: 'string' },
    contact: { type: 'string' },
    expires: { type: 'integer' },
    transport: { type: 'string' },
    userAgent: { type: 'string', optional: true },
  },
};

/** One request as it reached (or would reach) the API. */
export interface KamailioRequestSeen {
  method: string;
  path: string;
  /** Header names in lower case. */
  headers: Record<string, string | string[] | undefined>;
  /** The raw body text. */
  body: string;
}

/**
 * What is wrong with a Kamailio -> API request, as sentences (none: it keeps the contract): POST to
 * a known kind under KAMAILIO_PATH_PREFIX, JSON, the shared secret `secret`, and a body with every
 * required field of its kind, each of its type (and among its values), and no other field.
 * The contract test holds the real Kamailio to it, the tests' fake (testing/kamailio-peer.ts) itself.
 */
export function checkKamailioRequest(seen: KamailioRequestSeen, secret: string): string[] {
  const problems: string[] = [];
  if (seen.method !== 'POST') problems.push(`method ${seen.method}, not POST`);
  const kind = seen.path.startsWith(`${KAMAILIO_PATH_PREFIX}/`) ? seen.path.slice(KAMAILIO_PATH_PREFIX.length + 1) : '';
  if (!Object.hasOwn(KAMAILIO_REQUEST_SHAPES, kind)) problems.push(`path ${seen.path} is none of ${Object.keys(KAMAILIO_REQUEST_SHAPES).map((k) => `${KAMAILIO_PATH_PREFIX}/${k}`).join(', ')}`);
  if (!/^application\/json\b/i.test(String(seen.headers['content-type'] ?? ''))) problems.push(`content-type ${seen.headers['content-type']}, not application/json`);
  if (seen.headers[KAMAILIO_SECRET_HEADER] !== secret) problems.push(`${KAMAILIO_SECRET_HEADER} ${seen.headers[KAMAILIO_SECRET_HEADER] === undefined ? 'missing' : 'is not the shared secret'}`);
  let body: unknown;
  try {
    body = JSON.parse(seen.body);
  } catch {
    return [...problems, `the body is not JSON: ${seen.body.slice(0, 200)}`];
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return [...problems, 'the body is not a JSON object'];
  const shape: Record<string, { type: string; values?: readonly string[]; optional?: true }> | undefined = KAMAILIO_REQUEST_SHAPES[kind as KamailioRequestKind];
  if (!shape) return problems;
  const fields = body as Record<string, unknown>;
  for (const [name, field] of Object.entries(shape)) {
    const value = fields[name];
    if (value === undefined) {
      if (!field.optional) problems.push(`${kind}: ${name} is missing`);
    } else if (field.type === 'integer' ? !Number.isInteger(value) : typeof value !== 'string') {
      problems.push(`${kind}: ${name} is ${JSON.stringify(value)}, not ${field.type === 'integer' ? 'an integer' : 'a string'}`);
    } else if (value === '<null>') {
      problems.push(`${kind}: ${name} is "<null>", what Kamailio writes for a variable without a value`);
    } else if (field.values && !field.values.includes(value as string)) {
      problems.push(`${kind}: ${name} is ${JSON.stringify(value)}, none of ${field.values.join(', ')}`);
    }
  }
  for (const name of Object.keys(fields)) if (!Object.hasOwn(shape, name)) problems.push(`${kind}: unknown field ${name}`);
  return problems;
}
