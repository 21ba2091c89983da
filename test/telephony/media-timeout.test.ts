/**
 * Dead calls (issue 11, item 7) through the real parts: sipp as the carrier and the agent's desk
 * phone, Kamailio, rtpengine and the API with CALL_MEDIA_TIMEOUT_SECONDS = 2. A call whose media
 * stops (the carrier's audio file ends, the phone only echoes) and a call whose agent phone
 * vanishes without a BYE while the carrier still talks are both ended by the API: BYE to every
 * leg still there, the interaction in WRAP_UP with `endedBy: media-timeout` and 408, the channel
 * free (`Call.endedAt`) and the agent out of BUSY.
 */
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { floor, type Floor } from '../../api/src/testing/contact-centre.js';
import { freeUdpPorts, startTelephonyTestApi, telephonySkipReason, waitFor, type TelephonyTestApi } from '../../api/src/testing/telephony.js';
import { addCarrierNumber } from '../../api/src/testing/kamailio-peer.js';
import { kamailioTail, sippLog, VoicePeers, type SipCredentials } from './voice-peers.js';

const skip = await telephonySkipReason();
const DID = '+15145550166';
const TIMEOUT = 2;
const INTERACTIONS = `{ interactions(first: 10) { edges { node { id state answeredAt agent { id }
  call { sipCode endedBy endedAt } } } } }`;

interface Row {
  id: string;
  state: string;
  answeredAt: string | null;
  call: { sipCode: number | null; endedBy: string | null; endedAt: string | null };
}

describe('calls without media are ended both ways (sipp, Kamailio, rtpengine)', { skip: skip ?? false }, () => {
  let api: TelephonyTestApi;
  let f: Floor;
  let creds: SipCredentials;
  let sip: VoicePeers;
  let phonePort = 0;

  before(async () => {
    api = await startTelephonyTestApi({ callMediaTimeoutSeconds: TIMEOUT });
    sip = new VoicePeers(api.telephony.sipUdpPort);
    phonePort = await freeUdpPorts();
    f = await floor(api, { agents: 1, kind: 'VOICE', queue: { wrapUpSeconds: 0 }, campaign: { type: 'VOICE_INBOUND', ringSeconds: 15 } });
    await addCarrierNumber(api, f, DID, { port: await freeUdpPorts() });
    creds = (await api.ok('mutation { issueSipCredentials { username domain password uri } }', {}, f.agents[0]!.token)).issueSipCredentials;
    const reg = await sip.register(creds, phonePort);
    assert.equal(reg.code, 0, sippLog(reg));
    await waitFor('sipRegistered', async () =>
      (await api.ok('{ agentStates { edges { node { userId sipRegistered } } } }', {}, f.t.adminToken)).agentStates.edges
        .some((e: { node: { userId: string; sipRegistered: boolean } }) => e.node.userId === f.agents[0]!.id && e.node.sipRegistered));
  });
  after(() => api?.stop());
  afterEach(async () => {
    for (const row of await rows()) {
      if (row.state === 'WRAP_UP') await api.ok('mutation($id: ID!) { closeInteraction(id: $id) { state } }', { id: row.id }, f.agents[0]!.token);
    }
  });

  const rows = async (): Promise<Row[]> => (await api.ok(INTERACTIONS, {}, f.t.adminToken)).interactions.edges.map((e: { node: Row }) => e.node);
  const answered = (known: Set<string>) =>
    waitFor('the call answered (ACTIVE)', async () => (await rows()).find((r) => !known.has(r.id) && r.state === 'ACTIVE'), 20_000);
  const agentStatus = async () =>
    (await api.ok('{ agentStates { edges { node { userId status } } } }', {}, f.t.adminToken)).agentStates.edges
      .find((e: { node: { userId: string } }) => e.node.userId === f.agents[0]!.id)?.node.status as string;

  async function assertEndedForSilence(id: string): Promise<void> {
    const row = await waitFor('the interaction wrapped up', async () => (await rows()).find((r) => r.id === id && r.state !== 'ACTIVE'), 15_000);
    assert.equal(row.state, 'WRAP_UP', JSON.stringify(row));
    assert.equal(row.call.endedBy, 'media-timeout', JSON.stringify(row));
    assert.equal(row.call.sipCode, 408);
    assert.ok(row.call.endedAt, 'the call ended: its channel is free');
    assert.notEqual(await agentStatus(), 'BUSY');
  }

  it('ends a call whose media stopped on both sides: the carrier and the phone each get a BYE', async () => {
    const known = new Set((await rows()).map((r) => r.id));
    const phone = await sip.answeringPhone(phonePort);
    // the carrier plays its ~7 s audio file, then stays on the line in silence until a BYE
    const trunk = sip.trunkCall(DID, 40_000, true);
    const call = await answered(known);
    const [trunkDone, phoneDone] = await Promise.all([trunk, phone.done]);
    assert.equal(trunkDone.code, 0, `the carrier got a BYE:\n${sippLog(trunkDone)}\n${kamailioTail(api, 30)}`);
    assert.equal(phoneDone.code, 0, `the phone got a BYE:\n${sippLog(phoneDone)}`);
    await assertEndedForSilence(call.id);
  });

  it('ends a call whose agent phone vanished without a BYE while the carrier still sends audio', async () => {
    const known = new Set((await rows()).map((r) => r.id));
    const phone = await sip.answeringPhone(phonePort);
    const trunk = sip.trunkCall(DID, 40_000, true);
    const call = await answered(known);
    phone.kill('SIGKILL'); // no BYE, no more media from the agent's side
    const trunkDone = await trunk;
    assert.equal(trunkDone.code, 0, `the carrier got a BYE:\n${sippLog(trunkDone)}\n${kamailioTail(api, 30)}`);
    await assertEndedForSilence(call.id);
  });
});
