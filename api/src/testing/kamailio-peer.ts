import type { TestApi } from './harness.js';
import { telephonySecret } from '../modules/telephony/kamailio-endpoint.js';
import {
  checkKamailioRequest, KAMAILIO_PATH_PREFIX, KAMAILIO_SECRET_HEADER,
  type CallEvent, type KamailioRequestKind, type RegistrationEvent, type RouteDecision, type RouteRequest,
} from '../modules/telephony/kamailio.contract.js';
import { sipUsername, tenantSipDomain } from '../modules/telephony/sip-identity.js';

let calls = 0;

async function post(api: TestApi, path: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${api.url}${path}`, { method: 'POST', headers, body });
  return { status: response.status, body: await response.json() };
}

/**
 * Posts to the API exactly as Kamailio's async workers do: JSON, with the shared secret. What it
 * sends is held to the contract the real Kamailio is held to (`checkKamailioRequest`, and
 * test/telephony/kamailio-contract.test.ts for the real one): a test cannot make the fake say
 * something telephony/kamailio.cfg never says. Tests of the API's own checks use `postOffContract`.
 */
export async function postKamailio(api: TestApi, kind: KamailioRequestKind, body: unknown): Promise<{ status: number; body: any }> {
  const secret = await telephonySecret(api.running.app);
  const request = {
    method: 'POST',
    path: `${KAMAILIO_PATH_PREFIX}/${kind}`,
    headers: { 'content-type': 'application/json', [KAMAILIO_SECRET_HEADER]: secret },
    body: JSON.stringify(body),
  };
  const problems = checkKamailioRequest(request, secret);
  if (problems.length) throw new Error(`the fake Kamailio would send what the real one never does (${problems.join('; ')}): ${request.body}`);
  return post(api, request.path, request.headers, request.body);
}

/** A request no Kamailio of ours sends (a wrong or missing secret with null, a malformed body): for tests of the API's checks. */
export async function postOffContract(api: TestApi, kind: string, body: unknown, secret?: string | null): Promise<{ status: number; body: any }> {
  const key = secret === undefined ? await telephonySecret(api.running.app) : secret;
  return post(api, `${KAMAILIO_PATH_PREFIX}/${kind}`, { 'content-type': 'application/json', ...(key !== null && { [KAMAILIO_SECRET_HEADER]: key }) }, JSON.stringify(body));
}

/** An initial INVITE from a carrier (`ruriUser` the DID) or from an agent's softphone (`authUser`). */
export function invite(over: Partial<RouteRequest>): RouteRequest {
  return {
    callId: `call-${Date.now().toString(36)}-${calls++}@test`,
    ruriUser: '+15145550100',
    ruriDomain: '127.0.0.1',
    fromUser: '+15145559999',
    fromDomain: 'carrier.example',
    sourceIp: '198.51.100.7',
    sourcePort: 5060,
    transport: 'udp',
    ...over,
  };
}

export const route = async (api: TestApi, req: RouteRequest): Promise<RouteDecision> => (await postKamailio(api, 'route', req)).body;

export function callEvent(api: TestApi, callId: string, interactionId: string, event: CallEvent['event'], extra: Partial<CallEvent> = {}) {
  return postKamailio(api, 'call-event', { callId, interactionId, event, at: Date.now(), ...extra });
}

/**
 * Tells the API an agent's phone registered, as Kamailio does after a successful REGISTER: voice
 * routing offers calls only to agents with a live registration. Tests without Kamailio use this.
 */
export async function registerPhone(api: TestApi, tenantSlug: string, userId: string, expires = 600): Promise<void> {
  const event: RegistrationEvent = {
    event: 'registered',
    username: sipUsername(userId),
    domain: tenantSipDomain(tenantSlug, api.running.app.config.telephony),
    contact: `sip:${sipUsername(userId)}@127.0.0.1:5099;transport=udp`,
    expires,
    transport: 'udp',
    userAgent: 'test phone',
  };
  const res = await postKamailio(api, 'registration', event);
  if (res.status !== 200 || !res.body.ok) throw new Error(`registration refused: ${res.status} ${JSON.stringify(res.body)}`);
}

/** A carrier's SIP trunk (what the tests' carriers need: where it is, who may send calls, its own account). */
export interface CarrierOptions {
  host?: string;
  port?: number;
  allowedSources?: string[];
  username?: string;
  password?: string;
}

/**
 * Through GraphQL, as an administrator: a trunk named "Carrier" (127.0.0.1 by default) whose
 * default caller ID is `number`, and `number` on it for the floor's campaign. Resolves with the trunk id.
 */
export async function addCarrierNumber(
  api: TestApi,
  floor: { t: { adminToken: string }; campaignId: string },
  number: string,
  carrier: CarrierOptions = {},
): Promise<string> {
  const { host = '127.0.0.1', allowedSources = [host], ...rest } = carrier;
  const trunkId = (
    await api.ok('mutation($i: SipTrunkInput!) { createSipTrunk(input: $i) { id } }', {
      i: { name: 'Carrier', host, allowedSources, callerIdDefault: number, ...rest },
    }, floor.t.adminToken)
  ).createSipTrunk.id as string;
  await api.ok('mutation($i: DidInput!) { addDid(input: $i) { id } }', { i: { number, trunkId, campaignId: floor.campaignId } }, floor.t.adminToken);
  return trunkId;
}
