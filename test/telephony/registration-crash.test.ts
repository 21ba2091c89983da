/**
 * Registrations across a crash of Kamailio (issue 11, item 6), through the real parts: sipp as
 * the agent's desk phone and the carrier, Kamailio killed with SIGKILL and restarted by the
 * platform's supervisor, rtpengine and the API. A phone that got its 200 OK just before the kill
 * must still get the next call (usrloc writes through to the database); a contact Kamailio really
 * lost must stop showing as registered in the API (the reconciliation after each start).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { floor, type Floor } from '../../api/src/testing/contact-centre.js';
import { freeUdpPorts, startTelephonyTestApi, telephonySkipReason, waitFor, type TelephonyTestApi } from '../../api/src/testing/telephony.js';
import { addCarrierNumber } from '../../api/src/testing/kamailio-peer.js';
import { kamailioRpc, telephonyRuntime } from '../../api/src/modules/telephony/runtime/index.js';
import { platformEm } from '../../api/src/platform/db/orm.js';
import { kamailioTail, refusedWith, sippLog, VoicePeers, type SipCredentials } from './voice-peers.js';

const skip = await telephonySkipReason();
const DID = '+15145550155';

describe('registrations survive a Kamailio crash, and the API agrees with Kamailio after it', { skip: skip ?? false }, () => {
  let api: TelephonyTestApi;
  let f: Floor;
  let creds: SipCredentials;
  let sip: VoicePeers;
  let phonePort = 0;

  before(async () => {
    // usrloc's timer far away: a contact written on the timer (the old db_mode) would be lost by the kill
    api = await startTelephonyTestApi({ sipUsrlocTimer: 60 });
    sip = new VoicePeers(api.telephony.sipUdpPort);
    phonePort = await freeUdpPorts();
    f = await floor(api, { agents: 1, kind: 'VOICE', queue: { wrapUpSeconds: 0 }, campaign: { type: 'VOICE_INBOUND', ringSeconds: 10, noAgentAction: 'BUSY' } });
    await addCarrierNumber(api, f, DID, { port: await freeUdpPorts() });
    creds = (await api.ok('mutation { issueSipCredentials { username domain password uri } }', {}, f.agents[0]!.token)).issueSipCredentials;
  });
  after(() => api?.stop());

  const sipRegistered = async () =>
    (await api.ok('{ agentStates { edges { node { userId sipRegistered } } } }', {}, f.t.adminToken)).agentStates.edges
      .find((e: { node: { userId: string } }) => e.node.userId === f.agents[0]!.id)?.node.sipRegistered as boolean;

  /** SIGKILL to Kamailio; resolves once the supervisor's new Kamailio answers JSON-RPC. */
  async function crashKamailio(): Promise<void> {
    const runtime = telephonyRuntime(api.running.app)!;
    const firstPid = runtime.kamailio.pid!;
    process.kill(firstPid, 'SIGKILL');
    await waitFor('a new Kamailio', async () => runtime.kamailio.pid && runtime.kamailio.pid !== firstPid, 15_000);
    await waitFor('Kamailio answering again', () => kamailioRpc(api.running.app, 'core.version').then(() => true, () => false), 15_000);
  }

  const heldByKamailio = async () => JSON.stringify(await kamailioRpc(api.running.app, 'ul.dump')).includes(creds.username);

  it('rings a phone that registered just before Kamailio was killed', async () => {
    const reg = await sip.register(creds, phonePort);
    assert.equal(reg.code, 0, sippLog(reg));
    await waitFor('sipRegistered', sipRegistered);
    await crashKamailio();
    await waitFor('the contact reloaded by the new Kamailio', heldByKamailio, 5_000);
    assert.equal(await sipRegistered(), true);
    const phone = await sip.answeringPhone(phonePort);
    const trunk = await sip.trunkCall(DID, 20_000);
    assert.equal(trunk.code, 0, `the call reached the phone (got ${refusedWith(trunk)}):\n${sippLog(trunk)}\n${kamailioTail(api, 30)}`);
    assert.equal((await phone.done).code, 0);
    const [last] = (await api.ok('{ interactions(first: 1) { edges { node { id state } } } }', {}, f.t.adminToken)).interactions.edges;
    await waitFor('WRAP_UP', async () =>
      (await api.ok('query($id: ID!) { interaction(id: $id) { state } }', { id: last.node.id }, f.t.adminToken)).interaction.state === 'WRAP_UP');
    await api.ok('mutation($id: ID!) { closeInteraction(id: $id) { state } }', { id: last.node.id }, f.agents[0]!.token);
  });

  it('stops showing the agent as registered when the restarted Kamailio lost the contact', async () => {
    const reg = await sip.register(creds, phonePort);
    assert.equal(reg.code, 0, sippLog(reg));
    await waitFor('sipRegistered', sipRegistered);
    // the contact is gone from Kamailio's storage (as a write the crash lost), then Kamailio crashes
    await platformEm(api.running.app.orm).getConnection().execute('delete from kamailio.location where username = ?', [creds.username]);
    await crashKamailio();
    await waitFor('sipRegistered false after the restart', async () => !(await sipRegistered()), 10_000);
    assert.equal(await heldByKamailio(), false);
    // the next call is not offered to a phone Kamailio cannot reach: the campaign's no-agent answer
    const trunk = await sip.trunkCall(DID, 15_000);
    assert.equal(refusedWith(trunk), 486, sippLog(trunk));
  });
});
