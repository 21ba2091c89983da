import { alwaysOpen, type BusinessCalendar } from '../tickets/sla.js';
import type { Campaign } from './campaign.entity.js';

/** A campaign's opening hours and holidays as a business calendar; no hours means always open. */
export function campaignCalendar(c: Pick<Campaign, 'timeZone' | 'openingHours' | 'holidays'>): BusinessCalendar {
  if (!c.openingHours.length) return { ...alwaysOpen(c.timeZone), holidays: c.holidays.map((h) => h.date) };
  return {
    timeZone: c.timeZone,
    weekly: c.openingHours.map((h) => ({ day: h.day, open: h.opens, close: h.closes })),
    holidays: c.holidays.map((h) => h.date),
  };
}
