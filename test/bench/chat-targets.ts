/**
 * The two targets of chat.bench.ts's traffic, connected the way their clients connect, inside the
 * traffic worker thread:
 *  - switchboard: each visitor is the chat widget's own transport (widgets/src/core/transport.ts,
 *    one graphql-ws socket per visitor with the page's Origin on the upgrade), sending
 *    `sendVisitorMessage` over that socket and (unless told not to) subscribed to `visitorEvents`
 *    on it; each agent is a graphql-ws client subscribed to `interactionEvents`.
 *  - relay: one plain WebSocket per visitor and per agent (chat-relay.ts).
 * Either way a sent message ends as an answer to the visitor (accepted, refused with a code, or
 * failed without an answer) and, once accepted, as a delivery on the agent's socket.
 */
import type { Client } from 'graphql-ws';
import WebSocket from 'ws';
import { GraphqlSocket, OperationError } from '../../widgets/src/core/transport.js';
import { agentEvents, pool, SITE, sleep, wsClient } from './chat-clients.js';

/** How a send was answered: accepted, refused (a GraphQL error code) or failed (no answer: the connection's fault). */
export type Answer = { ok: true } | { refused: string } | { failed: string };

export interface Sink {
  /** The agent received a message with this body. */
  delivered(body: string): void;
  answered(id: number, answer: Answer): void;
  problem(text: string): void;
}

export interface TargetJob {
  target: 'switchboard' | 'relay';
  /** switchboard: the visitors' API (HTTP URL); relay: its ws:// URL. */
  visitorUrl: string;
  /** switchboard: the agents' API; relay: the same ws:// URL. */
  agentUrl: string;
  /** switchboard: the visitors' chat tokens; relay: only their number counts. */
  visitors: string[];
  /** switchboard: the agents' access tokens; relay: only their number counts. */
  agents: string[];
  /** switchboard: visitors subscribe to `visitorEvents`, as the widget does (false: to see what that costs). */
  visitorEvents: boolean;
}

export interface Target {
  send(conversation: number, id: number, body: string): void;
  close(): Promise<void>;
}

const SEND = 'mutation($t: String!, $b: String!) { sendVisitorMessage(token: $t, body: $b) { id } }';
const EVENTS = 'subscription($t: String!, $a: ID) { visitorEvents(token: $t, afterMessageId: $a) { kind agentTyping state agentName message { id sender body } } }';

export const connectTarget = (job: TargetJob, sink: Sink): Promise<Target> => (job.target === 'switchboard' ? switchboard(job, sink) : relay(job, sink));

async function switchboard(job: TargetJob, sink: Sink): Promise<Target> {
  // The widget's transport opens `new WebSocket(url, 'graphql-transport-ws')`; in a browser the page's Origin goes with it.
  (globalThis as { WebSocket: unknown }).WebSocket = class PageSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { origin: SITE } });
    }
  };
  const agents: Client[] = [];
  const visitors: GraphqlSocket[] = new Array(job.visitors.length);
  const close = async () => {
    visitors.forEach((v) => v?.close());
    await Promise.all(agents.map((c) => c.dispose()));
  };
  try {
    for (const token of job.agents) {
      const client = await wsClient(job.agentUrl, { token });
      agents.push(client);
      agentEvents(client, (e) => e.kind === 'MESSAGE' && e.message?.sender === 'CUSTOMER' && sink.delivered(e.message.body), (err) => sink.problem(`agent subscription: ${JSON.stringify(err)}`));
    }
    const url = `${job.visitorUrl.replace(/^http/, 'ws')}/graphql`;
    await pool(job.visitors, 50, async (token, c) => {
      let opened!: () => void;
      let refused!: (reason: string) => void;
      const open = new Promise<void>((resolve, reject) => ((opened = resolve), (refused = (r) => reject(new Error(`visitor ${c}'s socket: ${r}`)))));
      let isOpen = false;
      const socket = new GraphqlSocket(url, {
        onStatus(status, reason) {
          if (status === 'open') (isOpen = true), opened();
          else if (status === 'offline' && isOpen) sink.problem(`visitor ${c}'s socket dropped (${reason || 'no reason'}); the widget's transport reconnects`);
          else if (status === 'offline') refused(reason || 'closed');
        },
      });
      visitors[c] = socket;
      await withTimeout(open, 20_000, `visitor ${c}'s socket did not open`);
      if (!job.visitorEvents) return;
      // live once the chat so far has arrived, as the widget is
      const live = new Promise<void>((resolve, reject) => socket.subscribe(EVENTS, () => ({ t: token, a: null }), () => resolve(), reject));
      await withTimeout(live, 20_000, `visitor ${c}'s visitorEvents sent nothing`);
    });
  } catch (err) {
    await close();
    throw err;
  }
  await sleep(500); // the agents' subscriptions reach the event bus
  return {
    send(c, id, body) {
      visitors[c].request(SEND, { t: job.visitors[c], b: body }).then(
        () => sink.answered(id, { ok: true }),
        (err: Error) => sink.answered(id, err instanceof OperationError ? { refused: err.code ?? err.message } : { failed: err.message }),
      );
    },
    close,
  };
}

async function relay(job: TargetJob, sink: Sink): Promise<Target> {
  const sockets: WebSocket[] = [];
  const open = (url: string) =>
    new Promise<WebSocket>((resolve, reject) => {
      const socket = new WebSocket(url);
      sockets.push(socket);
      socket.once('open', () => resolve(socket)).once('error', reject);
    });
  const close = async () => sockets.forEach((s) => s.terminate());
  const visitors: WebSocket[] = new Array(job.visitors.length);
  const unanswered = job.visitors.map(() => new Set<number>()); // per conversation
  let closing = false;
  try {
    for (let a = 0; a < job.agents.length; a++) {
      const socket = await open(`${job.agentUrl}/?agent=${a}`);
      socket.on('message', (data) => sink.delivered((JSON.parse(data.toString()) as { body: string }).body));
    }
    await pool(job.visitors, 50, async (_, c) => {
      const socket = await open(`${job.visitorUrl}/?visitor=${c}&agent=${c % job.agents.length}`);
      visitors[c] = socket;
      socket.on('message', (data) => {
        const { id, error } = JSON.parse(data.toString()) as { id: number; error?: string };
        unanswered[c].delete(id);
        sink.answered(id, error ? { refused: error } : { ok: true });
      });
      socket.on('close', () => {
        if (closing) return;
        sink.problem(`visitor ${c}'s relay socket closed`);
        for (const id of unanswered[c]) sink.answered(id, { failed: 'Connection lost' });
        unanswered[c].clear();
      });
    });
  } catch (err) {
    await close();
    throw err;
  }
  return {
    send(c, id, body) {
      unanswered[c].add(id);
      visitors[c].send(JSON.stringify({ id, body }), (err) => {
        if (!err || !unanswered[c].delete(id)) return;
        sink.answered(id, { failed: err.message });
      });
    },
    async close() {
      closing = true;
      await close();
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]).finally(() => clearTimeout(timer));
}
