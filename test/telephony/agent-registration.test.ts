/**
 * Agents' SIP registrations follow the account (issue 4), through the real parts: the API, the
 * Kamailio and rtpengine its runtime starts (with a 1 s minimum expiry and a 3 s usrloc timer, so expiry
 * can be watched), PostgreSQL, and sipp as the agent's desk phone and the carrier (UDP). Presence is
 * read where clients read it: `agentStates` and the `agentStateChanged` subscription.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { floor, type Floor } from '../../api/src/testing/contact-centre.js';
import { codeOf, wsReady } from '../../api/src/testing/harness.js';
import { freeUdpPorts, runSipp, SIPP_SCENARIOS, startSipp, startTelephonyTestApi, telephonySkipReason, waitFor, type TelephonyTestApi } from '../../api/src/testing/telephony.js';
import { kamailioRpc, telephonyRuntime } from '../../api/src/modules/telephony/runtime/index.js';
import { kamailioTail, refusedWith, sippLog, VoicePeers, type SipCredentials } from './voice-peers.js';
import { addCarrierNumber } from '../../api/src/testing/kamailio-peer.js';

const skip = await telephonySkipReason();
let dids = 0;

interface Agent {
  f: Floor;
  id: string;
  did: string;
  creds: SipCredentials;
  port: number;
  /** agentStateChanged as the tenant's administrator sees it. */
  presence: { userId: string; sipRegistered: boolean }[];
  /** Interaction events of the tenant's queue. */
  seen: { kind: string; id: string; state: string }[];
}

describe('agent SIP registrations follow the account', { skip: skip ?? false }, () => {
  let api: TelephonyTestApi;
  let sip: VoicePeers;
  before(async () => {
    api = await startTelephonyTestApi({ sipMinExpires: 1, sipUsrlocTimer: 3 });
    sip = new VoicePeers(api.telephony.sipUdpPort);
  });
  after(() => api?.stop());

  /** A VOICE tenant with one AVAILABLE agent holding SIP credentials, a trunk from 127.0.0.1 and a DID. */
  async function agent(): Promise<Agent> {
    const f = await floor(api, { agents: 1, kind: 'VOICE', queue: { wrapUpSeconds: 0 }, campaign: { type: 'VOICE_INBOUND', ringSeconds: 10 } });
    const did = `+1514555${String(7000 + dids++)}`;
    await addCarrierNumber(api, f, did, { port: 5999 });
    const creds = (await api.ok('mutation { issueSipCredentials { username domain password uri } }', {}, f.agents[0]!.token)).issueSipCredentials;
    const a: Agent = { f, id: f.agents[0]!.id, did, creds, port: await freeUdpPorts(), presence: [], seen: [] };
    const client = api.ws(f.t.adminToken);
    await new Promise<void>((resolve, reject) => {
      client.subscribe<{ agentStateChanged: Agent['presence'][number] }>(
        { query: 'subscription { agentStateChanged { userId sipRegistered } }' },
        { next: (m) => (m.errors ? reject(new Error(JSON.stringify(m.errors))) : a.presence.push(m.data!.agentStateChanged)), error: reject, complete: () => {} },
      );
      client.subscribe<{ interactionEvents: { kind: string; interaction: { id: string; state: string } } }>(
        { query: 'subscription($q: [ID!]) { interactionEvents(queueIds: $q) { kind interaction { id state } } }', variables: { q: [f.queueId] } },
        { next: (m) => void a.seen.push({ kind: m.data!.interactionEvents.kind, ...m.data!.interactionEvents.interaction }), error: reject, complete: () => {} },
      );
      void wsReady(client, 300).then(resolve);
    });
    return a;
  }

  /** REGISTER (digest) from the agent's port with `expires` seconds; 0 unregisters. */
  const register = (a: Agent, expires = 3600) =>
    runSipp([`127.0.0.1:${api.telephony.sipUdpPort}`, '-sf', join(SIPP_SCENARIOS, 'register-expires.xml'), '-m', '1', '-i', '127.0.0.1', '-p', String(a.port),
      '-au', a.creds.username, '-ap', a.creds.password, '-key', 'user', a.creds.username, '-key', 'domain', a.creds.domain, '-key', 'expires', String(expires)], 10_000);

  const sipRegistered = async (a: Agent) =>
    (await api.ok('{ agentStates { edges { node { userId sipRegistered } } } }', {}, a.f.t.adminToken)).agentStates.edges
      .some((e: { node: { userId: string; sipRegistered: boolean } }) => e.node.userId === a.id && e.node.sipRegistered);
  /** The agent has contacts in Kamailio's memory (ul.lookup answers "AOR not found" or "AOR has no contacts" otherwise). */
  const inUsrloc = async (a: Agent) => {
    const found = await kamailioRpc(api.running.app, 'ul.lookup', ['location', `${a.creds.username}@${a.creds.domain}`]).catch((err: Error) => {
      if (/not found|no contacts/.test(err.message)) return null;
      throw err;
    });
    return !!found;
  };
  const announced = (a: Agent, registered: boolean) =>
    waitFor(`agentStateChanged sipRegistered=${registered}`, async () => a.presence.some((p) => p.userId === a.id && p.sipRegistered === registered), 20_000);

  async function registered(a: Agent, expires = 3600): Promise<void> {
    const reg = await register(a, expires);
    assert.equal(reg.code, 0, sippLog(reg));
    await announced(a, true);
    assert.equal(await sipRegistered(a), true);
    assert.ok(await inUsrloc(a), 'Kamailio holds the contact');
  }

  /** A carrier call to the agent's DID is refused by the API (nobody to offer it to: busy) and never OFFERED. */
  async function notOffered(a: Agent): Promise<void> {
    const before = a.seen.length;
    const call = await sip.trunkCall(a.did, 15_000);
    // the campaign's no-agent answer is busy; an agent offered but not in usrloc would give Kamailio's 480
    assert.equal(refusedWith(call), 486, sippLog(call));
    await waitFor('ABANDONED', async () => a.seen.slice(before).some((e) => e.kind === 'ABANDONED'));
    assert.deepEqual(a.seen.slice(before).filter((e) => e.state === 'OFFERED'), [], 'never offered');
  }

  it('an agent who unregisters (Expires: 0) is unregistered at once and gets no calls', async () => {
    const a = await agent();
    await registered(a);
    const off = await register(a, 0);
    assert.equal(off.code, 0, sippLog(off));
    await announced(a, false);
    assert.equal(await sipRegistered(a), false);
    assert.equal(await inUsrloc(a), false);
    await notOffered(a);
  });

  it('a registration that is not refreshed expires in Kamailio; the API hears it, says so and offers no calls', async () => {
    const a = await agent();
    await registered(a, 2);
    await announced(a, false); // only Kamailio's `expired` event publishes this: nothing else was sent
    assert.equal(await sipRegistered(a), false);
    assert.equal(await inUsrloc(a), false, 'usrloc dropped the contact');
    await notOffered(a);
  });

  it('disabling an agent ends their call, drops the registration at once and refuses a new REGISTER; then the user can be deleted', async () => {
    const a = await agent();
    await registered(a);
    const before = a.seen.length;
    const phone = await sip.answeringPhone(a.port);
    const trunk = sip.trunkCall(a.did, 30_000, true);
    const answered = await waitFor('ANSWERED', async () => a.seen.slice(before).find((e) => e.kind === 'ANSWERED'), 20_000);
    const del = 'mutation($id: ID!) { deleteUser(id: $id) }';
    assert.equal(codeOf(await api.gql(del, { id: a.id }, a.f.t.adminToken)), 'CONFLICT', 'not deleted while on a call');

    await api.ok('mutation($id: ID!) { updateUser(id: $id, input: { status: DISABLED }) { id } }', { id: a.id }, a.f.t.adminToken);
    assert.equal(await inUsrloc(a), false, 'Kamailio forgot the contact before the mutation answered');
    assert.equal(await sipRegistered(a), false);
    await announced(a, false);
    const trunkDone = await trunk;
    assert.equal(trunkDone.code, 0, `the caller got a BYE:\n${sippLog(trunkDone)}`);
    const phoneDone = await phone.done;
    assert.equal(phoneDone.code, 0, `the phone got a BYE:\n${sippLog(phoneDone)}\nKamailio's last lines:\n${kamailioTail(api)}`);
    const ended = await waitFor('the call ended', async () => {
      const i = (await api.ok('query($id: ID!) { interaction(id: $id) { state call { endedBy } } }', { id: answered.id }, a.f.t.adminToken)).interaction;
      return i.state === 'WRAP_UP' && i;
    }, 30_000); // BYE both ways, then Kamailio's 'ended' event, on a loaded 2-core machine
    assert.equal(ended.call.endedBy, 'api');
    const again = await sip.register(a.creds, a.port, { refused: true });
    assert.equal(again.code, 0, `the old credentials are refused (401, then 403):\n${sippLog(again)}`);
    await notOffered(a);

    await api.ok('mutation($id: ID!) { updateUser(id: $id, input: { status: ACTIVE }) { id } }', { id: a.id }, a.f.t.adminToken);
    assert.equal((await sip.register(a.creds, a.port, { refused: true })).code, 0, 'enabled again, the voided credentials stay void');

    assert.equal((await api.ok(del, { id: a.id }, a.f.t.adminToken)).deleteUser, a.id);
    assert.equal(codeOf(await api.gql('query($id: ID!) { user(id: $id) { id } }', { id: a.id }, a.f.t.adminToken)), 'NOT_FOUND');
  });

  it("disabling an agent whose phone is ringing withdraws the call: the phone gets CANCEL, the caller 480", async () => {
    const a = await agent();
    await registered(a);
    const before = a.seen.length;
    const phone = await startSipp(['-sf', join(SIPP_SCENARIOS, 'agent-ring-cancel.xml'), '-m', '1', '-i', '127.0.0.1', '-p', String(a.port), '-timeout', '30s', '-timeout_error']);
    const trunk = sip.trunkCall(a.did, 30_000);
    const offered = await waitFor('OFFERED', async () => a.seen.slice(before).find((e) => e.kind === 'OFFERED'), 20_000);
    await new Promise((r) => setTimeout(r, 300)); // ringing (the phone's 180)
    await api.ok('mutation($id: ID!) { updateUser(id: $id, input: { status: DISABLED }) { id } }', { id: a.id }, a.f.t.adminToken);
    const phoneDone = await phone.done;
    assert.equal(phoneDone.code, 0, `the phone got CANCEL:\n${sippLog(phoneDone)}\nKamailio's last lines:\n${kamailioTail(api)}`);
    const trunkDone = await trunk;
    assert.equal(refusedWith(trunkDone), 480, sippLog(trunkDone));
    const lost = await waitFor('the call lost', async () => {
      const i = (await api.ok('query($id: ID!) { interaction(id: $id) { state agent { id } call { sipCode } } }', { id: offered.id }, a.f.t.adminToken)).interaction;
      return i.state === 'ABANDONED' && i;
    }, 15_000);
    assert.deepEqual([lost.agent, lost.call.sipCode], [null, 480], kamailioTail(api));
  });

  it('a phone that answers just as its agent is disabled (the withdrawal too late) is hung up at once', async () => {
    const a = await agent();
    await registered(a);
    const before = a.seen.length;
    const phone = await startSipp(['-sf', join(SIPP_SCENARIOS, 'agent-answer-late.xml'), '-m', '1', '-i', '127.0.0.1', '-p', String(a.port),
      '-mp', String(await freeUdpPorts(4)), '-rtp_echo', '-timeout', '30s', '-timeout_error']);
    const trunk = sip.trunkCall(a.did, 30_000, true);
    const offered = await waitFor('OFFERED', async () => a.seen.slice(before).find((e) => e.kind === 'OFFERED'), 20_000);
    // the race, made certain: Kamailio no longer knows the call as ringing, so nothing is cancelled
    const [call] = await api.running.app.orm.em.getConnection().execute<{ sip_call_id: string }[]>('select sip_call_id from call where interaction_id = ?', [offered.id]);
    await kamailioRpc(api.running.app, 'htable.delete', ['ringing', call!.sip_call_id]);
    await api.ok('mutation($id: ID!) { updateUser(id: $id, input: { status: DISABLED }) { id } }', { id: a.id }, a.f.t.adminToken);
    const phoneDone = await phone.done; // it answers 2.5 s after ringing, then gets the BYE
    assert.equal(phoneDone.code, 0, `the phone got a BYE:\n${sippLog(phoneDone)}\nKamailio's last lines:\n${kamailioTail(api)}`);
    const trunkDone = await trunk;
    assert.equal(trunkDone.code, 0, `the caller got a BYE:\n${sippLog(trunkDone)}`);
    const ended = await waitFor('the call ended', async () => {
      const i = (await api.ok('query($id: ID!) { interaction(id: $id) { state call { endedBy } } }', { id: offered.id }, a.f.t.adminToken)).interaction;
      return i.state === 'WRAP_UP' && i;
    }, 15_000);
    assert.equal(ended.call.endedBy, 'api');
  });

  it('taking the agent role away, or deleting the agent, drops the registration at once', async () => {
    for (const change of ['role', 'delete'] as const) {
      const a = await agent();
      await registered(a);
      if (change === 'role') {
        await api.ok('mutation($id: ID!) { updateUser(id: $id, input: { role: SUPERVISOR }) { id } }', { id: a.id }, a.f.t.adminToken);
      } else {
        assert.equal(codeOf(await api.gql('mutation($id: ID!) { deleteUser(id: $id) }', { id: a.f.t.adminId }, a.f.t.adminToken)), 'BAD_USER_INPUT', 'not oneself');
        await api.ok('mutation($id: ID!) { deleteUser(id: $id) }', { id: a.id }, a.f.t.adminToken);
      }
      assert.equal(await inUsrloc(a), false, `${change}: Kamailio forgot the contact`);
      await announced(a, false);
      const again = await sip.register(a.creds, a.port, { refused: true });
      assert.equal(again.code, 0, `${change}: a new REGISTER is refused:\n${sippLog(again)}`);
    }
  });

  it("an administrator's password reset unregisters the phone at once and voids the SIP credentials issued before", async () => {
    const a = await agent();
    await registered(a);
    await api.ok('mutation($id: ID!, $p: String!) { setUserPassword(id: $id, password: $p) { id } }', { id: a.id, p: 'a-new-password-123' }, a.f.t.adminToken);
    assert.equal(await inUsrloc(a), false, 'Kamailio forgot the contact');
    await announced(a, false);
    assert.equal(await sipRegistered(a), false);
    const again = await sip.register(a.creds, a.port, { refused: true });
    assert.equal(again.code, 0, `the old credentials are refused:\n${sippLog(again)}`);
  });

  it('with Kamailio down, disabling still works, and the contact does not come back with Kamailio', async () => {
    const a = await agent();
    await registered(a);
    const runtime = telephonyRuntime(api.running.app)!;
    await runtime.kamailio.stop();
    await api.ok('mutation($id: ID!) { updateUser(id: $id, input: { status: DISABLED }) { id } }', { id: a.id }, a.f.t.adminToken);
    assert.equal(await sipRegistered(a), false);
    await announced(a, false);
    runtime.kamailio.start();
    await waitFor('Kamailio answering again', () => kamailioRpc(api.running.app, 'core.version').then(() => true, () => false), 20_000);
    assert.equal(await inUsrloc(a), false, 'the contact was not reloaded');
    assert.equal((await sip.register(a.creds, a.port, { refused: true })).code, 0, 'a new REGISTER is refused');
  });

  it("removes, when Kamailio restarts, the contacts of a user deleted behind the API's back", async () => {
    const a = await agent();
    await registered(a);
    const conn = api.running.app.orm.em.fork().getConnection();
    await waitFor('the contact written to kamailio.location', async () =>
      (await conn.execute<{ n: number }[]>('select count(*)::int as n from kamailio.location where username = ?', [a.creds.username]))[0]!.n > 0);
    await conn.execute('delete from app_user where id = ?', [a.id]); // the subscriber row goes with it, usrloc is not told
    assert.ok(await inUsrloc(a));
    const runtime = telephonyRuntime(api.running.app)!;
    const pid = runtime.kamailio.pid!;
    process.kill(pid, 'SIGKILL');
    await waitFor('a new Kamailio', async () => runtime.kamailio.pid && runtime.kamailio.pid !== pid);
    await waitFor('the contact removed after the restart', async () => !(await inUsrloc(a).catch(() => true)), 30_000);
  });
});
