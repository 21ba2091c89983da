/**
 * A caller who withholds the number (`From: "Anonymous" <sip:anonymous@anonymous.invalid>`)
 * through the real parts: sipp as the carrier and the agent's phone, Kamailio, rtpengine and the
 * API. Accepted (the default), the call rings the agent and is answered, with no contact and no
 * customer address; with the campaign's `anonymousCalls: REJECT` the carrier gets 433.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { floor, type Floor } from '../../api/src/testing/contact-centre.js';
import { freeUdpPorts, startTelephonyTestApi, telephonySkipReason, waitFor, type TelephonyTestApi } from '../../api/src/testing/telephony.js';
import { refusedWith, sippLog, VoicePeers, type SipCredentials } from './voice-peers.js';
import { addCarrierNumber } from '../../api/src/testing/kamailio-peer.js';

const skip = await telephonySkipReason();
const DID = '+15145550177';
const INTERACTIONS = `{ interactions(first: 5) { totalCount edges { node { id state customerAddress contact { id } agent { id }
  call { fromNumber toNumber sipCode endedBy } } } } }`;

describe('anonymous callers end to end: sipp trunk and agent through Kamailio, rtpengine and the API', { skip: skip ?? false }, () => {
  let api: TelephonyTestApi;
  let f: Floor;
  let creds: SipCredentials;
  let sip: VoicePeers;
  let phonePort = 0;

  before(async () => {
    api = await startTelephonyTestApi();
    sip = new VoicePeers(api.telephony.sipUdpPort);
    phonePort = await freeUdpPorts();
    const trunkPort = await freeUdpPorts();
    f = await floor(api, { agents: 1, kind: 'VOICE', queue: { wrapUpSeconds: 0 }, campaign: { type: 'VOICE_INBOUND', ringSeconds: 15 } });
    await addCarrierNumber(api, f, DID, { port: trunkPort, username: 'trunk', password: 'trunkpass' });
    creds = (await api.ok('mutation { issueSipCredentials { username domain password uri } }', {}, f.agents[0]!.token)).issueSipCredentials;
  });
  after(() => api?.stop());

  const interactions = async () => (await api.ok(INTERACTIONS, {}, f.t.adminToken)).interactions;

  it('rings the agent for an anonymous caller (ACCEPT, the default): answered, no contact, no customer address', async () => {
    const reg = await sip.register(creds, phonePort);
    assert.equal(reg.code, 0, sippLog(reg));
    await waitFor('sipRegistered', async () =>
      (await api.ok('{ agentStates { edges { node { userId sipRegistered } } } }', {}, f.t.adminToken)).agentStates.edges
        .some((e: { node: { userId: string; sipRegistered: boolean } }) => e.node.userId === f.agents[0]!.id && e.node.sipRegistered));
    const phone = await sip.answeringPhone(phonePort);
    const trunk = await sip.anonymousTrunkCall(DID);
    assert.equal(trunk.code, 0, sippLog(trunk));
    const phoneDone = await phone.done;
    assert.equal(phoneDone.code, 0, sippLog(phoneDone));
    const ended = await waitFor('the call wrapped up', async () => {
      const list = await interactions();
      return list.totalCount === 1 && list.edges[0].node.state !== 'OFFERED' && list.edges[0].node.state !== 'ACTIVE' && list.edges[0].node;
    }, 20_000);
    assert.deepEqual(
      { ...ended, id: undefined, state: undefined },
      { id: undefined, state: undefined, customerAddress: null, contact: null, agent: { id: f.agents[0]!.id }, call: { fromNumber: null, toNumber: DID, sipCode: 200, endedBy: 'caller' } },
    );
  });

  it("answers 433 Anonymity Disallowed when the campaign refuses anonymous callers, and creates nothing", async () => {
    const before = (await interactions()).totalCount;
    const input = { name: 'C', type: 'VOICE_INBOUND', timeZone: 'America/Montreal', defaultQueueId: f.queueId, ringSeconds: 15, anonymousCalls: 'REJECT' };
    await api.ok('mutation($id: ID!, $i: CampaignInput!) { updateCampaign(id: $id, input: $i) { id } }', { id: f.campaignId, i: input }, f.t.adminToken);
    const refused = await sip.anonymousTrunkCall(DID, 10_000);
    assert.equal(refusedWith(refused), 433, sippLog(refused));
    assert.equal((await interactions()).totalCount, before, 'a refused anonymous call creates no interaction');
  });

  it('reads the caller from P-Asserted-Identity, and treats Privacy: id as withheld, through Kamailio', async () => {
    const before = (await interactions()).totalCount;
    // the campaign refuses anonymous callers (the test before): a number in From and PAI does not help when privacy is asked for
    const privateCall = await sip.privateTrunkCall(DID, { fromUser: '+34600111222', asserted: '+34600111222', privacy: 'id' }, 10_000);
    assert.equal(refusedWith(privateCall), 433, sippLog(privateCall));
    // the asserted caller is blacklisted, the carrier's own From user is not: PAI decides
    await api.ok('mutation { addBlacklistEntry(input: { kind: PHONE, value: "+34600999111" }) { id } }', {}, f.t.adminToken);
    const asserted = await sip.privateTrunkCall(DID, { fromUser: '+34911000000', asserted: '+34600999111', privacy: 'none' }, 10_000);
    assert.equal(refusedWith(asserted), 403, sippLog(asserted));
    assert.equal((await interactions()).totalCount, before);
  });
});
