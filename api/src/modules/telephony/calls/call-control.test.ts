import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../../platform/config.js';
import { codeOf, startTestApi, wsReady, type TestApi } from '../../../testing/harness.js';
import { createUsers, signIn } from '../../../testing/fixtures.js';
import { floor } from '../../../testing/contact-centre.js';
import { callEvent, invite, registerPhone, route } from '../../../testing/kamailio-peer.js';
import { startKamailioRpc, type KamailioRpcPeer } from '../../../testing/kamailio-rpc-process.js';
import { freePort } from '../../../platform/net.js';
import { until } from '../../../testing/smtp-peer.js';
import { SOFTPHONE_COMMAND } from './softphone.events.js';

describe('call control: supervisor hang-up and click-to-call', () => {
  let api: TestApi;
  let kamailio: KamailioRpcPeer;
  before(async () => {
    kamailio = await startKamailioRpc();
    api = await startTestApi({ config: { telephony: { ...loadConfig().telephony, rpcPort: kamailio.port } } });
  });
  after(async () => {
    await api?.stop();
    await kamailio?.stop();
  });

  async function voiceFloor(did: string) {
    const f = await floor(api, { agents: 2, kind: 'VOICE', campaign: { type: 'VOICE_INBOUND' } });
    for (const agent of f.agents) await registerPhone(api, f.t.slug, agent.id);
    const trunkId = (await api.ok('mutation($c: String) { createSipTrunk(input: { name: "T", host: "203.0.113.5", allowedSources: ["203.0.113.5"], callerIdDefault: $c }) { id } }', { c: did }, f.t.adminToken)).createSipTrunk.id;
    await api.ok('mutation($n: String!, $t: ID!, $c: ID) { addDid(input: { number: $n, trunkId: $t, campaignId: $c }) { id } }', { n: did, t: trunkId, c: f.campaignId }, f.t.adminToken);
    const [supervisor] = await createUsers(api, f.t.adminToken, 'SUPERVISOR', 1);
    return { ...f, supervisorToken: await signIn(api, supervisor.email, supervisor.password, f.t.slug) };
  }

  it('lets a supervisor end a call in progress, and only a call in progress', async () => {
    const f = await voiceFloor('+15145558000');
    const req = invite({ ruriUser: '+15145558000', sourceIp: '203.0.113.5' });
    const d = await route(api, req);
    const id = d.action === 'agent' ? d.interactionId : '';
    await callEvent(api, req.callId, id, 'answered');
    const hangUp = 'mutation($id: ID!) { hangUpCall(interactionId: $id) { state endedAt } }';
    assert.equal(codeOf(await api.gql(hangUp, { id }, f.agents[0].token)), 'FORBIDDEN', 'agents do not intervene');
    // Kamailio (real, but routing no SIP here) knows no such dialog: the API ends its side at once
    const ended = (await api.ok(hangUp, { id }, f.supervisorToken)).hangUpCall;
    assert.equal(ended.state, 'WRAP_UP');
    assert.ok(ended.endedAt);
    assert.equal(codeOf(await api.gql(hangUp, { id }, f.supervisorToken)), 'CONFLICT', 'nothing left to hang up');
    const chatless = await api.gql(hangUp, { id: '0190f5a4-0000-7000-8000-000000000000' }, f.supervisorToken);
    assert.equal(codeOf(chatless), 'NOT_FOUND');
  });

  it('says so when Kamailio cannot be reached', async () => {
    const f = await voiceFloor('+15145558001');
    const req = invite({ ruriUser: '+15145558001', sourceIp: '203.0.113.5' });
    const d = await route(api, req);
    const id = d.action === 'agent' ? d.interactionId : '';
    await callEvent(api, req.callId, id, 'answered');
    const saved = api.running.app.config.telephony.rpcPort;
    api.running.app.config.telephony.rpcPort = await freePort(); // nobody listens there
    try {
      assert.equal(codeOf(await api.gql('mutation($id: ID!) { hangUpCall(interactionId: $id) { state } }', { id }, f.supervisorToken)), 'TELEPHONY_UNAVAILABLE');
    } finally {
      api.running.app.config.telephony.rpcPort = saved;
    }
    assert.equal((await api.ok('query($id: ID!) { interaction(id: $id) { state } }', { id }, f.t.adminToken)).interaction.state, 'ACTIVE');
  });

  it("sends click-to-call to the agent's own softphone, after the blacklist and the trunk", async () => {
    const f = await voiceFloor('+15145558002');
    const [me, other] = f.agents;
    const heard: Record<string, unknown[]> = { me: [], other: [] };
    for (const [who, token] of [['me', me.token], ['other', other.token]] as const) {
      await new Promise<void>((resolve) => {
        const client = api.ws(token);
        client.subscribe({ query: 'subscription { softphoneCommands { kind number callerId } }' }, {
          next: (m) => void heard[who]!.push(m.data?.softphoneCommands ?? m.errors),
          error: () => {},
          complete: () => {},
        });
        void wsReady(client).then(resolve);
      });
    }
    await api.subscribed(SOFTPHONE_COMMAND, f.t.id, 2); // both softphones listen before the first dial
    const dial = 'mutation($n: String!) { clickToCall(number: $n) { kind number callerId } }';
    assert.deepEqual((await api.ok(dial, { n: '+1 (438) 555-0142' }, me.token)).clickToCall, { kind: 'DIAL', number: '+14385550142', callerId: '+15145558002' });
    await until(() => heard.me!.length > 0);
    // positive control: the other softphone was listening, and the first command it hears is its own
    await api.ok(dial, { n: '+14385550143' }, other.token);
    await until(() => heard.other!.length > 0);
    assert.deepEqual(heard, {
      me: [{ kind: 'DIAL', number: '+14385550142', callerId: '+15145558002' }],
      other: [{ kind: 'DIAL', number: '+14385550143', callerId: '+15145558002' }],
    });
    await api.ok('mutation { addBlacklistEntry(input: { kind: PHONE, value: "+14385550199" }) { id } }', {}, f.t.adminToken);
    assert.equal(codeOf(await api.gql(dial, { n: '+14385550199' }, me.token)), 'DESTINATION_BLOCKED');
    assert.equal(codeOf(await api.gql(dial, { n: 'call me' }, me.token)), 'BAD_USER_INPUT');
    const bare = await floor(api, { agents: 1, kind: 'VOICE' });
    assert.equal(codeOf(await api.gql(dial, { n: '+14385550142' }, bare.agents[0].token)), 'TELEPHONY_UNAVAILABLE', 'no trunk yet');
  });
});
