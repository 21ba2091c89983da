/**
 * A tiny GraphQL-over-WebSocket client (the `graphql-transport-ws` protocol the API speaks), so a
 * widget carries a few hundred bytes instead of a full client. Every operation goes over the one
 * socket, queries and mutations too: the page's Origin travels with the upgrade (the API checks it
 * against the widget key) and no CORS is needed. The socket reconnects by itself with backoff and
 * resubscribes each live subscription with fresh variables (e.g. the last message seen).
 */

export type Variables = Record<string, unknown>;
export type ConnectionStatus = 'connecting' | 'open' | 'offline';

export interface GraphqlError {
  message: string;
  extensions?: { code?: string; [key: string]: unknown };
}

/** A GraphQL error answer, with the API's `extensions.code`. */
export class OperationError extends Error {
  constructor(readonly errors: GraphqlError[]) {
    super(errors[0]?.message ?? 'Request failed');
  }
  get code(): string | undefined {
    return this.errors[0]?.extensions?.code;
  }
}

interface Live {
  query: string;
  variables: () => Variables;
  next(data: unknown): void;
  error(err: Error): void;
  /** One-shot operations end after their answer; subscriptions are sent again after a reconnect. */
  once: boolean;
}

export interface TransportOptions {
  /** Sent in connection_init, e.g. `{ authorization: 'Bearer ...' }`; read again on each connect. */
  connectionParams?: () => Variables;
  onStatus?: (status: ConnectionStatus, reason?: string) => void;
  /** A close code that means "do not try again" (e.g. 4401/4403: refused credentials). */
  fatal?: (code: number) => boolean;
}

const RETRY_MS = [250, 500, 1000, 2000, 4000, 8000];

export class GraphqlSocket {
  private socket?: WebSocket;
  private acked = false;
  private ids = 0;
  private attempts = 0;
  private retryTimer?: ReturnType<typeof setTimeout>;
  private closed = false;
  private readonly live = new Map<string, Live>();
  status: ConnectionStatus = 'connecting';

  constructor(readonly url: string, private readonly options: TransportOptions = {}) {
    this.connect();
  }

  /** A query or mutation; rejects with OperationError on GraphQL errors. */
  request<T>(query: string, variables: Variables = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.start({ query, variables: () => variables, next: (d) => resolve(d as T), error: reject, once: true });
    });
  }

  /** Subscribes until the returned function is called; `variables` is read again on every (re)subscribe. */
  subscribe<T>(query: string, variables: () => Variables, next: (data: T) => void, error: (err: Error) => void = () => {}): () => void {
    const id = this.start({ query, variables, next: (d) => next(d as T), error, once: false });
    return () => {
      if (this.live.delete(id)) this.send({ id, type: 'complete' });
    };
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.socket?.close(1000);
    for (const op of this.live.values()) op.error(new Error('Connection closed'));
    this.live.clear();
  }

  /** Drops the socket and connects again now (e.g. with new credentials). */
  reconnect(): void {
    this.attempts = 0;
    this.socket?.close(1000);
  }

  private start(op: Live): string {
    const id = String(++this.ids);
    this.live.set(id, op);
    if (this.acked) this.sendSubscribe(id, op);
    return id;
  }

  private sendSubscribe(id: string, op: Live) {
    this.send({ id, type: 'subscribe', payload: { query: op.query, variables: op.variables() } });
  }

  private send(message: object) {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private setStatus(status: ConnectionStatus, reason?: string) {
    this.status = status;
    this.options.onStatus?.(status, reason);
  }

  private connect() {
    if (this.closed) return;
    this.acked = false;
    const socket = new WebSocket(this.url, 'graphql-transport-ws');
    this.socket = socket;
    socket.onopen = () => socket.send(JSON.stringify({ type: 'connection_init', payload: this.options.connectionParams?.() ?? {} }));
    socket.onmessage = (event) => this.receive(JSON.parse(String(event.data)));
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.acked = false;
      if (this.closed) return;
      if (this.options.fatal?.(event.code)) {
        this.setStatus('offline', event.reason);
        // The API closes refused credentials with 4401/4403 and the reason "<CODE>: <message>".
        const [code, ...message] = (event.reason || 'UNAUTHENTICATED: Connection refused').split(': ');
        const refused = new OperationError([{ message: message.join(': '), extensions: { code } }]);
        for (const op of this.live.values()) op.error(refused);
        this.live.clear();
        return;
      }
      // One-shot operations in flight cannot be known to have run: fail them; keep subscriptions.
      for (const [id, op] of this.live) {
        if (op.once) {
          this.live.delete(id);
          op.error(new Error('Connection lost'));
        }
      }
      this.setStatus('offline', event.reason);
      const delay = RETRY_MS[Math.min(this.attempts++, RETRY_MS.length - 1)];
      this.retryTimer = setTimeout(() => {
        this.setStatus('connecting');
        this.connect();
      }, delay);
    };
  }

  private receive(message: { type: string; id?: string; payload?: any }) {
    const op = message.id ? this.live.get(message.id) : undefined;
    switch (message.type) {
      case 'connection_ack':
        this.acked = true;
        this.attempts = 0;
        this.setStatus('open');
        for (const [id, live] of this.live) this.sendSubscribe(id, live);
        break;
      case 'ping':
        this.send({ type: 'pong' });
        break;
      case 'next':
        if (!op) break;
        if (message.payload?.errors?.length) {
          this.live.delete(message.id!);
          op.error(new OperationError(message.payload.errors));
          this.send({ id: message.id, type: 'complete' });
        } else op.next(message.payload?.data);
        break;
      case 'error':
        if (!op) break;
        this.live.delete(message.id!);
        op.error(new OperationError(message.payload ?? []));
        break;
      case 'complete':
        if (op) this.live.delete(message.id!);
        break;
    }
  }
}

/** The API's WebSocket URL: an explicit `api-url` attribute, else the origin the widget script came from. */
export function socketUrl(apiUrl: string | null | undefined, scriptUrl: string): string {
  const base = new URL(apiUrl || new URL(scriptUrl).origin);
  base.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
  base.pathname = base.pathname.replace(/\/?$/, '/').replace(/\/graphql\/$/, '/') + 'graphql';
  return base.toString();
}
