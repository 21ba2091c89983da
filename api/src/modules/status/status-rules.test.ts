import 'reflect-metadata';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { availabilityPercent, downtimeMinutes, monthBounds } from './availability.js';
import { checkMaintenance, insideWeeklyWindow } from './maintenance.js';
import { IncidentPhase } from './status.entity.js';
import { escape, renderStatusAtom, renderStatusHtml } from './status.page.js';
import { phaseMoveAllowed } from './status.service.js';
import { ComponentStatus } from './status.entity.js';

const windows = { timeZone: 'America/Toronto', weekly: [1, 2, 3, 4].map((day) => ({ day, open: '00:01', close: '04:00' })), holidays: [] };
const d = (s: string) => new Date(s);

describe('maintenance windows', () => {
  it('accepts work inside one weekly window, in the windows time zone', () => {
    // Tuesday 2026-11-24 00:30-02:00 Eastern = 05:30-07:00 UTC.
    assert.ok(insideWeeklyWindow(windows, d('2026-11-24T05:30:00Z'), d('2026-11-24T07:00:00Z')));
    assert.equal(insideWeeklyWindow(windows, d('2026-11-24T05:30:00Z'), d('2026-11-24T09:30:00Z')), false, 'runs past 04:00');
    assert.equal(insideWeeklyWindow(windows, d('2026-11-27T05:30:00Z'), d('2026-11-27T06:00:00Z')), false, 'Friday has no window');
    assert.equal(insideWeeklyWindow(windows, d('2026-11-24T05:00:00Z'), d('2026-11-24T06:00:00Z')), false, '00:00 is before 00:01');
    // In summer (EDT) the same local window is 04:01-08:00 UTC.
    assert.ok(insideWeeklyWindow(windows, d('2026-07-07T04:30:00Z'), d('2026-07-07T07:30:00Z')));
  });

  it('needs five days of notice outside the windows', () => {
    const now = d('2026-11-23T12:00:00Z');
    const four = checkMaintenance(windows, 5, now, d('2026-11-27T12:00:00Z'), d('2026-11-27T14:00:00Z'));
    assert.equal(four.accepted, false);
    assert.match((four as { reason: string }).reason, /5 days' notice.*starts in 4 days/);
    assert.deepEqual(checkMaintenance(windows, 5, now, d('2026-11-28T12:00:00Z'), d('2026-11-28T14:00:00Z')), { accepted: true, inWindow: false });
    assert.deepEqual(checkMaintenance(windows, 5, now, d('2026-11-24T05:30:00Z'), d('2026-11-24T07:00:00Z')), { accepted: true, inWindow: true });
  });
});

describe('availability', () => {
  const { from, to } = monthBounds('2026-11');
  it('merges overlapping incidents and subtracts maintenance', () => {
    assert.equal(from.toISOString(), '2026-11-01T00:00:00.000Z');
    assert.equal(to.toISOString(), '2026-12-01T00:00:00.000Z');
    const down: [Date, Date][] = [
      [d('2026-11-10T10:00:00Z'), d('2026-11-10T11:00:00Z')],
      [d('2026-11-10T10:30:00Z'), d('2026-11-10T11:30:00Z')],
      [d('2026-10-31T23:30:00Z'), d('2026-11-01T00:15:00Z')],
    ];
    assert.equal(downtimeMinutes(down, [], from, to), 105);
    assert.equal(downtimeMinutes(down, [[d('2026-11-10T11:00:00Z'), d('2026-11-10T12:00:00Z')]], from, to), 75);
    // 43 200 minutes in November: 43.2 minutes is the 99.9 % allowance.
    assert.equal(availabilityPercent(43.2, from, to), 99.9);
    assert.equal(availabilityPercent(105, from, to), 99.757);
    assert.throws(() => monthBounds('2026-13'));
  });
});

describe('incident phases', () => {
  it('moves forward, MONITORING may go back to IDENTIFIED, RESOLVED is final', () => {
    assert.ok(phaseMoveAllowed(IncidentPhase.INVESTIGATING, IncidentPhase.IDENTIFIED));
    assert.ok(phaseMoveAllowed(IncidentPhase.INVESTIGATING, IncidentPhase.RESOLVED));
    assert.ok(phaseMoveAllowed(IncidentPhase.MONITORING, IncidentPhase.IDENTIFIED));
    assert.equal(phaseMoveAllowed(IncidentPhase.IDENTIFIED, IncidentPhase.INVESTIGATING), false);
    assert.equal(phaseMoveAllowed(IncidentPhase.RESOLVED, IncidentPhase.MONITORING), false);
  });
});

describe('public page rendering', () => {
  it('escapes every value in the HTML and the feed', () => {
    assert.equal(escape(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const page = {
      overall: ComponentStatus.MAJOR_OUTAGE,
      components: [{ id: '1', name: '<b>Voice</b>', description: null, position: 0, status: ComponentStatus.MAJOR_OUTAGE, servers: [{ id: '2', name: 'voice&1', status: ComponentStatus.MAJOR_OUTAGE }] }],
      activeIncidents: [],
      recentIncidents: [],
      maintenance: [{ id: '3', title: '<script>alert(1)</script>', description: 'x', components: ['<b>Voice</b>'], startsAt: d('2026-11-28T12:00:00Z'), endsAt: d('2026-11-28T14:00:00Z'), inWindow: false, noticeGivenAt: d('2026-11-23T12:00:00Z'), cancelledAt: null }],
      generatedAt: d('2026-11-23T12:00:00Z'),
    };
    const html = renderStatusHtml(page);
    assert.ok(!html.includes('<script>') && html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(html.includes('&lt;b&gt;Voice&lt;/b&gt;') && html.includes('voice&amp;1'));
    const atom = renderStatusAtom(page, 'https://status.example');
    assert.ok(!atom.includes('<script>') && atom.includes('[MAINTENANCE] &lt;script&gt;'));
  });
});
