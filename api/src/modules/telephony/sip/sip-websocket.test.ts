import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTenant, createUsers, signIn } from '../../../testing/fixtures.js';
import { openSipSocket, wsRegister } from '../../../testing/sip-ws-client.js';
import { startTelephonyTestApi, telephonySkipReason, waitFor, type TelephonyTestApi } from '../../../testing/telephony.js';
import { wsReady } from '../../../testing/harness.js';

const skip = await telephonySkipReason();
const ISSUE = 'mutation { issueSipCredentials { username domain password uri wsUrl expiresAt } }';
const ORIGIN = 'http://agents.test.local';

describe('SIP over WebSocket (what JsSIP does)', { skip: skip ?? false }, () => {
  let api: TelephonyTestApi;
  before(async () => {
    api = await startTelephonyTestApi({ wsOrigins: [ORIGIN] });
  });
  after(() => api?.stop());

  it('checks origin and token at the handshake, registers with digest, and presence follows the socket', async () => {
    const t = await createTenant(api, { seats: 5 });
    const [ana, bob] = await createUsers(api, t.adminToken, 'AGENT', 2);
    const anaToken = await signIn(api, ana.email, ana.password, t.slug);
    const bobToken = await signIn(api, bob.email, bob.password, t.slug);
    const creds = (await api.ok(ISSUE, {}, anaToken)).issueSipCredentials;
    const bobCreds = (await api.ok(ISSUE, {}, bobToken)).issueSipCredentials;
    assert.match(creds.wsUrl, new RegExp(`^ws://127\\.0\\.0\\.1:${api.telephony.sipWsPort}\\?token=`));

    const seen: { userId: string; sipRegistered: boolean }[] = [];
    const client = api.ws(t.adminToken);
    await new Promise<void>((resolve, reject) => {
      client.subscribe<{ agentStateChanged: (typeof seen)[number] }>(
        { query: 'subscription { agentStateChanged { userId sipRegistered } }' },
        { next: (m) => (m.errors ? reject(new Error(JSON.stringify(m.errors))) : seen.push(m.data!.agentStateChanged)), error: reject, complete: () => {} },
      );
      void wsReady(client).then(resolve);
    });

    await assert.rejects(openSipSocket(creds.wsUrl, 'http://evil.example'), { status: 403 }, 'another origin is refused');
    const base = creds.wsUrl.split('?')[0];
    await assert.rejects(openSipSocket(base, ORIGIN), { status: 403 }, 'no token is refused');
    await assert.rejects(openSipSocket(`${creds.wsUrl.slice(0, -3)}AAA`, ORIGIN), { status: 403 }, 'a forged token is refused');

    // Bob's token opens a socket, but Ana's account cannot register through it.
    const bobSocket = await openSipSocket(bobCreds.wsUrl, ORIGIN);
    assert.equal((await wsRegister(bobSocket, creds)).status, 403);
    bobSocket.close();

    const socket = await openSipSocket(creds.wsUrl, ORIGIN);
    assert.equal((await wsRegister(socket, { ...creds, password: 'wrong' })).status, 403, 'a wrong password is refused');
    const ok = await wsRegister(socket, creds);
    assert.equal(ok.status, 200, ok.raw);
    await waitFor('registered event', async () => seen.find((s) => s.userId === ana.id && s.sipRegistered));

    socket.close();
    await waitFor('unregistered event', async () => seen.find((s) => s.userId === ana.id && !s.sipRegistered));
    const states = await api.ok('{ agentStates { edges { node { userId sipRegistered } } } }', {}, t.adminToken);
    assert.ok(states.agentStates.edges.every((e: { node: { sipRegistered: boolean } }) => !e.node.sipRegistered));
  });
});
