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
  event: 'ringing' | 'answered' | 'held' | 'resumed' | 'transferred' | 'ended' | 'failed';
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
