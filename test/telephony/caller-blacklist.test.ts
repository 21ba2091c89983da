/**
 * The blacklist against every spelling of a caller (issue 11, item 5), through the real parts:
 * sipp as the carrier, Kamailio, rtpengine and the API. `+34911000666` is blacklisted; a From of
 * `0034911000666`, a `tel:` asserted identity with dashes, or a blocked From behind a clean
 * P-Asserted-Identity must all get 403 and create nothing. A clean caller still reaches routing
 * (no agent is registered here, so it gets the campaign's no-agent answer, 486).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { floor, type Floor } from '../../api/src/testing/contact-centre.js';
import { freeUdpPorts, startTelephonyTestApi, telephonySkipReason, type TelephonyTestApi } from '../../api/src/testing/telephony.js';
import { addCarrierNumber } from '../../api/src/testing/kamailio-peer.js';
import { refusedWith, sippLog, VoicePeers } from './voice-peers.js';

const skip = await telephonySkipReason();
const DID = '+15145550188';
const NONE = 'X-Identity: none';

describe('caller blacklist through Kamailio: one normalisation, both identities', { skip: skip ?? false }, () => {
  let api: TelephonyTestApi;
  let f: Floor;
  let sip: VoicePeers;

  before(async () => {
    api = await startTelephonyTestApi();
    sip = new VoicePeers(api.telephony.sipUdpPort);
    f = await floor(api, { agents: 1, kind: 'VOICE', campaign: { type: 'VOICE_INBOUND', ringSeconds: 5, noAgentAction: 'BUSY' } });
    await addCarrierNumber(api, f, DID, { port: await freeUdpPorts() });
    await api.ok('mutation { addBlacklistEntry(input: { kind: PHONE, value: "+34 911 000 666" }) { id } }', {}, f.t.adminToken);
  });
  after(() => api?.stop());

  const interactions = async () => (await api.ok('{ interactions { totalCount } }', {}, f.t.adminToken)).interactions.totalCount as number;

  it('routes a clean caller (the control: no agent is registered, so 486)', async () => {
    const clean = await sip.identityTrunkCall(DID, { fromUser: '+34600111333', identity: NONE }, 10_000);
    assert.equal(refusedWith(clean), 486, sippLog(clean));
  });

  for (const [what, id] of [
    ['a From with the 00 international prefix', { fromUser: '0034911000666', identity: NONE }],
    ['a From with the number in digits alone', { fromUser: '34911000666', identity: NONE }],
    ['a From with dashes and parentheses', { fromUser: '+34-(911)-000-666', identity: NONE }],
    ['a blocked From behind a clean P-Asserted-Identity', { fromUser: '0034911000666', identity: 'P-Asserted-Identity: <sip:+34600111333@carrier.invalid>' }],
    ['a blocked tel: P-Asserted-Identity behind a clean From', { fromUser: '+34600111333', identity: 'P-Asserted-Identity: <tel:+34-911-000-666>' }],
    ['a blocked P-Asserted-Identity with the 00 prefix', { fromUser: '+34600111333', identity: 'P-Asserted-Identity: <sip:0034911000666@carrier.invalid;user=phone>' }],
  ] as const) {
    it(`answers 403 and creates nothing for ${what}`, async () => {
      const before = await interactions();
      const call = await sip.identityTrunkCall(DID, id, 10_000);
      assert.equal(refusedWith(call), 403, sippLog(call));
      assert.equal(await interactions(), before, 'a refused call creates no interaction');
    });
  }
});
