import { normalisePhone } from '../../contacts/identifiers.js';

/**
 * A SIP user part as an E.164 number, or null: "+15145550100", "0015145550100", and digits alone
 * ("15145550100", as many carriers send the international number without its plus).
 */
export function asE164(user: string): string | null {
  try {
    const raw = decodeURIComponent(user);
    const n = normalisePhone(/^\d{6,15}$/.test(raw) ? `+${raw}` : raw, 'number');
    return /^\+\d{6,15}$/.test(n) ? n : null;
  } catch {
    return null;
  }
}
