/**
 * Client helpers shared by chat.bench.ts's setup (main thread) and its traffic (chat-targets.ts,
 * in a worker thread): GraphQL over HTTP and graphql-ws clients, as the agent desktop talks to the
 * API. (The visitors use the chat widget's own transport, see chat-targets.ts.)
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export const SITE = 'https://shop.bench.example';

export type GqlAnswer<T> = { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };

/** One GraphQL request; `origin` is what the widget's page sends. */
export async function gqlRaw<T>(url: string, query: string, variables: Record<string, unknown>, auth: { token?: string; origin?: string } = {}): Promise<GqlAnswer<T>> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(auth.token && { authorization: `Bearer ${auth.token}` }),
      ...(auth.origin && { origin: auth.origin }),
    },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GqlAnswer<T>;
}

/** Like gqlRaw, but throws on errors and returns data. */
export async function gql<T = any>(url: string, query: string, variables: Record<string, unknown> = {}, auth: { token?: string; origin?: string } = {}): Promise<T> {
  const r = await gqlRaw<T>(url, query, variables, auth);
  if (r.errors?.length || !r.data) throw new Error(`GraphQL: ${JSON.stringify(r.errors)}`);
  return r.data;
}

/** A graphql-ws client that has connected: an agent's (token) or a visitor's (Origin header on the upgrade). */
export async function wsClient(url: string, auth: { token?: string; origin?: string }): Promise<Client> {
  const origin = auth.origin;
  let connected!: () => void;
  let failed!: (err: unknown) => void;
  const ready = new Promise<void>((resolve, reject) => ((connected = resolve), (failed = reject)));
  const client = createClient({
    url: `${url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: origin
      ? class extends WebSocket {
          constructor(u: string, protocols: string[]) {
            super(u, protocols, { headers: { origin } });
          }
        }
      : WebSocket,
    connectionParams: auth.token ? { authorization: `Bearer ${auth.token}` } : {},
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: (err) => failed(err),
    on: { connected: () => connected() },
  });
  await ready;
  return client;
}

export interface AgentEvent {
  kind: string;
  interaction: { id: string; state: string };
  message: { body: string; sender: string } | null;
}

/** An agent's `interactionEvents` subscription (only its own interactions reach it). */
export function agentEvents(client: Client, onEvent: (e: AgentEvent) => void, onError: (err: unknown) => void): () => void {
  return client.subscribe<{ interactionEvents: AgentEvent }>(
    { query: 'subscription { interactionEvents { kind interaction { id state } message { body sender } } }' },
    {
      next: (m) => (m.errors ? onError(m.errors) : onEvent(m.data!.interactionEvents)),
      error: onError,
      complete: () => {},
    },
  );
}

/** Runs `fn` over `items`, at most `limit` at a time. */
export async function pool<T>(items: T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  }));
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
