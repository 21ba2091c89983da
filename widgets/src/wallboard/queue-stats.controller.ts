import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { GraphqlSocket, type ConnectionStatus } from '../core/transport.js';

export interface QueueStats {
  queueId: string;
  queueName: string;
  waiting: number;
  longestWaitSeconds: number;
  serviceLevel: number | null;
  agentsAvailable: number;
  agentsBusy: number;
  agentsPaused: number;
  agentsWrapUp: number;
  agentsOffline: number;
  answeredToday: number;
  abandonedToday: number;
  offeredToday: number;
  at: string;
}

const STATS = `subscription($q: [ID!]) { queueStats(queueIds: $q) {
  queueId queueName waiting longestWaitSeconds serviceLevel agentsAvailable agentsBusy agentsPaused agentsWrapUp agentsOffline
  answeredToday abandonedToday offeredToday at } }`;

/**
 * The `queueStats` subscription, and nothing else: the API sends the figures at once and again on
 * every change. While the socket is down the figures are kept but marked stale; after a reconnect
 * the subscription starts again and the first answer is fresh. Refused credentials stop retrying.
 */
export class QueueStatsController implements ReactiveController {
  stats: QueueStats[] = [];
  connection: ConnectionStatus = 'connecting';
  /** When the last figures arrived (browser clock). */
  receivedAt: Date | null = null;
  /** Why the board cannot show figures: the API's error code, or a refused connection. */
  problem: string | null = null;
  private socket?: GraphqlSocket;
  private key = '';

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly config: () => { url: string; token: string; queueIds: string[] },
  ) {
    host.addController(this);
  }

  get stale(): boolean {
    return this.connection !== 'open' || this.problem !== null;
  }

  hostConnected() {
    this.restart();
  }

  hostDisconnected() {
    this.socket?.close();
    this.socket = undefined;
    this.key = '';
  }

  /** Call after the host's settings change; reconnects only when they did. */
  hostUpdate() {
    const { url, token, queueIds } = this.config();
    if (`${url}|${token}|${queueIds.join(',')}` !== this.key) this.restart();
  }

  private restart() {
    this.socket?.close();
    const { url, token, queueIds } = this.config();
    this.key = `${url}|${token}|${queueIds.join(',')}`;
    this.problem = null;
    if (!token) {
      this.socket = undefined;
      this.connection = 'offline';
      this.problem = 'UNAUTHENTICATED';
      return;
    }
    const socket = new GraphqlSocket(url, {
      connectionParams: () => ({ authorization: `Bearer ${token}` }),
      fatal: (code) => code === 4401 || code === 4403,
      onStatus: (status, reason) => {
        this.connection = status;
        if (status === 'offline' && reason && /^[A-Z_]+:/.test(reason)) this.problem = reason.split(':')[0];
        this.host.requestUpdate();
      },
    });
    this.socket = socket;
    socket.subscribe<{ queueStats: QueueStats[] }>(
      STATS,
      () => ({ q: queueIds.length ? queueIds : null }),
      ({ queueStats }) => {
        this.stats = queueStats;
        this.receivedAt = new Date();
        this.problem = null;
        this.host.requestUpdate();
      },
      (err) => {
        this.problem = (err as { code?: string }).code ?? 'NETWORK';
        this.host.requestUpdate();
      },
    );
  }
}
