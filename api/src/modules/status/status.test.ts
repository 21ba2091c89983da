import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../platform/clock.js';
import { codeOf, startTestApi, type TestApi, wsReady } from '../../testing/harness.js';
import { createTenant, type TenantFixture } from '../../testing/fixtures.js';
import { startSmtpPeer, until, type SmtpPeer } from '../../testing/smtp-peer.js';
import { runStatusSweep } from './status.sweep.js';

const HOUR = 3_600_000;
const PAGE = `{ statusPage { overall components { name status servers { name status } } activeIncidents { title phase } recentIncidents { title phase postMortem { resolution affectedComponents } } maintenance { title inWindow } } }`;

describe('status page', () => {
  const clock = new ManualClock('2026-11-09T12:00:00Z'); // Monday
  let api: TestApi;
  let smtp: SmtpPeer;
  let yearly: TenantFixture;
  let monthly: TenantFixture;
  let voice: string;
  let portal: string;
  let voiceServer: string;
  const statusEvents: string[] = [];

  before(async () => {
    smtp = await startSmtpPeer();
    api = await startTestApi({ clock, config: { smtpUrl: smtp.url } });
    yearly = await createTenant(api);
    await api.ok(`mutation($id: ID!) { setTenantLicence(tenantId: $id, terms: { kind: OMNI, seats: 5, termMonths: 12 }) { id } }`, { id: yearly.id }, api.operatorToken);
    monthly = await createTenant(api, { seats: 5 });
    for (const [t, email] of [[yearly, 'tech@yearly.example'], [monthly, 'tech@monthly.example']] as const) {
      await api.ok(`mutation($email: String!) { createAccountContact(input: { type: TECHNICAL, name: "Tech", email: $email }) { id } }`, { email }, t.adminToken);
    }
    await api.ok(`mutation { createAccountContact(input: { type: BILLING, name: "Bill", email: "bill@yearly.example" }) { id } }`, {}, yearly.adminToken);
    voice = (await api.ok(`mutation { createStatusComponent(input: { name: "Voice servers", position: 1 }) { id } }`, {}, api.operatorToken)).createStatusComponent.id;
    portal = (await api.ok(`mutation { createStatusComponent(input: { name: "Management portal", position: 2 }) { id } }`, {}, api.operatorToken)).createStatusComponent.id;
    const withServer = await api.ok(`mutation($id: ID!) { addStatusServer(componentId: $id, name: "voice-1.mtl") { servers { id name } } }`, { id: voice }, api.operatorToken);
    voiceServer = withServer.addStatusServer.servers[0].id;
    await new Promise<void>((resolve, reject) => {
      const client = api.ws();
      client.subscribe<{ statusChanged: { overall: string } }>(
        { query: 'subscription { statusChanged { overall } }' },
        { next: (m) => (m.errors ? reject(new Error(JSON.stringify(m.errors))) : statusEvents.push(m.data!.statusChanged.overall)), error: reject, complete: () => {} },
      );
      void wsReady(client).then(resolve);
    });
  });
  after(async () => {
    await api.stop();
    await smtp.stop();
  });

  it('lets anyone subscribe by e-mail after confirming the address', async () => {
    assert.equal((await api.ok(`mutation { subscribeToStatus(email: "Fan@Example.com") }`)).subscribeToStatus, true);
    assert.equal((await api.ok(`mutation { subscribeToStatus(email: "fan@example.com") }`)).subscribeToStatus, true);
    assert.equal(smtp.to('fan@example.com').length, 1, 'one confirmation per hour');
    const [confirmation] = smtp.to('fan@example.com');
    const token = /token ([0-9a-f]{48})/.exec(confirmation!.text!)![1]!;
    const res = await fetch(`${api.url}/status/confirm?token=${token}`);
    assert.equal(res.status, 200);
    assert.equal((await fetch(`${api.url}/status/confirm?token=nope`)).status, 404);
    assert.equal(codeOf(await api.gql(`mutation { confirmStatusSubscription(token: "nope") { email } }`)), 'NOT_FOUND');
    assert.equal(codeOf(await api.gql(`mutation { subscribeToStatus(email: "not-an-address") }`)), 'BAD_USER_INPUT');
  });

  it('runs an incident through its four phases, e-mailing technical contacts and subscribers at each', async () => {
    assert.equal(codeOf(await api.gql(`mutation($c: [ID!]!) { openStatusIncident(input: { title: "x", message: "y", impact: MAJOR_OUTAGE, componentIds: $c }) { id } }`, { c: [voice] }, yearly.adminToken)), 'FORBIDDEN');
    clock.set('2026-11-10T10:00:00Z');
    const opened = await api.ok(
      `mutation($c: [ID!]!, $s: [ID!]) { openStatusIncident(input: { title: "Calls fail <in> Montreal", message: "We are investigating failed calls", impact: MAJOR_OUTAGE, componentIds: $c, serverIds: $s }) { id phase components } }`,
      { c: [voice], s: [voiceServer] },
      api.operatorToken,
    );
    const id = opened.openStatusIncident.id;
    assert.deepEqual(opened.openStatusIncident.components, ['Voice servers']);

    const page = (await api.ok(PAGE)).statusPage;
    assert.equal(page.overall, 'MAJOR_OUTAGE');
    assert.deepEqual(page.components.map((c: { name: string; status: string }) => [c.name, c.status]), [['Voice servers', 'MAJOR_OUTAGE'], ['Management portal', 'OPERATIONAL']]);
    assert.deepEqual(page.components[0].servers, [{ name: 'voice-1.mtl', status: 'MAJOR_OUTAGE' }]);

    for (const address of ['tech@yearly.example', 'tech@monthly.example', 'fan@example.com']) {
      assert.deepEqual(smtp.to(address).filter((m) => m.subject!.startsWith('[INVESTIGATING]')).map((m) => m.subject), ['[INVESTIGATING] Calls fail <in> Montreal'], address);
    }
    assert.equal(smtp.to('bill@yearly.example').length, 0, 'billing contacts get no incident notices');

    const html = await (await fetch(`${api.url}/status`)).text();
    assert.match(html, /Calls fail &lt;in&gt; Montreal/);
    assert.match(html, /Major outage/);
    assert.ok(!html.includes('<in>'));
    const atomResponse = await fetch(`${api.url}/status/feed.atom`);
    assert.match(atomResponse.headers.get('content-type')!, /application\/atom\+xml/);
    assert.match(await atomResponse.text(), /<title>\[INVESTIGATING\] Calls fail &lt;in&gt; Montreal<\/title>/);

    const update = (phase: string, extra = '') =>
      api.gql(`mutation($id: ID!) { updateStatusIncident(incidentId: $id, input: { phase: ${phase}, message: "${phase} update"${extra} }) { phase monitoringReviewDueAt postMortemDueAt resolvedAt } }`, { id }, api.operatorToken);
    clock.set('2026-11-10T10:20:00Z');
    assert.equal((await update('IDENTIFIED')).data!.updateStatusIncident.phase, 'IDENTIFIED');
    clock.set('2026-11-10T10:40:00Z');
    const monitoring = (await update('MONITORING')).data!.updateStatusIncident;
    assert.equal(monitoring.monitoringReviewDueAt, '2026-11-10T14:40:00.000Z');

    // The per-minute pg-boss sweep may run too (same clock): assertions look at effects, not counts.
    const reminders = () => smtp.to('support@switchboard.local').length;
    clock.set('2026-11-10T14:39:00Z');
    await runStatusSweep(api.running.app);
    assert.equal(reminders(), 0);
    clock.set('2026-11-10T14:40:00Z');
    await runStatusSweep(api.running.app);
    await runStatusSweep(api.running.app);
    await until(() => reminders() >= 1);
    assert.equal(reminders(), 1, 'reminded once');
    assert.match(smtp.to('support@switchboard.local').at(-1)!.subject!, /Re-evaluate "Calls fail <in> Montreal": 4 h in MONITORING/);

    assert.equal((await update('IDENTIFIED')).data!.updateStatusIncident.monitoringReviewDueAt, null, 'MONITORING may go back to IDENTIFIED');
    clock.set('2026-11-10T15:00:00Z');
    const resolved = (await update('RESOLVED', ', resolvedAt: "2026-11-10T11:00:00Z"')).data!.updateStatusIncident;
    assert.equal(resolved.resolvedAt, '2026-11-10T11:00:00.000Z');
    assert.equal(resolved.postMortemDueAt, '2026-11-13T15:00:00.000Z');
    assert.equal(codeOf(await update('MONITORING')), 'CONFLICT');

    const phases = smtp.to('tech@monthly.example').map((m) => m.subject!.split(']')[0] + ']');
    assert.deepEqual(phases.filter((p) => p !== '[MAINTENANCE]'), ['[INVESTIGATING]', '[IDENTIFIED]', '[MONITORING]', '[IDENTIFIED]', '[RESOLVED]']);

    clock.set(new Date(Date.parse('2026-11-13T15:00:00Z') + 1000));
    await runStatusSweep(api.running.app);
    await until(() => reminders() >= 2);
    assert.equal(reminders(), 2, 'post-mortem overdue');
    assert.match(smtp.to('support@switchboard.local').at(-1)!.subject!, /Post-mortem overdue/);

    const pm = await api.ok(
      `mutation($id: ID!) { publishPostMortem(incidentId: $id, input: { description: "SIP registrations dropped", impact: "No calls in Montreal for 1 h", monitoredStartAt: "2026-11-10T09:58:00Z", monitoredEndAt: "2026-11-10T11:00:00Z", resolution: "Restarted the registrar", correctiveActions: "Add a watchdog" }) { postMortem { affectedComponents resolvedAt } } }`,
      { id },
      api.operatorToken,
    );
    assert.deepEqual(pm.publishPostMortem.postMortem, { affectedComponents: ['Voice servers'], resolvedAt: '2026-11-10T11:00:00.000Z' });
    const pmMail = smtp.to('tech@yearly.example').find((m) => m.subject!.startsWith('[POST-MORTEM]'))!;
    for (const section of ['Description and impact', 'Affected components: Voice servers', 'Start (monitoring): 2026-11-10T09:58:00.000Z', 'End (monitoring)', 'Resolved: 2026-11-10T11:00:00.000Z', 'Resolution:', 'Corrective actions:']) {
      assert.ok(pmMail.text!.includes(section), section);
    }
    const after = (await api.ok(PAGE)).statusPage;
    assert.equal(after.overall, 'OPERATIONAL');
    assert.equal(after.recentIncidents[0].postMortem.resolution, 'Restarted the registrar');
    await until(() => statusEvents.includes('MAJOR_OUTAGE') && statusEvents.at(-1) === 'OPERATIONAL').catch(() => {});
    assert.ok(statusEvents.includes('MAJOR_OUTAGE') && statusEvents.at(-1) === 'OPERATIONAL', JSON.stringify(statusEvents));
  });

  it('rejects out-of-window maintenance at 4 days of notice and accepts it at 5', async () => {
    clock.set('2026-11-16T12:00:00Z'); // Monday
    const schedule = (startsAt: string, endsAt: string) =>
      api.gql(`mutation($c: [ID!]!, $s: DateTimeISO!, $e: DateTimeISO!) { scheduleMaintenance(input: { title: "Registrar upgrade", description: "Calls may drop", componentIds: $c, startsAt: $s, endsAt: $e }) { id inWindow noticeGivenAt } }`, { c: [voice], s: startsAt, e: endsAt }, api.operatorToken);
    const four = await schedule('2026-11-20T12:00:00Z', '2026-11-20T14:00:00Z');
    assert.equal(codeOf(four), 'MAINTENANCE_NOTICE_TOO_SHORT');
    assert.match(four.errors![0]!.message, /5 days' notice/);
    const five = await schedule('2026-11-21T12:00:00Z', '2026-11-21T14:00:00Z');
    assert.deepEqual({ ...five.data!.scheduleMaintenance, id: undefined }, { id: undefined, inWindow: false, noticeGivenAt: '2026-11-16T12:00:00.000Z' });
    const notice = smtp.to('tech@yearly.example').filter((m) => m.subject === '[MAINTENANCE] Registrar upgrade');
    assert.equal(notice.length, 1);
    assert.match(notice[0]!.text!, /this is the written notice/);
    // Tuesday 00:30-02:00 Eastern is inside the weekly window: a day's notice is enough.
    const inWindow = await schedule('2026-11-17T05:30:00Z', '2026-11-17T07:00:00Z');
    assert.equal(inWindow.data!.scheduleMaintenance.inWindow, true);
    const page = (await api.ok(PAGE)).statusPage;
    assert.deepEqual(page.maintenance.map((m: { inWindow: boolean }) => m.inWindow).sort(), [false, true]);
  });

  it('computes monthly availability with exclusions and credit eligibility per tenant', async () => {
    // A third-party outage does not count.
    clock.set('2026-11-20T10:00:00Z');
    const third = await api.ok(`mutation($c: [ID!]!) { openStatusIncident(input: { title: "Carrier down", message: "Upstream carrier", impact: MAJOR_OUTAGE, cause: THIRD_PARTY_NETWORK, componentIds: $c }) { id } }`, { c: [portal] }, api.operatorToken);
    clock.set('2026-11-20T15:00:00Z');
    await api.ok(`mutation($id: ID!) { updateStatusIncident(incidentId: $id, input: { phase: RESOLVED, message: "Carrier back" }) { id } }`, { id: third.openStatusIncident.id }, api.operatorToken);
    clock.set('2026-12-02T00:00:00Z');

    const report = (await api.ok(`{ availabilityReport(month: "2026-11") { targetMissed components { name downtimeMinutes availability metTarget } } }`, {}, api.operatorToken)).availabilityReport;
    assert.deepEqual(report.components, [
      { name: 'Voice servers', downtimeMinutes: 60, availability: 99.861, metTarget: false },
      { name: 'Management portal', downtimeMinutes: 0, availability: 100, metTarget: true },
    ]);
    const credit = (t: TenantFixture) => api.ok(`{ availabilityCredit(month: "2026-11") { targetMissed contractQualifies balanceInGoodStanding eligible creditDue componentsBelowTarget reason } }`, {}, t.adminToken);
    assert.deepEqual((await credit(yearly)).availabilityCredit, { targetMissed: true, contractQualifies: true, balanceInGoodStanding: true, eligible: true, creditDue: true, componentsBelowTarget: ['Voice servers'], reason: null });
    const m = (await credit(monthly)).availabilityCredit;
    assert.equal(m.creditDue, false);
    assert.match(m.reason, /12 months/);
    const october = (await api.ok(`query($id: ID!) { tenantAvailabilityCredit(tenantId: $id, month: "2026-10") { creditDue targetMissed } }`, { id: yearly.id }, api.operatorToken)).tenantAvailabilityCredit;
    assert.deepEqual(october, { creditDue: false, targetMissed: false });
    assert.equal(codeOf(await api.gql(`{ availabilityCredit(month: "November") { creditDue } }`, {}, yearly.adminToken)), 'BAD_USER_INPUT');
  });
});
