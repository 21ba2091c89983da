import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../platform/clock.js';
import { codeOf, startTestApi, type TestApi, wsReady } from '../../testing/harness.js';
import { createTenant, createUsers, signIn, type TenantFixture } from '../../testing/fixtures.js';
import { startSmtpPeer, until, type SmtpPeer } from '../../testing/smtp-peer.js';
import { runSupportSweep } from './sweep.js';

const TICKET_FIELDS = `id number kind severity urgency status filedOutsideHours clockStartedAt responseDueAt resolutionDueAt respondedAt
  responseBreachedAt resolutionBreachedAt paused escalationLevel escalationAcknowledgedAt closedAt closureReason
  comments { author body attachments { name url } } escalations { level title }`;
const FILE = `mutation($input: FileTicketInput!) { fileTicket(input: $input) { ${TICKET_FIELDS} } }`;
const GET = `query($id: ID!) { platformTicket(id: $id) { ${TICKET_FIELDS} } }`;

const facts = {
  contactName: 'Marie Tremblay',
  contactEmail: 'marie@client.example',
  contactPhone: '+1 514 555 0100',
  registeredNumber: '+15145550199',
  affectedServices: ['Inbound calls'],
  symptoms: 'Every inbound call gets a busy tone',
  extensions: ['201', '202'],
  macAddresses: ['00:04:F2:AA:BB:CC'],
  occurrences: [{ at: '2026-11-22T03:55:00Z', extension: '201', device: 'Polycom VVX 450' }],
  recurrence: 'RECURRING',
  recentChanges: 'Nothing changed',
};
const incident = (severity: string, extra: Record<string, unknown> = {}) => ({
  kind: 'INCIDENT',
  title: 'No inbound calls',
  description: 'Callers hear a busy tone',
  severity,
  incidentFacts: facts,
  ...extra,
});

describe('support tickets', () => {
  const clock = new ManualClock('2026-11-21T15:00:00Z');
  let api: TestApi;
  let smtp: SmtpPeer;
  let a: TenantFixture;
  let b: TenantFixture;
  let agentToken: string;

  before(async () => {
    smtp = await startSmtpPeer();
    api = await startTestApi({ clock, config: { smtpUrl: smtp.url, mailFrom: 'noc@switchboard.test' } });
    a = await createTenant(api, { seats: 5 });
    b = await createTenant(api);
    const [agent] = await createUsers(api, a.adminToken, 'AGENT', 1);
    agentToken = await signIn(api, agent!.email, agent!.password, a.slug);
  });
  after(async () => {
    await api.stop();
    await smtp.stop();
  });

  it('validates the incident facts and lists every missing one', async () => {
    const missing = await api.gql(FILE, { input: incident('S1', { incidentFacts: { contactName: 'Marie' } }) }, agentToken);
    assert.equal(codeOf(missing), 'BAD_USER_INPUT');
    const list = missing.errors![0]!.extensions!.missing as string[];
    for (const f of ['registeredNumber', 'macAddresses', 'occurrences', 'recurrence', 'recentChanges', 'extensions']) assert.ok(list.includes(f), f);
    assert.match(missing.errors![0]!.message, /An incident must state: .*registeredNumber/);

    const badMac = await api.gql(FILE, { input: incident('S1', { incidentFacts: { ...facts, macAddresses: ['00:04:F2'] } }) }, agentToken);
    assert.equal(codeOf(badMac), 'BAD_USER_INPUT');
    assert.match(badMac.errors![0]!.message, /"00:04:F2" is not a MAC address/);

    const badSeverity = await api.gql(FILE, { input: incident('HIGH') }, agentToken);
    assert.equal(codeOf(badSeverity), 'BAD_USER_INPUT');
    assert.match(badSeverity.errors![0]!.message, /S1, S2, S3/);

    const noSeverity = await api.gql(FILE, { input: incident('S1', { severity: null }) }, agentToken);
    assert.equal(codeOf(noSeverity), 'BAD_USER_INPUT');
  });

  it('gives tracking numbers, lets only administrators file change requests, and keeps tenants apart', async () => {
    const question = await api.ok(FILE, { input: { kind: 'QUESTION', title: 'How do I export recordings?', description: 'Where is the button?' } }, agentToken);
    assert.match(question.fileTicket.number, /^SB-2026-\d{6}$/);
    assert.equal(question.fileTicket.responseDueAt, null, 'questions have no SLA clock');

    const change = { kind: 'CHANGE_REQUEST', title: 'Add 3 users', description: 'Three new agents', urgency: 'STANDARD' };
    assert.equal(codeOf(await api.gql(FILE, { input: change }, agentToken)), 'FORBIDDEN');
    const filed = await api.ok(FILE, { input: change }, a.adminToken);
    assert.equal(filed.fileTicket.urgency, 'STANDARD');
    // Saturday: the standard change request's clock waits for Monday 08:00 Eastern, then 5 business days.
    assert.equal(filed.fileTicket.clockStartedAt, '2026-11-23T13:00:00.000Z');
    assert.equal(filed.fileTicket.resolutionDueAt, '2026-11-30T13:00:00.000Z');
    assert.notEqual(filed.fileTicket.number, question.fileTicket.number);
    assert.equal(codeOf(await api.gql(FILE, { input: { ...change, urgency: null } }, a.adminToken)), 'BAD_USER_INPUT');

    const theirs = await api.gql(`query($id: ID!) { ticket(id: $id) { id } }`, { id: filed.fileTicket.id }, b.adminToken);
    assert.equal(codeOf(theirs), 'NOT_FOUND');
    const comment = await api.gql(
      `mutation($id: ID!) { commentOnTicket(ticketId: $id, input: { body: "hi" }) { id } }`,
      { id: filed.fileTicket.id },
      b.adminToken,
    );
    assert.equal(codeOf(comment), 'NOT_FOUND');
    const listB = await api.ok(`{ tickets { totalCount } }`, {}, b.adminToken);
    assert.equal(listB.tickets.totalCount, 0);
    const listA = await api.ok(`{ tickets { totalCount edges { node { number } } } }`, {}, a.adminToken);
    assert.equal(listA.tickets.totalCount, 2);

    assert.equal(codeOf(await api.gql(`mutation($id: ID!) { answerTicket(ticketId: $id, input: { body: "x" }) { id } }`, { id: filed.fileTicket.id }, a.adminToken)), 'FORBIDDEN');

    // The operator's answer reaches the administrator who filed the change request.
    await api.ok(`mutation($id: ID!) { answerTicket(ticketId: $id, input: { body: "Done tomorrow" }) { id } }`, { id: filed.fileTicket.id }, api.operatorToken);
    await until(() => smtp.to(`admin@${a.slug}.example`).length >= 1);
    const [answer] = smtp.to(`admin@${a.slug}.example`);
    assert.equal(answer!.subject, `[${filed.fileTicket.number}] Support answered`);
    assert.match(answer!.text!, /Done tomorrow/);
  });

  it('shows the support policies as data, keeping the escalation chain for the operator', async () => {
    const tenantView = await api.ok(`{ supportPolicies { key active severities { code } escalation { email } maintenanceNoticeDays } }`, {}, agentToken);
    assert.deepEqual(tenantView.supportPolicies.map((p: { key: string; active: boolean }) => [p.key, p.active]), [['ISSABEL', false], ['UBITY', true], ['UCONTACT', false]]);
    assert.deepEqual(tenantView.supportPolicies[1].severities.map((s: { code: string }) => s.code), ['S1', 'S2', 'S3']);
    assert.ok(tenantView.supportPolicies.every((p: { escalation: unknown[]; maintenanceNoticeDays: number }) => p.escalation.length === 0 && p.maintenanceNoticeDays === 5));
    const operatorView = await api.ok(`{ supportPolicies { key escalation { title } } }`, {}, api.operatorToken);
    assert.deepEqual(operatorView.supportPolicies[1].escalation.map((s: { title: string }) => s.title), ['Support', 'Support director', 'Chief operating officer', 'President']);
    assert.equal(codeOf(await api.gql(`mutation { updateSupportPolicy(key: "UBITY", input: { warningMinutes: 5 }) { key } }`, {}, a.adminToken)), 'FORBIDDEN');
    for (const day of ['2026-02-30', '2026-13-45', '26-12-25']) {
      assert.equal(codeOf(await api.gql(`mutation($d: [String!]!) { updateSupportPolicy(key: "UBITY", input: { holidays: $d }) { key } }`, { d: [day] }, api.operatorToken)), 'BAD_USER_INPUT', day);
    }
  });

  it('an S1 filed on a Saturday night breaches and escalates step by step until acknowledged', async () => {
    // A shorter chain for this platform: support at the breach, then every 20 minutes.
    const chain = [
      { title: 'Support', email: 'support@noc.test', afterMinutes: 0 },
      { title: 'Support director', email: 'director@noc.test', afterMinutes: 20 },
      { title: 'COO', email: 'coo@noc.test', afterMinutes: 20 },
      { title: 'President', email: 'president@noc.test', afterMinutes: 20 },
    ];
    await api.ok(`mutation($input: UpdateSupportPolicyInput!) { updateSupportPolicy(key: "UBITY", input: $input) { key } }`, { input: { escalation: chain } }, api.operatorToken);

    const events: { kind: string; level: number | null; number: string }[] = [];
    await new Promise<void>((resolve, reject) => {
      const client = api.ws(api.operatorToken);
      client.subscribe<{ ticketEvents: { kind: string; level: number | null; ticket: { number: string } } }>(
        { query: 'subscription { ticketEvents { kind level ticket { number } } }' },
        { next: (m) => (m.errors ? reject(new Error(JSON.stringify(m.errors))) : events.push({ kind: m.data!.ticketEvents.kind, level: m.data!.ticketEvents.level, number: m.data!.ticketEvents.ticket.number })), error: reject, complete: () => {} },
      );
      void wsReady(client).then(resolve);
    });

    clock.set('2026-11-22T04:00:00Z'); // Saturday 23:00 Eastern
    const { fileTicket: t } = await api.ok(FILE, { input: incident('S1') }, agentToken);
    assert.equal(t.filedOutsideHours, true);
    assert.equal(t.clockStartedAt, '2026-11-22T04:00:00.000Z', 'S1 starts at once outside business hours');
    assert.equal(t.responseDueAt, '2026-11-22T04:30:00.000Z', '30 minutes outside business hours');
    assert.equal(t.resolutionDueAt, '2026-11-22T06:00:00.000Z', '2 h, worked 24/7');

    // The per-minute pg-boss sweep may run too (same clock): assertions look at effects, not counts.
    clock.set('2026-11-22T04:19:00Z');
    await runSupportSweep(api.running.app);
    assert.equal(smtp.to('support@noc.test').length, 0);
    clock.set('2026-11-22T04:20:00Z');
    await runSupportSweep(api.running.app);
    await until(() => smtp.to('support@noc.test').length >= 1);
    assert.equal(smtp.to('support@noc.test').length, 1, 'the warning, 10 minutes before');
    assert.match(smtp.to('support@noc.test')[0]!.subject!, new RegExp(`^\\[${t.number}\\] Response due at`));

    clock.set('2026-11-22T04:31:00Z');
    await runSupportSweep(api.running.app);
    await until(() => smtp.to('support@noc.test').length >= 3);
    let now = (await api.ok(GET, { id: t.id }, api.operatorToken)).platformTicket;
    assert.equal(now.responseBreachedAt, '2026-11-22T04:30:00.000Z');
    assert.equal(now.escalationLevel, 1);
    assert.ok(smtp.to('support@noc.test').some((m) => /Escalation level 1 \(Support\)/.test(m.subject!)));
    assert.equal(smtp.to('director@noc.test').length, 0);

    clock.set('2026-11-22T04:50:00Z');
    await runSupportSweep(api.running.app);
    await until(() => smtp.to('director@noc.test').length >= 1);
    assert.equal(smtp.to('director@noc.test').length, 1);
    assert.match(smtp.to('director@noc.test')[0]!.subject!, /Escalation level 2 \(Support director\)/);
    assert.match(smtp.to('director@noc.test')[0]!.text!, new RegExp(`Ticket: ${t.number} \\(INCIDENT, severity S1\\)`));

    clock.set('2026-11-22T05:12:00Z');
    await runSupportSweep(api.running.app);
    await until(() => smtp.to('coo@noc.test').length >= 1);
    assert.equal(smtp.to('coo@noc.test').length, 1);
    now = (await api.ok(GET, { id: t.id }, api.operatorToken)).platformTicket;
    assert.equal(now.escalationLevel, 3);
    assert.deepEqual(now.escalations.map((e: { level: number }) => e.level), [1, 2, 3]);

    const acked = await api.ok(`mutation($id: ID!) { acknowledgeTicketEscalation(ticketId: $id) { escalationAcknowledgedAt } }`, { id: t.id }, api.operatorToken);
    assert.equal(acked.acknowledgeTicketEscalation.escalationAcknowledgedAt, '2026-11-22T05:12:00.000Z');
    clock.set('2026-11-22T05:45:00Z');
    await runSupportSweep(api.running.app);
    assert.equal(smtp.to('president@noc.test').length, 0, 'acknowledged: the chain stops');

    // The acknowledgement's UPDATED is delivered asynchronously: wait for all seven, not six.
    await until(() => events.filter((e) => e.number === t.number).length >= 7, 10_000).catch(() => {});
    const mine = events.filter((e) => e.number === t.number).map((e) => (e.level ? `${e.kind}:${e.level}` : e.kind));
    assert.deepEqual(mine, ['CREATED', 'WARNING', 'BREACHED', 'ESCALATED:1', 'ESCALATED:2', 'ESCALATED:3', 'UPDATED']);
  });

  it('pauses while waiting for the customer and follows a re-evaluated severity', async () => {
    clock.set('2026-11-23T14:00:00Z'); // Monday 09:00 Eastern
    const { fileTicket: t } = await api.ok(FILE, { input: incident('S3') }, agentToken);
    assert.equal(t.filedOutsideHours, false);
    // 1440 business minutes: 540 on Monday, 600 on Tuesday, 300 on Wednesday.
    assert.equal(t.responseDueAt, '2026-11-25T18:00:00.000Z');

    const reevaluated = await api.ok(
      `mutation($id: ID!) { reevaluateTicketSeverity(ticketId: $id, severity: "S1", reason: "Whole site down") { severity responseDueAt resolutionDueAt } }`,
      { id: t.id },
      api.operatorToken,
    );
    assert.deepEqual(reevaluated.reevaluateTicketSeverity, { severity: 'S1', responseDueAt: '2026-11-23T14:15:00.000Z', resolutionDueAt: '2026-11-23T16:00:00.000Z' });

    clock.set('2026-11-23T14:05:00Z');
    const answered = await api.ok(
      `mutation($id: ID!) { answerTicket(ticketId: $id, input: { body: "Which trunk?", waitForCustomer: true }) { status paused respondedAt } }`,
      { id: t.id },
      api.operatorToken,
    );
    assert.deepEqual(answered.answerTicket, { status: 'WAITING_ON_CUSTOMER', paused: true, respondedAt: '2026-11-23T14:05:00.000Z' });

    clock.set('2026-11-23T16:30:00Z');
    await runSupportSweep(api.running.app);
    let now = (await api.ok(GET, { id: t.id }, api.operatorToken)).platformTicket;
    assert.equal(now.resolutionBreachedAt, null, 'a paused clock does not breach');
    assert.equal(now.responseBreachedAt, null);

    const resumed = await api.ok(
      `mutation($id: ID!) { commentOnTicket(ticketId: $id, input: { body: "Trunk 2", attachments: [{ name: "trace.pcap", url: "https://files.client.example/trace.pcap" }] }) { status paused resolutionDueAt } }`,
      { id: t.id },
      agentToken,
    );
    // Paused from 14:05 to 16:30 (145 minutes): 16:00 + 145 min.
    assert.deepEqual(resumed.commentOnTicket, { status: 'IN_PROGRESS', paused: false, resolutionDueAt: '2026-11-23T18:25:00.000Z' });

    clock.set('2026-11-23T18:26:00Z');
    await runSupportSweep(api.running.app);
    now = (await api.ok(GET, { id: t.id }, api.operatorToken)).platformTicket;
    assert.equal(now.resolutionBreachedAt, '2026-11-23T18:25:00.000Z');
    assert.equal(now.comments.length, 3);
    assert.deepEqual(now.comments[2].attachments, [{ name: 'trace.pcap', url: 'https://files.client.example/trace.pcap' }]);

    const own = await api.gql(`mutation($id: ID!) { closeOwnTicket(ticketId: $id, input: { reason: SOLUTION_PROVIDED }) { id } }`, { id: t.id }, agentToken);
    assert.equal(codeOf(own), 'BAD_USER_INPUT', 'a customer confirms or archives');
    const closed = await api.ok(
      `mutation($id: ID!) { closeTicket(ticketId: $id, input: { reason: CAUSE_OUTSIDE_PLATFORM, note: "ISP outage" }) { status closedAt closureReason } }`,
      { id: t.id },
      api.operatorToken,
    );
    assert.deepEqual(closed.closeTicket, { status: 'CLOSED', closedAt: '2026-11-23T18:26:00.000Z', closureReason: 'CAUSE_OUTSIDE_PLATFORM' });
    assert.equal(codeOf(await api.gql(`mutation($id: ID!) { commentOnTicket(ticketId: $id, input: { body: "again" }) { id } }`, { id: t.id }, agentToken)), 'CONFLICT');

    // After closing, nothing more fires for it (its escalation chain started at 18:25 is gone).
    const before = smtp.received.length;
    clock.set('2026-11-23T20:00:00Z');
    await runSupportSweep(api.running.app);
    assert.equal(smtp.received.length, before);
  });

  it('the customer confirms a solved ticket', async () => {
    const { fileTicket: q } = await api.ok(FILE, { input: { kind: 'QUESTION', title: 'Fax?', description: 'Do you support fax?' } }, agentToken);
    const r = await api.ok(`mutation($id: ID!) { closeOwnTicket(ticketId: $id, input: { reason: CUSTOMER_CONFIRMED }) { status closureReason } }`, { id: q.id }, agentToken);
    assert.deepEqual(r.closeOwnTicket, { status: 'CLOSED', closureReason: 'CUSTOMER_CONFIRMED' });
  });
});
