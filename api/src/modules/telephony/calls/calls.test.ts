import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../platform/clock.js';
import { codeOf, startTestApi, wsReady, type TestApi } from '../../../testing/harness.js';
import { floor, type Floor, type FloorOptions } from '../../../testing/contact-centre.js';
import { callEvent, invite, postOffContract, registerPhone, route } from '../../../testing/kamailio-peer.js';
import { agentAor } from '../sip-identity.js';
import { reserveChannel } from './channels.js';
import { expireUnansweredCalls } from './calls.jobs.js';
import { sweep } from '../../routing/sweep.js';

const STATE = 'query($id: ID!) { interaction(id: $id) { state direction channel customerAddress agent { id } answeredAt endedAt } }';
let numbers = 0;

describe('calls: route decisions and call events', () => {
  let api: TestApi;
  const clock = new ManualClock('2026-11-23T15:00:00Z'); // a Monday, 10:00 in Montreal
  before(async () => {
    api = await startTestApi({ clock });
  });
  after(() => api.stop());

  /** A VOICE floor with a trunk from 198.51.100.0/24 carrying one DID for the campaign. */
  async function voiceFloor(options: FloorOptions = {}): Promise<Floor & { did: string; trunkId: string }> {
    const f = await floor(api, { kind: 'VOICE', ...options, campaign: { type: 'VOICE_INBOUND', ...options.campaign } });
    // calls are offered only to agents whose phone is registered
    for (const agent of f.agents) await registerPhone(api, f.t.slug, agent.id);
    const did = `+1514555${String(1000 + numbers++).padStart(4, '0')}`;
    const trunkId = (
      await api.ok('mutation($i: SipTrunkInput!) { createSipTrunk(input: $i) { id } }', {
        i: { name: 'Carrier', host: '198.51.100.1', username: 'acct', password: 'pw', allowedSources: ['198.51.100.0/24'], callerIdDefault: did },
      }, f.t.adminToken)
    ).createSipTrunk.id;
    await api.ok('mutation($i: DidInput!) { addDid(input: $i) { id } }', { i: { number: did, trunkId, campaignId: f.campaignId } }, f.t.adminToken);
    return { ...f, did, trunkId };
  }

  const state = async (f: Floor, id: string) => (await api.ok(STATE, { id }, f.t.adminToken)).interaction;

  it('takes a call from queue to agent to wrap-up, with the same events and wallboard figures as a chat', async () => {
    const f = await voiceFloor({ agents: 1 });
    const [agent] = f.agents;
    const events: string[] = [];
    const client = api.ws(f.t.adminToken);
    await new Promise<void>((resolve) => {
      client.subscribe<{ interactionEvents: { kind: string; interaction: { state: string } } }>(
        { query: 'subscription($q: [ID!]) { interactionEvents(queueIds: $q) { kind interaction { state } } }', variables: { q: [f.queueId] } },
        { next: (m) => void events.push(`${m.data!.interactionEvents.kind}:${m.data!.interactionEvents.interaction.state}`), error: () => {}, complete: () => {} },
      );
      void wsReady(client).then(resolve);
    });
    const req = invite({ ruriUser: f.did, fromName: 'Ada' });
    const decision = await route(api, req);
    assert.equal(decision.action, 'agent');
    if (decision.action !== 'agent') return;
    assert.equal(decision.aor, agentAor(agent.id, f.t.slug, api.running.app.config.telephony));
    assert.deepEqual([decision.record, decision.ringSeconds], [false, 20]);
    const id = decision.interactionId;
    assert.deepEqual(await route(api, req), { action: 'reject', code: 482, reason: 'Loop Detected' }, 'the same Call-ID again');
    assert.deepEqual(await state(f, id), { state: 'OFFERED', direction: 'INBOUND', channel: 'VOICE', customerAddress: '+15145559999', agent: { id: agent.id }, answeredAt: null, endedAt: null });

    await callEvent(api, req.callId, id, 'ringing');
    clock.advance(4_000);
    assert.deepEqual((await callEvent(api, req.callId, id, 'answered')).body, { ok: true, state: 'ACTIVE' });
    assert.equal((await api.ok('{ myAgentState { status } }', {}, agent.token)).myAgentState.status, 'BUSY');
    const moved = await api.ok('mutation($id: ID!, $q: ID) { transferInteraction(id: $id, queueId: $q) { state } }', { id, q: f.queueId }, agent.token);
    assert.equal(moved.transferInteraction.state, 'ACTIVE', 'a call moves only when the caller accepts the REFER (transfers.test.ts)');
    await callEvent(api, req.callId, id, 'held');
    await callEvent(api, req.callId, id, 'resumed');
    clock.advance(60_000);
    assert.deepEqual((await callEvent(api, req.callId, id, 'ended', { code: 200, by: 'caller' })).body, { ok: true, state: 'WRAP_UP' });
    assert.deepEqual((await callEvent(api, req.callId, id, 'ended', { code: 200, by: 'callee' })).body, { ok: true, state: 'WRAP_UP' }, 'a second BYE changes nothing');
    assert.equal((await api.ok('{ myAgentState { status } }', {}, agent.token)).myAgentState.status, 'WRAP_UP');
    await api.ok('mutation($id: ID!, $d: ID) { closeInteraction(id: $id, dispositionId: $d) { state } }', { id, d: f.dispositionId }, agent.token);
    const done = await state(f, id);
    assert.deepEqual([done.state, done.answeredAt, done.endedAt], ['CLOSED', '2026-11-23T15:00:04.000Z', '2026-11-23T15:01:04.000Z']);
    for (let i = 0; i < 250 && events.length < 7; i++) await new Promise((r) => setTimeout(r, 20));
    // QUEUED -> OFFERED -> ACTIVE -> (the caller hung up: WRAP_UP) -> CLOSED with the disposition
    assert.deepEqual(events.map((e) => e.split(':')[0]), ['CREATED', 'OFFERED', 'ANSWERED', 'HELD', 'RESUMED', 'CLOSED', 'CLOSED']);
    const stats = (await api.ok('query($q: [ID!]) { queueStats(queueIds: $q) { offeredToday answeredToday abandonedToday averageHandleSeconds serviceLevel } }', { q: [f.queueId] }, f.t.adminToken)).queueStats[0];
    assert.deepEqual(stats, { offeredToday: 1, answeredToday: 1, abandonedToday: 0, averageHandleSeconds: 60, serviceLevel: 1 });
  });

  it('refuses unknown numbers, untrusted sources, blacklisted callers, closed campaigns and calls beyond the channel limit', async () => {
    const f = await voiceFloor({ agents: 1, campaign: { openingHours: [{ day: 1, opens: '09:00', closes: '17:00' }], outOfHoursAction: 'LEAVE_MESSAGE' } });
    const count = async () => (await api.ok('{ interactions { totalCount } }', {}, f.t.adminToken)).interactions.totalCount;
    assert.deepEqual(await route(api, invite({ ruriUser: '+19995550000' })), { action: 'reject', code: 404, reason: 'Not Found' });
    assert.deepEqual(await route(api, invite({ ruriUser: 'not-a-number' })), { action: 'reject', code: 404, reason: 'Not Found' });
    assert.deepEqual(await route(api, invite({ ruriUser: f.did, sourceIp: '203.0.113.9' })), { action: 'reject', code: 403, reason: 'Forbidden' });
    await api.ok('mutation { addBlacklistEntry(input: { kind: PHONE, match: PREFIX, value: "+1 900" }) { id } }', {}, f.t.adminToken);
    assert.deepEqual(await route(api, invite({ ruriUser: f.did, fromUser: '+19005550123' })), { action: 'reject', code: 403, reason: 'Forbidden' });
    assert.equal(await count(), 0, 'nothing was created for refused calls');
    // digits without a plus reach the same number (carriers often send them so)
    const ok = await route(api, invite({ ruriUser: f.did.slice(1) }));
    assert.equal(ok.action, 'agent');
    // Monday 18:00 in Montreal: closed, and a caller cannot leave a message yet
    clock.set('2026-11-23T23:00:00Z');
    assert.deepEqual(await route(api, invite({ ruriUser: f.did })), { action: 'reject', code: 480, reason: 'Closed' });
    clock.set('2026-11-23T15:00:00Z');
    // 5 seats: 25 channels; the answered call holds one, 23 calls in flight elsewhere, one more fits, then 503
    for (let n = 0; n < 23; n++) await reserveChannel(api.running.app, f.t.id, { sipCallId: `filler-${f.t.id}-${n}`, fromNumber: '+1', toNumber: '+2', trunkId: null });
    const last = await route(api, invite({ ruriUser: f.did }));
    assert.deepEqual(last, { action: 'reject', code: 486, reason: 'Busy Here' }, 'the 25th channel: routed (the only agent is busy)');
    assert.deepEqual(await route(api, invite({ ruriUser: f.did })), { action: 'reject', code: 486, reason: 'Busy Here' }, 'a refused call frees its channel');
    await reserveChannel(api.running.app, f.t.id, { sipCallId: `filler-${f.t.id}-last`, fromNumber: '+1', toNumber: '+2', trunkId: null });
    assert.deepEqual(await route(api, invite({ ruriUser: f.did })), { action: 'reject', code: 503, reason: 'Channel limit reached' });
  });

  it("takes the caller from the trunk's P-Asserted-Identity, and withholds it on Privacy: id", async () => {
    const f = await voiceFloor({ agents: 5 }); // each of the 5 calls below is offered to an agent of its own
    const CALL = 'query($id: ID!) { interaction(id: $id) { customerAddress contact { identifiers { value } } call { fromNumber } } }';
    const shown: (string | undefined)[] = []; // what the agent's phone is told to show instead of From
    const placed = async (over: Parameters<typeof invite>[0]) => {
      const d = await route(api, invite({ ruriUser: f.did, ...over }));
      assert.equal(d.action, 'agent', JSON.stringify(over));
      shown.push(d.action === 'agent' ? d.presentAs : 'not offered');
      return (await api.ok(CALL, { id: d.action === 'agent' ? d.interactionId : '' }, f.t.adminToken)).interaction;
    };
    // the carrier's own number in From, the caller asserted (RFC 3325)
    const asserted = await placed({ fromUser: 'trunk-main', assertedUser: '+15145550144', fromName: 'Carrier' });
    assert.deepEqual(asserted, { customerAddress: '+15145550144', contact: { identifiers: [{ value: '+15145550144' }] }, call: { fromNumber: '+15145550144' } });
    assert.equal((await placed({ fromUser: '+15145550145', assertedUser: 'not-a-number' })).call.fromNumber, '+15145550145', 'an unusable assertion falls back to From');
    // RFC 3323: Privacy id/user/header withholds the caller whatever From and PAI say; none does not
    for (const [fromUser, privacy] of [['+15145550146', 'id;critical'], ['anonymous', 'header;user']]) {
      assert.deepEqual(await placed({ fromUser, assertedUser: '+15145550146', privacy }), { customerAddress: null, contact: null, call: { fromNumber: null } }, privacy);
    }
    assert.equal((await placed({ fromUser: '+15145550147', privacy: 'none' })).call.fromNumber, '+15145550147');
    assert.deepEqual(shown, ['+15145550144', undefined, 'anonymous', 'anonymous', undefined]);
    // privacy (accepted here) does not get a blacklisted number through: it is still that number calling
    await api.ok('mutation { addBlacklistEntry(input: { kind: PHONE, value: "+15145550149" }) { id } }', {}, f.t.adminToken);
    assert.deepEqual(await route(api, invite({ ruriUser: f.did, fromUser: 'x', assertedUser: '+15145550149', privacy: 'id' })), { action: 'reject', code: 403, reason: 'Forbidden' });
    const input = { name: 'C', type: 'VOICE_INBOUND', timeZone: 'America/Montreal', defaultQueueId: f.queueId, anonymousCalls: 'REJECT' };
    await api.ok('mutation($id: ID!, $i: CampaignInput!) { updateCampaign(id: $id, input: $i) { id } }', { id: f.campaignId, i: input }, f.t.adminToken);
    assert.deepEqual(await route(api, invite({ ruriUser: f.did, fromUser: '+15145550148', privacy: 'id' })), { action: 'reject', code: 433, reason: 'Anonymity Disallowed' });
    // an oversized Privacy header asks for privacy; an oversized assertion is ignored (neither fails the call)
    assert.deepEqual(await route(api, invite({ ruriUser: f.did, fromUser: '+15145550150', privacy: 'x'.repeat(300) })), { action: 'reject', code: 433, reason: 'Anonymity Disallowed' });
    const bad = await postOffContract(api, 'route', { ...invite({ ruriUser: f.did }), privacy: 42 });
    assert.deepEqual(bad.body, { action: 'reject', code: 400, reason: 'Bad Request' }, 'a malformed Privacy is a malformed request');
  });

  it('routes anonymous callers without a contact, or answers 433 when the campaign refuses them', async () => {
    const f = await voiceFloor({ agents: 5 });
    const sql = (q: string, p: unknown[]) => api.running.app.orm.em.getConnection().execute(q, p);
    const contacts = async () => Number((await sql('select count(*) as n from contact where tenant_id = ?', [f.t.id]))[0].n);
    const count = async () => (await api.ok('{ interactions { totalCount } }', {}, f.t.adminToken)).interactions.totalCount;
    const CAMPAIGN = 'query($id: ID!) { campaign(id: $id) { anonymousCalls } }';
    assert.equal((await api.ok(CAMPAIGN, { id: f.campaignId }, f.t.adminToken)).campaign.anonymousCalls, 'ACCEPT', 'the default');
    // the whole +1 514 range is blacklisted: a withheld number is nobody's, so the blacklist cannot refuse it
    await api.ok('mutation { addBlacklistEntry(input: { kind: PHONE, match: PREFIX, value: "+1 514" }) { id } }', {}, f.t.adminToken);
    const before = await contacts();
    const callers = [
      { fromUser: 'anonymous', fromDomain: 'anonymous.invalid', fromName: 'Anonymous' },
      { fromUser: 'ANONYMOUS', fromName: 'Ada' },
      { fromUser: '' },
      // From: "Anonymous" <sip:carrier.example>: Kamailio sends an empty user (never leaves it out)
      { fromUser: '', fromName: 'Anonymous' },
      { fromUser: 'restricted' },
    ];
    for (const caller of callers) {
      const d = await route(api, invite({ ruriUser: f.did, ...caller }));
      assert.equal(d.action, 'agent', `routed: ${JSON.stringify(caller)}`);
      const id = d.action === 'agent' ? d.interactionId : '';
      const i = (await api.ok('query($id: ID!) { interaction(id: $id) { state customerAddress contact { id } call { fromNumber toNumber } } }', { id }, f.t.adminToken)).interaction;
      assert.deepEqual(i, { state: 'OFFERED', customerAddress: null, contact: null, call: { fromNumber: null, toNumber: f.did } });
    }
    assert.equal(await contacts(), before, 'no contact was created for anonymous callers');
    assert.deepEqual(await route(api, invite({ ruriUser: f.did, fromUser: '+15145550123' })), { action: 'reject', code: 403, reason: 'Forbidden' }, 'a blacklisted number still is');

    const input = { name: 'C', type: 'VOICE_INBOUND', timeZone: 'America/Montreal', defaultQueueId: f.queueId, anonymousCalls: 'REJECT' };
    const updated = await api.ok('mutation($id: ID!, $i: CampaignInput!) { updateCampaign(id: $id, input: $i) { anonymousCalls } }', { id: f.campaignId, i: input }, f.t.adminToken);
    assert.equal(updated.updateCampaign.anonymousCalls, 'REJECT');
    const interactions = await count();
    const refused = invite({ ruriUser: f.did, fromUser: 'anonymous', fromDomain: 'anonymous.invalid' });
    assert.deepEqual(await route(api, refused), { action: 'reject', code: 433, reason: 'Anonymity Disallowed' });
    assert.deepEqual(await route(api, invite({ ruriUser: f.did, fromUser: '' })), { action: 'reject', code: 433, reason: 'Anonymity Disallowed' });
    assert.equal(await count(), interactions, 'nothing was created for a refused anonymous caller');
    assert.equal(await contacts(), before);
    const [call] = await sql('select from_number, interaction_id, sip_code, ended_by, ended_at from call where sip_call_id = ?', [refused.callId]);
    assert.deepEqual([call.from_number, call.interaction_id, call.sip_code, call.ended_by, call.ended_at !== null], [null, null, 433, 'api', true], 'written already ended, like every refusal');
    const numbered = await route(api, invite({ ruriUser: f.did, fromUser: '+33612345678' }));
    assert.deepEqual(numbered, { action: 'reject', code: 486, reason: 'Busy Here' }, 'callers with a number are still routed (the 5 agents ring for the anonymous calls)');

    const bad = await api.gql('mutation($i: CampaignInput!) { createCampaign(input: $i) { id } }', { i: { ...input, name: 'D', anonymousCalls: 'SOMETIMES' } }, f.t.adminToken);
    assert.equal(codeOf(bad), 'BAD_USER_INPUT');
    assert.equal((await api.ok('{ campaigns { totalCount } }', {}, f.t.adminToken)).campaigns.totalCount, 1, 'nothing written for the invalid input');
  });

  it("answers the campaign's no-agent action and counts the call as abandoned", async () => {
    const busy = await voiceFloor({ agents: 1, available: false });
    assert.deepEqual(await route(api, invite({ ruriUser: busy.did })), { action: 'reject', code: 486, reason: 'Busy Here' });
    const unavailable = await voiceFloor({ agents: 1, available: false, campaign: { noAgentAction: 'UNAVAILABLE' } });
    assert.deepEqual(await route(api, invite({ ruriUser: unavailable.did })), { action: 'reject', code: 480, reason: 'Temporarily Unavailable' });
    const lost = (await api.ok('{ interactions { edges { node { state channel endedAt } } } }', {}, busy.t.adminToken)).interactions.edges;
    assert.deepEqual(lost.map((e: { node: { state: string; channel: string } }) => [e.node.state, e.node.channel]), [['ABANDONED', 'VOICE']]);
    const stats = (await api.ok('{ queueStats { abandonedToday offeredToday } }', {}, busy.t.adminToken)).queueStats[0];
    assert.deepEqual(stats, { abandonedToday: 1, offeredToday: 1 });
  });

  it('treats a call the agent turned down or missed like a declined or lapsed offer, and a caller who hung up as abandoned', async () => {
    const f = await voiceFloor({ agents: 2 });
    const offers = 'query($id: ID!) { interaction(id: $id) { state agent { id } } }';
    for (const [code, by] of [[486, 'callee'], [408, undefined], [487, 'caller']] as const) {
      const req = invite({ ruriUser: f.did });
      const d = await route(api, req);
      assert.equal(d.action, 'agent');
      const id = d.action === 'agent' ? d.interactionId : '';
      assert.deepEqual((await callEvent(api, req.callId, id, 'failed', { code, by })).body, { ok: true, state: 'ABANDONED' }, `failed ${code}`);
      assert.deepEqual((await api.ok(offers, { id }, f.t.adminToken)).interaction, { state: 'ABANDONED', agent: code === 487 ? { id: (await state(f, id)).agent.id } : null });
      // the line is free again: the same agents are offered the next call
      assert.deepEqual((await callEvent(api, req.callId, id, 'answered')).body, { ok: true, state: 'ABANDONED' }, 'nothing happens after the end');
    }
    const calls = (await api.ok('{ interactions(filter: { channel: VOICE }) { edges { node { call { sipCode endedBy endedAt } } } } }', {}, f.t.adminToken)).interactions.edges;
    assert.deepEqual(calls.map((e: { node: { call: { sipCode: number; endedBy: string | null } } }) => [e.node.call.sipCode, e.node.call.endedBy]), [[486, 'callee'], [408, null], [487, 'caller']]);
    const offered = await api.running.app.orm.em.getConnection().execute<{ outcome: string }[]>(
      "select o.outcome from interaction_offer o join interaction i on i.id = o.interaction_id where i.tenant_id = ? order by o.offered_at, o.id",
      [f.t.id],
    );
    assert.deepEqual(offered.map((o) => o.outcome), ['DECLINED', 'TIMED_OUT', 'PENDING']);
  });

  it('places an agent\'s outbound call through the trunk with the chosen caller ID, after the blacklist', async () => {
    const f = await voiceFloor({ agents: 1 });
    const [agent] = f.agents;
    const domain = `${f.t.slug}.${api.running.app.config.telephony.sipDomain}`;
    const aor = agentAor(agent.id, f.t.slug, api.running.app.config.telephony);
    const authUser = aor.slice(4, aor.indexOf('@'));
    const fromAgent = (over = {}) => invite({ ruriUser: '+1 (438) 555-0142', fromUser: authUser, fromDomain: domain, authUser, authDomain: domain, sourceIp: '127.0.0.1', transport: 'ws', ...over });
    const req = fromAgent();
    const d = await route(api, req);
    assert.equal(d.action, 'trunk');
    if (d.action !== 'trunk') return;
    assert.deepEqual({ ...d, interactionId: undefined }, {
      action: 'trunk', ruri: 'sip:+14385550142@198.51.100.1:5060;transport=udp', callerId: f.did, auth: { username: 'acct', password: 'pw' }, interactionId: undefined, record: false,
    });
    assert.deepEqual(await state(f, d.interactionId), { state: 'OFFERED', direction: 'OUTBOUND', channel: 'VOICE', customerAddress: '+14385550142', agent: { id: agent.id }, answeredAt: null, endedAt: null });
    assert.deepEqual(await route(api, fromAgent()), { action: 'reject', code: 486, reason: 'Busy Here' }, 'one call at a time');
    assert.deepEqual((await callEvent(api, req.callId, d.interactionId, 'answered')).body, { ok: true, state: 'ACTIVE' });
    assert.deepEqual((await callEvent(api, req.callId, d.interactionId, 'ended', { by: 'callee' })).body, { ok: true, state: 'WRAP_UP' });
    await api.ok('mutation($id: ID!) { closeInteraction(id: $id) { state } }', { id: d.interactionId }, agent.token);

    const busyLine = fromAgent();
    const unanswered = await route(api, busyLine);
    assert.equal(unanswered.action, 'trunk');
    const uid = unanswered.action === 'trunk' ? unanswered.interactionId : '';
    assert.deepEqual((await callEvent(api, busyLine.callId, uid, 'failed', { code: 486 })).body, { ok: true, state: 'CLOSED' }, 'never connected');

    await api.ok('mutation { addBlacklistEntry(input: { kind: PHONE, value: "+14385550199" }) { id } }', {}, f.t.adminToken);
    assert.deepEqual(await route(api, fromAgent({ ruriUser: '+14385550199' })), { action: 'reject', code: 403, reason: 'Forbidden' });
    assert.deepEqual(await route(api, fromAgent({ ruriUser: '12' })), { action: 'reject', code: 484, reason: 'Address Incomplete' });
    assert.deepEqual(await route(api, fromAgent({ authUser: 'a00000000000000000000000000000000' })), { action: 'reject', code: 403, reason: 'Forbidden' });
    assert.deepEqual(await route(api, fromAgent({ authDomain: 'elsewhere.example' })), { action: 'reject', code: 403, reason: 'Forbidden' });
  });

  it('answers 404 to events of unknown calls or of another interaction', async () => {
    const f = await voiceFloor({ agents: 1 });
    const req = invite({ ruriUser: f.did });
    const d = await route(api, req);
    const id = d.action === 'agent' ? d.interactionId : '';
    assert.deepEqual((await callEvent(api, 'unknown@test', id, 'answered')).body, { ok: false, error: 'NOT_FOUND' });
    assert.deepEqual((await callEvent(api, req.callId, '0190f5a4-0000-7000-8000-000000000000', 'answered')).body, { ok: false, error: 'NOT_FOUND' });
    assert.equal((await state(f, id)).state, 'OFFERED');
  });

  it("answers 404 to calls for a suspended tenant's numbers, and routes them again once it is reactivated", async () => {
    const f = await voiceFloor({ agents: 1 });
    await api.ok('mutation($id: ID!) { suspendTenant(id: $id) { status } }', { id: f.t.id }, api.operatorToken);
    assert.deepEqual(await route(api, invite({ ruriUser: f.did })), { action: 'reject', code: 404, reason: 'Not Found' });
    await api.ok('mutation($id: ID!) { reactivateTenant(id: $id) { status } }', { id: f.t.id }, api.operatorToken);
    await registerPhone(api, f.t.slug, f.agents[0]!.id);
    const again = await route(api, invite({ ruriUser: f.did }));
    assert.equal(again.action, 'reject', 'the agent was signed out by the suspension, so nobody is available');
    assert.equal((again as { code: number }).code, 486, 'the number is routed again: the campaign answers');
  });

  it('ends a call whose ringing outlived the ring time when Kamailio never said how it ended', async () => {
    const f = await voiceFloor({ agents: 1 });
    const req = invite({ ruriUser: f.did });
    const d = await route(api, req);
    const id = d.action === 'agent' ? d.interactionId : '';
    clock.advance(25_000);
    await sweep(api.running.app);
    assert.equal(await expireUnansweredCalls(api.running.app), 0, 'still within ring time and grace');
    assert.equal((await state(f, id)).state, 'OFFERED', "routing's sweep leaves voice offers alone");
    clock.advance(6_000);
    assert.ok((await expireUnansweredCalls(api.running.app)) >= 1, 'this call (and those earlier tests left ringing)');
    assert.equal((await state(f, id)).state, 'ABANDONED');
    const next = await route(api, invite({ ruriUser: f.did }));
    assert.equal(next.action, 'agent', 'the agent is offered the next call');
  });
});
