import type { GraphqlSocket } from '../core/transport.js';
import { fetchSipCredentials, renewIn } from './sip-credentials.js';
import type { SipController } from './sip.controller.js';

const COMMANDS = 'subscription { softphoneCommands { kind number referTo } }';
const TARGETS = '{ transferTargets { queues { id name } agents { id name available } } }';
const TRANSFER = 'mutation($id: ID!, $q: ID, $a: ID) { transferInteraction(id: $id, queueId: $q, agentId: $a) { id } }';

export interface TransferTargets {
  queues: { id: string; name: string }[];
  agents: { id: string; name: string; available: boolean }[];
}
/** Try again this soon after a failed issue or while a call is up (new credentials void the old password). */
const RETRY_MS = 30_000;

/**
 * The agent's phone line for one signed-in session: SIP credentials from the API (renewed before
 * they expire, never in the middle of a call), and the API's commands to this softphone
 * (click-to-call: `DIAL`; call transfers: `TRANSFER`, which this phone carries out with REFER).
 */
export class VoiceLine {
  private timer?: ReturnType<typeof setTimeout>;
  private unsubscribe?: () => void;
  private stopped = false;

  constructor(
    private readonly socket: GraphqlSocket,
    private readonly sip: SipController,
    /** Told whether this platform gives the agent a phone at all. */
    private readonly available: (on: boolean) => void,
  ) {}

  /** Resolves once the API said whether there is telephony. */
  async start(): Promise<void> {
    await this.renew();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    this.unsubscribe?.();
    this.sip.stop();
  }

  private async renew() {
    if (this.stopped) return;
    if (this.sip.call) return this.later(RETRY_MS);
    try {
      await this.sip.unregister();
      const credentials = await fetchSipCredentials(this.socket);
      if (this.stopped) return;
      if (!credentials) return void (this.available(false), this.sip.stop());
      this.available(true);
      this.sip.start(credentials);
      this.listen();
      this.later(renewIn(credentials.expiresAt));
    } catch (err) {
      if (this.stopped) return;
      if ((err as { code?: string }).code === 'ORIGIN_NOT_ALLOWED') this.available(true), this.sip.refused('origin');
      this.later(RETRY_MS);
    }
  }

  private later(ms: number) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.renew(), ms);
  }

  private listen() {
    this.unsubscribe ??= this.socket.subscribe<{ softphoneCommands: { kind: string; number: string | null; referTo: string | null } }>(
      COMMANDS,
      () => ({}),
      ({ softphoneCommands: c }) => {
        if (c.kind === 'DIAL' && c.number) this.sip.dial(c.number);
        if (c.kind === 'TRANSFER' && c.referTo) this.sip.transfer(c.referTo);
      },
    );
  }

  /** Where a call can go: the tenant's queues and the other agents (with who can take a call now). */
  async targets(): Promise<TransferTargets> {
    return (await this.socket.request<{ transferTargets: TransferTargets }>(TARGETS)).transferTargets;
  }

  /** Asks the API to transfer the call (`q:<queue id>` or `a:<agent id>`); its TRANSFER command makes this phone REFER. */
  async transfer(interactionId: string, choice: string): Promise<void> {
    const [kind, id] = choice.split(':');
    try {
      await this.socket.request(TRANSFER, { id: interactionId, q: kind === 'q' ? id : null, a: kind === 'a' ? id : null });
    } catch (err) {
      this.sip.transferProblem = (err as { code?: string }).code ?? (err as Error).message;
    }
  }
}
