import { Migration } from '@mikro-orm/migrations';

/**
 * The support policy presets from DOMAIN.md "Support tickets" (UBITY active by default), as data
 * the operator adjusts (escalation chain, holidays) or switches. Choices where the sources are
 * silent: "immediately" (Ubity S1/S2 in business hours) is 15 minutes; uContact publishes no
 * hours, so Mon-Fri 09:00-18:00 Montevideo is an assumption; Issabel's "GMT-6, hora México" is
 * America/Mexico_City. Maintenance windows (Ubity 4.2: Mon-Thu 00:01-04:00, 5 days' notice
 * otherwise) are given to every preset. Escalation addresses are placeholders.
 */
const weekdays = (open: string, close: string) => [1, 2, 3, 4, 5].map((day) => ({ day, open, close }));
const everyDay = (open: string, close: string) => [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, open, close }));
const target = (amount: number, unit: 'MINUTES' | 'BUSINESS_MINUTES' | 'BUSINESS_DAYS') => ({ amount, unit });
const rule = (r: Record<string, unknown>) => ({ takenOutsideHours: false, critical: false, response: null, responseOutsideHours: null, resolution: null, ...r });

const changeRequests = {
  URGENT: rule({ resolution: target(480, 'MINUTES') }),
  STANDARD: rule({ resolution: target(5, 'BUSINESS_DAYS') }),
  COMPLEX: rule({ resolution: target(5, 'BUSINESS_DAYS') }),
};
const escalation = [
  { title: 'Support', email: 'support@switchboard.local', afterMinutes: 0 },
  { title: 'Support director', email: 'support-director@switchboard.local', afterMinutes: 30 },
  { title: 'Chief operating officer', email: 'coo@switchboard.local', afterMinutes: 30 },
  { title: 'President', email: 'president@switchboard.local', afterMinutes: 60 },
];
const maintenance = (timeZone: string) => ({ timeZone, weekly: [1, 2, 3, 4].map((day) => ({ day, open: '00:01', close: '04:00' })), holidays: [] });

const presets = [
  {
    key: 'UBITY',
    name: 'Ubity: S1-S3, Mon-Fri 08:00-18:00 Eastern',
    active: true,
    businessCalendar: { timeZone: 'America/Toronto', weekly: weekdays('08:00', '18:00'), holidays: [] },
    criticalCalendar: null,
    severities: [
      { code: 'S1', name: 'Critical', definition: 'Service down, calls impossible, revenue lost', ...rule({ takenOutsideHours: true, critical: true, response: target(15, 'MINUTES'), responseOutsideHours: target(30, 'MINUTES'), resolution: target(120, 'MINUTES') }) },
      { code: 'S2', name: 'Major', definition: 'Partly working: no long distance, no fax, no voicemail, intermittent quality', ...rule({ takenOutsideHours: true, critical: true, response: target(15, 'MINUTES'), responseOutsideHours: target(60, 'MINUTES'), resolution: target(360, 'MINUTES') }) },
      { code: 'S3', name: 'Minor', definition: 'Minor, few users, no effect on voice', ...rule({ response: target(1440, 'BUSINESS_MINUTES'), resolution: target(5, 'BUSINESS_DAYS') }) },
    ],
    warningMinutes: 10,
    maintenanceWindows: maintenance('America/Toronto'),
  },
  {
    key: 'ISSABEL',
    name: 'Issabel: critical / moderate / consult, Mon-Fri 09:00-17:00 Mexico',
    active: false,
    businessCalendar: { timeZone: 'America/Mexico_City', weekly: weekdays('09:00', '17:00'), holidays: [] },
    criticalCalendar: { timeZone: 'America/Mexico_City', weekly: everyDay('09:00', '17:00'), holidays: [] },
    severities: [
      { code: 'CRITICAL', name: 'Critical', definition: 'Platform down or no calls', ...rule({ critical: true, response: target(240, 'MINUTES') }) },
      { code: 'MODERATE', name: 'Moderate', definition: 'Partial failure or a problem with one user', ...rule({ response: target(480, 'BUSINESS_MINUTES') }) },
      { code: 'CONSULT', name: 'Consult', definition: 'Usage or configuration question', ...rule({ response: target(3, 'BUSINESS_DAYS') }) },
    ],
    warningMinutes: 30,
    maintenanceWindows: maintenance('America/Mexico_City'),
  },
  {
    key: 'UCONTACT',
    name: 'uContact: high / medium / low, business hours',
    active: false,
    businessCalendar: { timeZone: 'America/Montevideo', weekly: weekdays('09:00', '18:00'), holidays: [] },
    criticalCalendar: null,
    severities: [
      { code: 'HIGH', name: 'High', definition: 'A significant part of the system is not working, severely impacting business', ...rule({ critical: true, response: target(120, 'BUSINESS_MINUTES') }) },
      { code: 'MEDIUM', name: 'Medium', definition: 'Operations continue with a significant loss in productivity and service level', ...rule({ response: target(480, 'BUSINESS_MINUTES') }) },
      { code: 'LOW', name: 'Low', definition: 'Does not significantly affect system functionality', ...rule({ response: target(1440, 'BUSINESS_MINUTES') }) },
    ],
    warningMinutes: 30,
    maintenanceWindows: maintenance('America/Montevideo'),
  },
];

export class Migration20261122005600_support_policy_presets extends Migration {
  override name = 'Migration20261122005600_support_policy_presets';

  override up(): void {
    const lit = (value: unknown) => (value === null ? 'null' : `'${String(typeof value === 'string' ? value : JSON.stringify(value)).replace(/'/g, "''")}'`);
    for (const p of presets) {
      this.addSql(
        `insert into "support_policy" ("key", "name", "active", "business_calendar", "critical_calendar", "severities", "change_requests", "escalation", "warning_minutes", "maintenance_windows", "maintenance_notice_days", "updated_at")
         values (${lit(p.key)}, ${lit(p.name)}, ${p.active}, ${lit(p.businessCalendar)}, ${lit(p.criticalCalendar)}, ${lit(p.severities)}, ${lit(changeRequests)}, ${lit(escalation)}, ${p.warningMinutes}, ${lit(p.maintenanceWindows)}, 5, now())
         on conflict ("key") do nothing;`,
      );
    }
  }

  override down(): void {
    this.addSql(`delete from "support_policy" where "key" in ('UBITY', 'ISSABEL', 'UCONTACT');`);
  }
}
