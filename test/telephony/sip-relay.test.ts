/**
 * Kamailio is no open relay (issue 11, item 1): an INVITE or MESSAGE that pretends to be in a
 * dialog (a To-tag, `Route: <sip:PROXY;lr>`) but belongs to no dialog Kamailio knows is refused,
 * and nothing reaches the host its Request-URI names (a "carrier" listening on another address),
 * over UDP and over TCP to the WebSocket port. Legitimate in-dialog traffic (re-INVITE, BYE, REFER,
 * ACK, CANCEL) is covered by the voice tests, which must stay green.
 * And (item 4) the WebSocket port serves WebSocket upgrades only: no plain SIP over TCP, no /RPC.
 */
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { startTelephonyTestApi, telephonySkipReason, waitFor, type TelephonyTestApi } from '../../api/src/testing/telephony.js';
import { telephonySecret } from '../../api/src/modules/telephony/kamailio-endpoint.js';
import { telephonyHealth } from '../../api/src/modules/telephony/runtime/index.js';
import { refusedWith, sippLog, kamailioTail } from './voice-peers.js';
import { listeningCarrier, spoofedInDialog, type ListeningCarrier } from './sip-attacker.js';

const skip = await telephonySkipReason();

describe('no open relay: spoofed in-dialog requests', { skip: skip ?? false }, () => {
  let api: TelephonyTestApi;
  let carrier: ListeningCarrier;

  before(async () => {
    api = await startTelephonyTestApi();
  });
  beforeEach(async () => {
    carrier = await listeningCarrier();
  });
  afterEach(() => carrier.stop());
  after(() => api?.stop());

  for (const method of ['INVITE', 'MESSAGE'] as const) {
    it(`answers a spoofed in-dialog ${method} 481 and relays nothing`, async () => {
      const result = await spoofedInDialog(api.telephony.sipUdpPort, method, carrier.target);
      assert.deepEqual(carrier.received, [], `nothing may reach ${carrier.target}`);
      assert.equal(refusedWith(result), 481, `${sippLog(result)}\n${kamailioTail(api)}`);
    });
  }

  it('relays nothing for plain SIP over TCP to the WebSocket port, and answers nothing', async () => {
    const result = await spoofedInDialog(api.telephony.sipWsPort, 'INVITE', carrier.target, { tcp: true, timeoutMs: 4000 });
    assert.deepEqual(carrier.received, [], `nothing may reach ${carrier.target}`);
    assert.equal(refusedWith(result), null, sippLog(result));
    assert.notEqual(result.code, 0);
  });
});

describe('Kamailio listeners: the WebSocket port takes WebSocket upgrades only, JSON-RPC is on loopback', { skip: skip ?? false }, () => {
  let api: TelephonyTestApi;
  before(async () => {
    api = await startTelephonyTestApi();
  });
  after(() => api?.stop());

  const rpc = (port: number, secret?: string) =>
    fetch(`http://127.0.0.1:${port}/RPC`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', connection: 'close', ...(secret && { 'x-switchboard-secret': secret }) },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'core.version', id: 1 }),
    });

  it('refuses /RPC on the WebSocket port even with the shared secret, and serves it on the loopback RPC port', async () => {
    const secret = await telephonySecret(api.running.app);
    const onWs = await rpc(api.telephony.sipWsPort, secret);
    assert.equal(onWs.status, 404, 'no JSON-RPC where clients connect');
    assert.doesNotMatch(await onWs.text(), /kamailio|version/i);
    const onLoopback = await rpc(api.telephony.rpcPort, secret);
    assert.equal(onLoopback.status, 200);
    assert.match(JSON.stringify(await onLoopback.json()), /kamailio/i);
    assert.equal((await rpc(api.telephony.rpcPort)).status, 401, 'and only with the secret');
    assert.deepEqual(await telephonyHealth(api.running.app), { kamailio: 'ok', rtpengine: 'ok' }, 'the API reaches it there');
  });

  it('answers plain SIP over TCP on the WebSocket port with nothing, and closes the connection', async () => {
    const socket = connect(api.telephony.sipWsPort, '127.0.0.1');
    await once(socket, 'connect');
    const received: Buffer[] = [];
    socket.on('data', (d) => received.push(d));
    socket.write([
      `OPTIONS sip:127.0.0.1:${api.telephony.sipWsPort};transport=tcp SIP/2.0`,
      `Via: SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bK-plain-tcp`,
      'From: <sip:probe@127.0.0.1>;tag=1',
      `To: <sip:127.0.0.1:${api.telephony.sipWsPort}>`,
      'Call-ID: plain-tcp@test',
      'CSeq: 1 OPTIONS',
      'Max-Forwards: 70',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n'));
    await waitFor('Kamailio closing the connection', async () => socket.readableEnded || socket.destroyed, 5000);
    assert.equal(Buffer.concat(received).toString(), '', 'no SIP answer over plain TCP');
  });
});
