/**
 * The baseline of chat.bench.ts: a minimal chat relay. Plain `ws`; a visitor socket sends a
 * message, the relay stores it with ONE PostgreSQL insert, answers the visitor and forwards it to
 * the agent socket of that conversation (as the API answers `sendVisitorMessage` and publishes).
 * No authentication, no routing, no GraphQL.
 *
 * Sockets: `/?agent=<a>` for agent a; `/?visitor=<c>&agent=<a>` for conversation c handled by a.
 * A visitor sends `{"id": <message>, "body": "..."}` and is answered `{"id": <message>}` once it is
 * stored (`{"id": ..., "error": "INSERT_FAILED"}` when the insert failed); the agent receives the
 * visitor's text.
 */
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { WebSocketServer, type WebSocket } from 'ws';

export interface Relay {
  url: string;
  close(): Promise<void>;
}

export async function startRelay(databaseUrl: string): Promise<Relay> {
  const db = new pg.Pool({ connectionString: databaseUrl, max: 10 }); // as many as the API's pool
  db.on('error', (err) => console.error('[bench] relay pool:', err.message));
  await db.query(`create table if not exists bench_relay_message (
    id bigserial primary key, conversation int not null, body text not null, created_at timestamptz not null default now())`);
  const agents = new Map<number, WebSocket>();
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  wss.on('connection', (socket, request) => {
    const params = new URL(request.url ?? '/', 'http://relay').searchParams;
    const agent = Number(params.get('agent'));
    if (!params.has('visitor')) {
      agents.set(agent, socket);
      socket.on('close', () => agents.get(agent) === socket && agents.delete(agent));
      return;
    }
    const conversation = Number(params.get('visitor'));
    socket.on('message', (data) => {
      const text = data.toString();
      const { id, body } = JSON.parse(text) as { id: number; body: string };
      db.query('insert into bench_relay_message (conversation, body) values ($1, $2)', [conversation, body]).then(
        () => {
          socket.send(JSON.stringify({ id }));
          agents.get(agent)?.send(text);
        },
        () => {
          socket.send(JSON.stringify({ id, error: 'INSERT_FAILED' }));
        },
      );
    });
  });
  await new Promise<void>((resolve, reject) => wss.once('listening', resolve).once('error', reject));
  const { port } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise((resolve) => wss.close(resolve));
      await db.end();
    },
  };
}
