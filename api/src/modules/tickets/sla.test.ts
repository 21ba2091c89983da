import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  addBusinessDays,
  addBusinessMinutes,
  alwaysOpen,
  businessMinutesBetween,
  isOpen,
  localDate,
  pauseLength,
  slaClocks,
  zonedInstant,
  type BusinessCalendar,
  type SeverityRule,
} from './sla.js';

const weekdays = (open: string, close: string) => [1, 2, 3, 4, 5].map((day) => ({ day, open, close }));
const ubity: BusinessCalendar = { timeZone: 'America/Toronto', weekly: weekdays('08:00', '18:00'), holidays: ['2026-12-25'] };
const issabelCritical: BusinessCalendar = {
  timeZone: 'America/Mexico_City',
  weekly: [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, open: '09:00', close: '17:00' })),
  holidays: [],
};
const iso = (d: Date | null) => d?.toISOString();

const S1: SeverityRule = {
  takenOutsideHours: true,
  critical: true,
  response: { amount: 15, unit: 'MINUTES' },
  responseOutsideHours: { amount: 30, unit: 'MINUTES' },
  resolution: { amount: 120, unit: 'MINUTES' },
};
const S3: SeverityRule = {
  takenOutsideHours: false,
  critical: false,
  response: { amount: 1440, unit: 'BUSINESS_MINUTES' },
  responseOutsideHours: null,
  resolution: { amount: 5, unit: 'BUSINESS_DAYS' },
};

describe('time zones', () => {
  it('converts wall-clock readings to instants, standard and daylight time', () => {
    assert.equal(iso(zonedInstant('2026-11-20', '17:59', 'America/Toronto')), '2026-11-20T22:59:00.000Z');
    assert.equal(iso(zonedInstant('2026-07-03', '08:00', 'America/Toronto')), '2026-07-03T12:00:00.000Z');
    assert.equal(iso(zonedInstant('2026-07-03', '08:00', 'Europe/Paris')), '2026-07-03T06:00:00.000Z');
  });

  it('moves a reading skipped by the spring-forward jump past the gap', () => {
    // 2026-03-08 02:30 does not exist in Toronto: clocks jump from 02:00 EST to 03:00 EDT.
    assert.equal(iso(zonedInstant('2026-03-08', '02:30', 'America/Toronto')), '2026-03-08T07:30:00.000Z');
  });
});

describe('business minutes', () => {
  it('a ticket filed Friday 17:59 uses one minute on Friday and continues on Monday', () => {
    const friday = new Date('2026-11-20T22:59:00Z'); // 17:59 EST
    assert.ok(isOpen(ubity, friday));
    assert.equal(iso(addBusinessMinutes(ubity, friday, 1)), '2026-11-20T23:00:00.000Z');
    assert.equal(iso(addBusinessMinutes(ubity, friday, 2)), '2026-11-23T13:01:00.000Z'); // Monday 08:01 EST
    const clocks = slaClocks(ubity, S3, friday);
    // 1 (Fri) + 600 (Mon) + 600 (Tue) + 239 (Wed) = 1440 business minutes.
    assert.equal(iso(clocks.responseDueAt), '2026-11-25T16:59:00.000Z');
    assert.equal(iso(clocks.resolutionDueAt), '2026-11-27T22:59:00.000Z'); // 5 business days: next Friday 17:59
  });

  it('one minute later, a minor incident waits for Monday 08:00 while S1 starts at once', () => {
    const after = new Date('2026-11-20T23:00:00Z'); // 18:00 EST
    assert.equal(isOpen(ubity, after), false);
    assert.equal(iso(slaClocks(ubity, S3, after).clockStartedAt), '2026-11-23T13:00:00.000Z');
    const s1 = slaClocks(ubity, S1, after);
    assert.equal(iso(s1.clockStartedAt), '2026-11-20T23:00:00.000Z');
    assert.equal(iso(s1.responseDueAt), '2026-11-20T23:30:00.000Z', '30 min outside business hours');
  });

  it('S1 in business hours has the immediate response target', () => {
    const tuesday = new Date('2026-11-24T15:00:00Z');
    assert.equal(iso(slaClocks(ubity, S1, tuesday).responseDueAt), '2026-11-24T15:15:00.000Z');
    assert.equal(iso(slaClocks(ubity, S1, tuesday).resolutionDueAt), '2026-11-24T17:00:00.000Z');
  });

  it('skips a holiday and the weekend after it', () => {
    const christmasEve = new Date('2026-12-24T22:00:00Z'); // Thu 17:00 EST
    assert.equal(iso(addBusinessMinutes(ubity, christmasEve, 120)), '2026-12-28T14:00:00.000Z'); // Mon 09:00 EST
    assert.equal(localDate(addBusinessDays(ubity, christmasEve, 1), 'America/Toronto'), '2026-12-28');
    assert.equal(businessMinutesBetween(ubity, christmasEve, new Date('2026-12-28T14:00:00Z')), 120);
  });

  it('counts across the autumn daylight-saving change', () => {
    const friday = new Date('2026-10-30T21:00:00Z'); // 17:00 EDT
    assert.equal(iso(addBusinessMinutes(ubity, friday, 120)), '2026-11-02T14:00:00.000Z'); // Mon 09:00 EST
    const allWeek = alwaysOpen('America/Toronto');
    const saturday = zonedInstant('2026-10-31', '00:00', 'America/Toronto');
    const monday = zonedInstant('2026-11-02', '00:00', 'America/Toronto');
    assert.equal(businessMinutesBetween(allWeek, saturday, monday), 49 * 60, 'Sunday 1 November has 25 hours');
  });

  it('counts across the spring daylight-saving change', () => {
    const friday = new Date('2026-03-06T22:00:00Z'); // 17:00 EST
    assert.equal(iso(addBusinessMinutes(ubity, friday, 120)), '2026-03-09T13:00:00.000Z'); // Mon 09:00 EDT
  });

  it('uses the calendar time zone, not the tenant time zone', () => {
    // A tenant in Paris files at 23:30 on Friday (Paris): 17:30 in Toronto, inside Ubity hours.
    const parisFriday = zonedInstant('2026-11-20', '23:30', 'Europe/Paris');
    assert.ok(isOpen(ubity, parisFriday));
    assert.equal(iso(slaClocks(ubity, S3, parisFriday).clockStartedAt), iso(parisFriday));
    // 09:00 on Monday in Paris is 03:00 in Toronto: the minor clock starts at 08:00 Toronto.
    const parisMonday = zonedInstant('2026-11-23', '09:00', 'Europe/Paris');
    assert.equal(isOpen(ubity, parisMonday), false);
    assert.equal(iso(slaClocks(ubity, S3, parisMonday).clockStartedAt), '2026-11-23T13:00:00.000Z');
  });

  it('weekend reviews and the 24/7 add-on change when a critical clock starts', () => {
    const issabelRule: SeverityRule = { takenOutsideHours: false, critical: true, response: { amount: 240, unit: 'MINUTES' }, responseOutsideHours: null, resolution: null };
    const saturdayNight = zonedInstant('2026-11-21', '20:00', 'America/Mexico_City');
    const reviewed = slaClocks(issabelCritical, issabelRule, saturdayNight);
    assert.equal(iso(reviewed.clockStartedAt), iso(zonedInstant('2026-11-22', '09:00', 'America/Mexico_City')));
    const with247 = slaClocks(alwaysOpen('America/Mexico_City'), issabelRule, saturdayNight);
    assert.equal(iso(with247.responseDueAt), iso(new Date(saturdayNight.getTime() + 4 * 3_600_000)));
  });

  it('a pause pushes business due times back by the open time it used', () => {
    const monday = new Date('2026-11-23T14:00:00Z'); // 09:00 EST
    const paused = pauseLength(ubity, new Date('2026-11-23T15:00:00Z'), new Date('2026-11-24T15:00:00Z'));
    assert.deepEqual(paused, { minutes: 1440, businessMinutes: 600 });
    const rule: SeverityRule = { ...S3, response: { amount: 120, unit: 'BUSINESS_MINUTES' } };
    assert.equal(iso(slaClocks(ubity, rule, monday).responseDueAt), '2026-11-23T16:00:00.000Z');
    assert.equal(iso(slaClocks(ubity, rule, monday, paused).responseDueAt), '2026-11-24T16:00:00.000Z');
  });
});
