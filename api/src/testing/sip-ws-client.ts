/** A minimal SIP user agent over WebSocket (what JsSIP does to register), for tests. */
import { createHash, randomBytes } from 'node:crypto';
import WebSocket from 'ws';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

export interface SipResponse {
  status: number;
  headers: Record<string, string>;
  raw: string;
}

function parse(raw: string): SipResponse {
  const [head] = raw.split('\r\n\r\n');
  const lines = head!.split('\r\n');
  const status = Number(lines[0]!.split(' ')[1]);
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return { status, headers, raw };
}

/** Opens the SIP WebSocket; rejects with the HTTP status when the handshake is refused. */
export function openSipSocket(url: string, origin: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, 'sip', { headers: { origin } });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      reject(Object.assign(new Error(`handshake refused: ${res.statusCode}`), { status: res.statusCode }));
      ws.terminate();
    });
    ws.once('error', (err) => reject(err));
  });
}

function nextResponse(ws: WebSocket, callId: string): Promise<SipResponse> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no SIP response')), 5000);
    const onMessage = (data: WebSocket.RawData) => {
      const r = parse(data.toString());
      if (r.headers['call-id'] !== callId || r.status < 200) return;
      clearTimeout(timer);
      ws.off('message', onMessage);
      resolve(r);
    };
    ws.on('message', onMessage);
  });
}

/** REGISTER over the socket with digest auth; resolves with the final response. */
export async function wsRegister(ws: WebSocket, creds: { username: string; domain: string; password: string }, expires = 300): Promise<SipResponse> {
  const callId = randomBytes(8).toString('hex');
  const tag = randomBytes(4).toString('hex');
  const host = `${randomBytes(4).toString('hex')}.invalid`;
  const aor = `sip:${creds.username}@${creds.domain}`;
  const request = (cseq: number, auth?: string) =>
    [
      `REGISTER sip:${creds.domain} SIP/2.0`,
      `Via: SIP/2.0/WS ${host};branch=z9hG4bK${randomBytes(6).toString('hex')}`,
      'Max-Forwards: 70',
      `To: <${aor}>`,
      `From: <${aor}>;tag=${tag}`,
      `Call-ID: ${callId}`,
      `CSeq: ${cseq} REGISTER`,
      `Contact: <sip:${creds.username}@${host};transport=ws>;expires=${expires}`,
      ...(auth ? [`Authorization: ${auth}`] : []),
      'User-Agent: switchboard-test',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
  let reply = nextResponse(ws, callId);
  ws.send(request(1));
  const challenge = await reply;
  if (challenge.status !== 401) return challenge;
  const params = Object.fromEntries(
    [...challenge.headers['www-authenticate']!.matchAll(/(\w+)="?([^",]*)"?/g)].map((m) => [m[1]!.toLowerCase(), m[2]!]),
  );
  const uri = `sip:${creds.domain}`;
  const cnonce = randomBytes(6).toString('hex');
  const nc = '00000001';
  const ha1 = md5(`${creds.username}:${params.realm}:${creds.password}`);
  const ha2 = md5(`REGISTER:${uri}`);
  const response = md5(`${ha1}:${params.nonce}:${nc}:${cnonce}:auth:${ha2}`);
  const auth = `Digest username="${creds.username}", realm="${params.realm}", nonce="${params.nonce}", uri="${uri}", response="${response}", algorithm=MD5, qop=auth, nc=${nc}, cnonce="${cnonce}"`;
  reply = nextResponse(ws, callId);
  ws.send(request(2, auth));
  return reply;
}
