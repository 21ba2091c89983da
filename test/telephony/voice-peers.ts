/**
 * The SIP peers of the voice end-to-end test, all sipp over UDP: a carrier trunk (calling in and
 * answering calls out) and an agent's desk phone (registering, answering, calling out).
 */
import { join } from 'node:path';
import { freeUdpPorts, runSipp, SIPP_SCENARIOS, startSipp, type SippResult, type TelephonyTestApi } from '../../api/src/testing/telephony.js';
import { telephonyRuntime } from '../../api/src/modules/telephony/runtime/index.js';

/** sipp's media port and the ones after it it may bind (RTCP, echo). */
const mediaPort = () => freeUdpPorts(4);
const sipPort = () => freeUdpPorts(1);

export interface SipCredentials {
  username: string;
  domain: string;
  password: string;
  uri: string;
}

export class VoicePeers {
  constructor(private readonly sipPort: number) {}

  private get target(): string {
    return `127.0.0.1:${this.sipPort}`;
  }

  private auth(c: SipCredentials, password = c.password): string[] {
    return ['-au', c.username, '-ap', password, '-key', 'user', c.username, '-key', 'domain', c.domain];
  }

  /** REGISTER from `port`; `refused` runs the scenario that expects 403. */
  register(c: SipCredentials, port: number, options: { password?: string; refused?: boolean } = {}): Promise<SippResult> {
    const scenario = options.refused ? 'register-refused.xml' : 'register.xml';
    return runSipp([this.target, '-sf', join(SIPP_SCENARIOS, scenario), '-m', '1', '-i', '127.0.0.1', '-p', String(port), ...this.auth(c, options.password)], 10_000);
  }

  /** The registered phone on `port`: rings, answers, echoes the media back, waits for the BYE. */
  async answeringPhone(port: number) {
    return startSipp(['-sf', join(SIPP_SCENARIOS, 'agent-answer.xml'), '-m', '1', '-i', '127.0.0.1', '-p', String(port),
      '-mp', String(await mediaPort()), '-rtp_echo', '-timeout', '30s', '-timeout_error']);
  }

  /** The registered phone on `port` rings, then turns the call down (486). */
  async decliningPhone(port: number) {
    return startSipp(['-sf', join(SIPP_SCENARIOS, 'agent-decline.xml'), '-m', '1', '-i', '127.0.0.1', '-p', String(port), '-timeout', '30s', '-timeout_error']);
  }

  /**
   * The carrier calls `did` from +34600111222 with G.711 audio; it hangs up after 4 s, or with
   * `untilBye` stays on until the platform sends BYE.
   */
  async trunkCall(did: string, timeoutMs = 30_000, untilBye = false): Promise<SippResult> {
    const scenario = untilBye ? 'trunk-call-until-bye.xml' : 'trunk-call.xml';
    return runSipp([this.target, '-sf', join(SIPP_SCENARIOS, scenario), '-s', did, '-m', '1',
      '-i', '127.0.0.1', '-p', String(await sipPort()), '-mp', String(await mediaPort())], timeoutMs);
  }

  /** Like `trunkCall`, for a caller who withholds the number: `From: "Anonymous" <sip:anonymous@anonymous.invalid>`. */
  async anonymousTrunkCall(did: string, timeoutMs = 30_000): Promise<SippResult> {
    return runSipp([this.target, '-sf', join(SIPP_SCENARIOS, 'trunk-call-anonymous.xml'), '-s', did, '-m', '1',
      '-i', '127.0.0.1', '-p', String(await sipPort()), '-mp', String(await mediaPort())], timeoutMs);
  }

  /** Like `trunkCall`, with the carrier's identity `fromUser` in From, the caller in P-Asserted-Identity and a Privacy header. */
  async privateTrunkCall(did: string, id: { fromUser: string; asserted: string; privacy: string }, timeoutMs = 30_000, messageLog?: string): Promise<SippResult> {
    return runSipp([this.target, '-sf', join(SIPP_SCENARIOS, 'trunk-call-private.xml'), '-s', did, '-m', '1', '-key', 'from_user', id.fromUser,
      '-key', 'pai', id.asserted, '-key', 'privacy', id.privacy, '-i', '127.0.0.1', '-p', String(await sipPort()), '-mp', String(await mediaPort()),
      ...(messageLog ? ['-trace_msg', '-message_file', messageLog] : [])], timeoutMs);
  }

  /**
   * Like `trunkCall`, with `fromUser` in From and one more header line `identity` (e.g.
   * `P-Asserted-Identity: <tel:+34-911-000-666>`; `X-Identity: none` for no asserted identity).
   */
  async identityTrunkCall(did: string, id: { fromUser: string; identity: string }, timeoutMs = 30_000): Promise<SippResult> {
    return runSipp([this.target, '-sf', join(SIPP_SCENARIOS, 'trunk-call-identity.xml'), '-s', did, '-m', '1', '-key', 'from_user', id.fromUser,
      '-key', 'identity', id.identity, '-i', '127.0.0.1', '-p', String(await sipPort()), '-mp', String(await mediaPort())], timeoutMs);
  }

  /** The carrier's side of outbound calls on `port`: challenges once, rings, answers, echoes. */
  async carrier(port: number, messageLog: string) {
    return startSipp(['-sf', join(SIPP_SCENARIOS, 'trunk-answer.xml'), '-m', '1', '-i', '127.0.0.1', '-p', String(port),
      '-mp', String(await mediaPort()), '-rtp_echo', '-timeout', '30s', '-timeout_error', '-trace_msg', '-message_file', messageLog]);
  }

  /** The agent's phone dials `number` (answering Kamailio's 407), talks 2 s, hangs up. */
  async agentCall(c: SipCredentials, number: string): Promise<SippResult> {
    return runSipp([this.target, '-sf', join(SIPP_SCENARIOS, 'agent-call.xml'), '-s', number, '-m', '1',
      '-i', '127.0.0.1', '-p', String(await sipPort()), '-mp', String(await mediaPort()), ...this.auth(c)], 30_000);
  }
}

/** The final response a sipp UAC got instead of the 200 it expected, e.g. 404. */
export function refusedWith(result: SippResult): number | null {
  const m = /received 'SIP\/2\.0 (\d{3}) /.exec(result.output);
  return m ? Number(m[1]) : null;
}

/** What sipp printed, for assertion messages: its start (errors such as a port in use) and its end. */
export const sippLog = (result: SippResult): string =>
  result.output.length > 3000 ? `${result.output.slice(0, 1500)}\n...\n${result.output.slice(-1500)}` : result.output;

/** Kamailio's last `lines` lines of output, for a failed test's message. */
export const kamailioTail = (api: TelephonyTestApi, lines = 60): string =>
  telephonyRuntime(api.running.app)?.kamailio.output().split('\n').slice(-lines).join('\n') ?? '(no Kamailio)';
