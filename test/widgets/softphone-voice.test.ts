/**
 * The softphone's voice half in real Chromium against the real API with Kamailio and rtpengine:
 * the agent signs in on the example agent desktop, the widget registers over WebSocket with the
 * credentials the API issues, takes a call from a trunk (sipp), talks (WebRTC media through
 * rtpengine), mutes, holds, and records the outcome after the caller hangs up; then calls out from
 * the dial pad and on the API's click-to-call command, each reaching a sipp carrier.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { floor, type Floor } from '../../api/src/testing/contact-centre.js';
import { signIn } from '../../api/src/testing/fixtures.js';
import { freeUdpPorts, runSipp, SIPP_SCENARIOS, startSipp, startTelephonyTestApi, telephonySkipReason, waitFor, type TelephonyTestApi } from '../../api/src/testing/telephony.js';
import { rtpengineNg } from '../../api/src/modules/telephony/runtime/index.js';
import { servePages, type PagesServer } from '../../examples/widget-pages/serve.js';
import { ensureWidgetsBuilt } from '../../widgets/build.js';
import { launchChromium, RECORD_PEER_CONNECTIONS, rtpPackets, screenshot, seriousViolations, type Browser } from './browser.js';
import { addCarrierNumber } from '../../api/src/testing/kamailio-peer.js';
import { kamailioTail, VoicePeers } from '../telephony/voice-peers.js';

const skip = await telephonySkipReason();

/** Whether some process has bound UDP `port` on 127.0.0.1 (Linux: /proc/net/udp lists local addresses in hex). */
const udpBound = async (port: number) => (await readFile('/proc/net/udp', 'utf8')).includes(`0100007F:${port.toString(16).toUpperCase().padStart(4, '0')} `);
const DID = '+34911000777';

describe('softphone voice in Chromium', { skip: skip ?? false }, () => {
  let api: TelephonyTestApi;
  let pages: PagesServer;
  let browser: Browser;
  let f: Floor;
  let page: Page;
  let agentToken: string;
  let carrierPort: number;
  const events: string[] = [];
  const options = { api: '', widgetKey: '' };

  before(async () => {
    await ensureWidgetsBuilt();
    pages = await servePages(options); // the page's origin must be allowed to open the SIP WebSocket
    api = await startTelephonyTestApi({ wsOrigins: [pages.url] });
    options.api = api.url;
    f = await floor(api, { kind: 'VOICE', agents: 1, available: false, campaign: { type: 'VOICE_INBOUND' } });
    carrierPort = await freeUdpPorts();
    await addCarrierNumber(api, f, DID, { port: carrierPort, username: 'trunk', password: 'trunkpass' });
    agentToken = await signIn(api, f.agents[0].email, f.agents[0].password, f.t.slug);
    const client = api.ws(f.t.adminToken);
    await new Promise<void>((resolve) => {
      client.subscribe<{ interactionEvents: { kind: string; interaction: { id: string } } }>(
        { query: 'subscription($q: [ID!]) { interactionEvents(queueIds: $q) { kind interaction { id } } }', variables: { q: [f.queueId] } },
        { next: (m) => void events.push(m.data!.interactionEvents.kind), error: () => {}, complete: () => {} },
      );
      setTimeout(resolve, 200);
    });
    browser = await launchChromium({ webrtc: true });
    page = await browser.context.newPage();
    await page.addInitScript(RECORD_PEER_CONNECTIONS);
  });
  after(async () => {
    await browser?.close();
    await pages?.close();
    await api?.stop();
  });

  const phone = () => page.locator('sb-softphone');
  const registered = async () => (await api.ok('{ myAgentState { sipRegistered status } }', {}, agentToken)).myAgentState;
  const interaction = async (id: string) =>
    (await api.ok('query($id: ID!) { interaction(id: $id) { state direction disposition { code } call { toNumber fromNumber } } }', { id }, f.t.adminToken)).interaction;

  /** Media flows both ways between the browser and rtpengine (the page's own WebRTC statistics). */
  const mediaFlows = () => waitFor('RTP both ways in the browser', async () => {
    const p = await rtpPackets(page);
    return p.received > 20 && p.sent > 20 && p;
  }, 15_000);

  /** The disposition form of the call that just ended: record the outcome. */
  const closeWithDisposition = async () => {
    const form = phone().locator('[part="disposition"]');
    await form.waitFor();
    const id = (await phone().locator('[part="conversation"]').getAttribute('data-interaction'))!;
    await form.getByLabel('Outcome').selectOption({ label: 'Done' });
    await form.getByRole('button', { name: 'Close interaction' }).click();
    await phone().locator(`[part="conversation"][data-interaction="${id}"]`).waitFor({ state: 'detached' });
    return id;
  };

  it('signs in, registers the browser over WebSocket and shows the dial pad', async () => {
    await page.goto(`${pages.url}/agent-desktop.html`);
    await phone().getByLabel('E-mail').fill(f.agents[0].email);
    await phone().getByLabel('Password').fill(f.agents[0].password);
    await phone().getByLabel('Organisation (optional)').fill(f.t.slug);
    await phone().getByRole('button', { name: 'Sign in' }).click();
    await phone().locator('[part="dial"]').waitFor();
    await waitFor('sipRegistered through GraphQL', async () => (await registered()).sipRegistered, 10_000);
    await phone().getByLabel('My state').selectOption('AVAILABLE');
    await waitFor('AVAILABLE', async () => (await registered()).status === 'AVAILABLE');
    assert.deepEqual(await seriousViolations(page), [], 'dial pad');
    await screenshot(phone(), 'softphone-voice-registered');
  });

  it('rings for a trunk call, answers, carries media both ways, mutes, holds and closes after the caller hangs up', async () => {
    const caller = runSipp([`127.0.0.1:${api.telephony.sipUdpPort}`, '-sf', join(SIPP_SCENARIOS, 'trunk-call-agent-holds.xml'), '-s', DID, '-m', '1',
      '-i', '127.0.0.1', '-p', String(await freeUdpPorts()), '-mp', String(await freeUdpPorts(4))], 90_000);

    const toast = phone().locator('[part="toast"]');
    await toast.getByText('Incoming call from +34600111222').waitFor({ timeout: 15_000 });
    assert.equal(await toast.count(), 1, 'one toast for the call (its routing offer is the ringing phone)');
    assert.deepEqual(await seriousViolations(page), [], 'ringing toast');
    await screenshot(phone(), 'softphone-voice-ringing');
    await toast.getByRole('button', { name: 'Answer' }).click();

    const call = phone().locator('[part="call"]');
    await call.getByRole('timer').filter({ hasText: /^\d+:\d\d$/ }).waitFor();
    const conversation = phone().locator('[part="conversation"]');
    await conversation.waitFor(); // the API reported the answer: the VOICE interaction is the agent's
    const id = (await conversation.getAttribute('data-interaction'))!;
    assert.equal((await interaction(id)).state, 'ACTIVE');
    await conversation.getByRole('heading', { name: 'Customer', exact: true }).waitFor(); // the caller's display name, unquoted
    const flowing = await mediaFlows();
    assert.equal(flowing.state, 'connected', 'ICE and DTLS with rtpengine');

    // rtpengine relays both legs of the call
    const callId = await waitFor('the call in rtpengine', async () => {
      const list = await rtpengineNg(api.telephony.rtpengineNgPort, { command: 'list', limit: 10 });
      return (list.calls as string[] | undefined)?.[0];
    });
    const query = await rtpengineNg(api.telephony.rtpengineNgPort, { command: 'query', 'call-id': callId });
    const tags = Object.values(query.tags as Record<string, { medias?: { streams?: { stats?: { packets?: number } }[] }[] }>);
    const packets = tags.map((tag) => (tag.medias ?? []).flatMap((m) => m.streams ?? []).reduce((n, s) => n + (s.stats?.packets ?? 0), 0));
    assert.ok(packets.length === 2 && packets.every((n) => n > 10), `rtpengine packets per leg: ${packets.join(', ')}`);
    await screenshot(phone(), 'softphone-voice-in-call');
    assert.deepEqual(await seriousViolations(page), [], 'in a call');

    await call.getByRole('button', { name: 'Mute' }).click();
    await call.getByRole('button', { name: 'Unmute', pressed: true }).waitFor();
    const micOn = () => page.evaluate(() => (window as any).__pcs.at(-1).getSenders().map((s: RTCRtpSender) => s.track?.enabled));
    assert.deepEqual(await micOn(), [false], 'muted: the microphone track is off');
    await call.getByRole('button', { name: 'Unmute' }).click();
    await call.getByRole('button', { name: 'Mute', pressed: false }).waitFor();
    assert.deepEqual(await micOn(), [true]);

    await call.getByRole('button', { name: 'Hold' }).click();
    await call.getByRole('button', { name: 'Resume', pressed: true }).waitFor();
    await waitFor('HELD on interactionEvents', async () => events.includes('HELD'));
    await screenshot(phone(), 'softphone-voice-on-hold');
    await call.getByRole('button', { name: 'Resume' }).click();
    await waitFor('RESUMED on interactionEvents', async () => events.includes('RESUMED'));

    const done = await caller; // the caller hangs up after the resume
    assert.equal(done.code, 0, done.output.slice(-2000));
    await call.waitFor({ state: 'detached' });
    await phone().locator('[part="disposition"]').waitFor();
    assert.equal((await interaction(id)).state, 'WRAP_UP');
    await screenshot(phone(), 'softphone-voice-wrap-up');
    assert.deepEqual(await seriousViolations(page), [], 'wrap-up');
    assert.equal(await closeWithDisposition(), id);
    assert.deepEqual({ ...(await interaction(id)), call: undefined }, { state: 'CLOSED', direction: 'INBOUND', disposition: { code: 'DONE' }, call: undefined });
  });

  /** A carrier (sipp UAS on the trunk's port) that answers with echoed audio and waits for the agent's BYE. */
  const carrier = async () => {
    const peer = await startSipp(['-sf', join(SIPP_SCENARIOS, 'trunk-answer.xml'), '-m', '1', '-i', '127.0.0.1', '-p', String(carrierPort),
      '-mp', String(await freeUdpPorts(4)), '-rtp_echo', '-timeout', '60s', '-timeout_error']);
    await waitFor('the carrier listening', () => udpBound(carrierPort)); // a busy machine may take sipp longer than startSipp waits
    return peer;
  };

  /** The agent's outbound call is up with media, then the agent hangs up and closes it. */
  const talkAndHangUp = async (number: string, peer: { output(): string }) => {
    const call = phone().locator('[part="call"]');
    await call.getByRole('heading', { name: `Call with ${number}` }).waitFor();
    await call.getByRole('timer').filter({ hasText: /^\d+:\d\d$/ }).waitFor({ timeout: 15_000 }).catch(async (err: Error) => {
      throw new Error(`${err.message}\nsoftphone: ${await phone().innerText()}\ncarrier:\n${peer.output().slice(-1500)}`);
    });
    await mediaFlows();
    await call.getByRole('button', { name: 'Hang up' }).click();
    await call.waitFor({ state: 'detached' });
    const id = await closeWithDisposition();
    const i = await interaction(id);
    assert.deepEqual([i.state, i.direction, i.call.toNumber], ['CLOSED', 'OUTBOUND', number]);
  };

  it('calls a number from the dial pad through the trunk', async () => {
    const peer = await carrier();
    const dial = phone().locator('[part="dial"]');
    await dial.getByLabel('Number').fill('+34600999888');
    await dial.getByRole('button', { name: 'Call', exact: true }).click();
    await talkAndHangUp('+34600999888', peer);
    const done = await peer.done;
    assert.equal(done.code, 0, done.output.slice(-1500));
  });

  it("dials when the API's click-to-call command arrives", async () => {
    const peer = await carrier();
    const sent = await api.ok('mutation { clickToCall(number: "+34 600 555 444") { kind number } }', {}, agentToken);
    assert.deepEqual(sent.clickToCall, { kind: 'DIAL', number: '+34600555444' });
    await talkAndHangUp('+34600555444', peer);
    const done = await peer.done;
    assert.equal(done.code, 0, done.output.slice(-1500));
  });

  it("ends the agent's outbound call in the browser when a supervisor hangs it up through the API", async () => {
    const peer = await carrier();
    const dial = phone().locator('[part="dial"]');
    await dial.getByLabel('Number').fill('+34600777666');
    await dial.getByRole('button', { name: 'Call', exact: true }).click();
    const call = phone().locator('[part="call"]');
    await call.getByRole('timer').filter({ hasText: /^\d+:\d\d$/ }).waitFor({ timeout: 15_000 });
    await mediaFlows();
    const id = await waitFor('the outbound call ACTIVE', async () =>
      (await api.ok('{ interactions(filter: { state: ACTIVE }, first: 1) { edges { node { id } } } }', {}, f.t.adminToken)).interactions.edges[0]?.node.id as string | undefined);
    await api.ok('mutation($id: ID!) { hangUpCall(interactionId: $id) { id } }', { id }, f.t.adminToken);
    await call.waitFor({ state: 'detached', timeout: 10_000 }).catch((err: Error) => { // the browser (the caller here) got its BYE
      throw new Error(`${err.message}\nKamailio's last lines:\n${kamailioTail(api)}`);
    });
    const done = await peer.done;
    assert.equal(done.code, 0, `the carrier got a BYE:\n${done.output.slice(-1500)}`);
    assert.equal(await closeWithDisposition(), id);
  });

  it('says why a dialled call did not connect', async () => {
    const dial = phone().locator('[part="dial"]');
    await dial.getByLabel('Number').fill('12');
    await dial.getByRole('button', { name: 'Call', exact: true }).click();
    await phone().getByRole('status').filter({ hasText: 'The call to 12 did not connect (484' }).waitFor();
    assert.deepEqual(await seriousViolations(page), [], 'failure note');
  });

  it("rings with the caller the API decided on: P-Asserted-Identity's number, or Anonymous for Privacy: id", async () => {
    await phone().getByLabel('My state').selectOption('AVAILABLE'); // out of the last call's wrap-up
    await waitFor('AVAILABLE', async () => (await registered()).status === 'AVAILABLE');
    const carrierSide = new VoicePeers(api.telephony.sipUdpPort);
    const toast = phone().locator('[part="toast"]');
    const logs = await mkdtemp(join(tmpdir(), 'sb-present-'));
    for (const [n, [id, shown]] of ([
      [{ fromUser: '+34911000000', asserted: '+34600333222', privacy: 'none' }, 'Incoming call from +34600333222'],
      [{ fromUser: '+34600333222', asserted: '+34600333222', privacy: 'id' }, 'Incoming call from Anonymous'],
    ] as const).entries()) {
      const log = join(logs, `carrier-${n}.log`);
      const caller = carrierSide.privateTrunkCall(DID, id, 30_000, log);
      await toast.getByText(shown).waitFor({ timeout: 15_000 });
      await toast.getByRole('button', { name: 'Decline' }).click();
      assert.match((await caller).output, /486/);
      await toast.waitFor({ state: 'detached' });
      // the rewrite is the agent leg's only: the carrier's replies carry its own From back (uac restore)
      const ringing = (await readFile(log, 'utf8')).split(/\n(?=-{10,})/).find((m) => /SIP\/2\.0 180/.test(m)) ?? '';
      assert.match(ringing, new RegExp(`^From: <sip:\\${id.fromUser}@carrier\\.invalid>`, 'm'), ringing);
    }
    await rm(logs, { recursive: true, force: true });
  });

  it('declines a ringing call with 486: the caller hears busy and the call is lost', async () => {
    await phone().getByLabel('My state').selectOption('AVAILABLE'); // out of the last call's wrap-up
    await waitFor('AVAILABLE', async () => (await registered()).status === 'AVAILABLE');
    const lost = async () => (await api.ok('{ interactions(filter: { state: ABANDONED }, first: 5) { totalCount } }', {}, f.t.adminToken)).interactions.totalCount as number;
    const lostBefore = await lost();
    const caller = runSipp([`127.0.0.1:${api.telephony.sipUdpPort}`, '-sf', join(SIPP_SCENARIOS, 'trunk-call.xml'), '-s', DID, '-m', '1',
      '-i', '127.0.0.1', '-p', String(await freeUdpPorts()), '-mp', String(await freeUdpPorts(4))], 30_000);
    const toast = phone().locator('[part="toast"]');
    await toast.getByText('Incoming call from +34600111222').waitFor({ timeout: 15_000 });
    await toast.getByRole('button', { name: 'Decline' }).click();
    const done = await caller;
    assert.notEqual(done.code, 0);
    assert.match(done.output, /486/);
    await toast.waitFor({ state: 'detached' });
    await waitFor('the call lost', async () => (await lost()) === lostBefore + 1);
  });

  it('ends the call in the browser when a supervisor hangs it up through the API (BYE over the WebSocket)', async () => {
    await phone().getByLabel('My state').selectOption('AVAILABLE'); // out of the last call's wrap-up
    await waitFor('AVAILABLE', async () => (await registered()).status === 'AVAILABLE');
    const caller = runSipp([`127.0.0.1:${api.telephony.sipUdpPort}`, '-sf', join(SIPP_SCENARIOS, 'trunk-call-until-bye.xml'), '-s', DID, '-m', '1',
      '-i', '127.0.0.1', '-p', String(await freeUdpPorts()), '-mp', String(await freeUdpPorts(4))], 40_000);
    const toast = phone().locator('[part="toast"]');
    await toast.getByText('Incoming call from +34600111222').waitFor({ timeout: 15_000 });
    await toast.getByRole('button', { name: 'Answer' }).click();
    const call = phone().locator('[part="call"]');
    await call.getByRole('timer').filter({ hasText: /^\d+:\d\d$/ }).waitFor();
    const conversation = phone().locator('[part="conversation"]');
    await conversation.waitFor();
    const id = (await conversation.getAttribute('data-interaction'))!;
    await mediaFlows();

    await api.ok('mutation($id: ID!) { hangUpCall(interactionId: $id) { id } }', { id }, f.t.adminToken);
    const done = await caller;
    assert.equal(done.code, 0, `the carrier got a BYE:\n${done.output.slice(-1500)}`);
    await call.waitFor({ state: 'detached', timeout: 10_000 }).catch((err: Error) => { // the browser's JsSIP session ended on its BYE
      throw new Error(`${err.message}\nKamailio's last lines:\n${kamailioTail(api)}`);
    });
    const ended = (await api.ok('query($id: ID!) { interaction(id: $id) { state call { endedBy } } }', { id }, f.t.adminToken)).interaction;
    assert.deepEqual([ended.state, ended.call.endedBy], ['WRAP_UP', 'api']);
    assert.equal(await closeWithDisposition(), id);
  });

  it('transfers a call to a queue: the API issues the target, the browser REFERs the carrier to it, and the agent wraps up', async () => {
    await phone().getByLabel('My state').selectOption('AVAILABLE');
    await waitFor('AVAILABLE', async () => (await registered()).status === 'AVAILABLE');
    const dir = await mkdtemp(join(tmpdir(), 'sb-softphone-xfer-'));
    const targetFile = join(dir, 'refer-to.txt');
    const carrierLeg = runSipp([`127.0.0.1:${api.telephony.sipUdpPort}`, '-sf', join(SIPP_SCENARIOS, 'trunk-call-transferable.xml'), '-s', DID, '-m', '1',
      '-i', '127.0.0.1', '-p', String(await freeUdpPorts()), '-mp', String(await freeUdpPorts(4)), '-key', 'target_file', targetFile], 60_000);
    const toast = phone().locator('[part="toast"]');
    await toast.getByText('Incoming call from +34600111222').waitFor({ timeout: 15_000 });
    await toast.getByRole('button', { name: 'Answer' }).click();
    const conversation = phone().locator('[part="conversation"]');
    await conversation.waitFor();
    const id = (await conversation.getAttribute('data-interaction'))!;

    const call = phone().locator('[part="call"]');
    const picker = call.getByLabel('Transfer to');
    await picker.focus(); // the targets load when the picker opens
    await picker.locator(`option[value="q:${f.queueId}"]`).waitFor({ state: 'attached' });
    await picker.selectOption(`q:${f.queueId}`);
    assert.deepEqual(await seriousViolations(page), [], 'transfer picker');
    await screenshot(phone(), 'softphone-voice-transfer');
    await call.getByRole('button', { name: 'Transfer', exact: true }).click();

    const done = await carrierLeg; // 202 + NOTIFY to the browser's REFER, then the carrier hangs up this leg
    assert.equal(done.code, 0, done.output.slice(-2000));
    const referTo = (await readFile(targetFile, 'utf8')).trim();
    assert.match(referTo, /^sip:xfer-[^@]+@/, 'the carrier was REFERred to the target the API issued');
    await rm(dir, { recursive: true, force: true });
    await waitFor('TRANSFERRED on interactionEvents', async () => events.includes('TRANSFERRED'));
    await call.waitFor({ state: 'detached' });
    assert.equal((await registered()).status, 'WRAP_UP', "the agent's part is over");
    const moved = (await api.ok('query($id: ID!) { interaction(id: $id) { state agent { id } } }', { id }, f.t.adminToken)).interaction;
    assert.notEqual(moved.agent?.id, f.agents[0].id, 'the interaction left the agent for the queue');
  });
});
