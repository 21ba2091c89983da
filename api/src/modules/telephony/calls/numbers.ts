import { phoneOrNull } from '../../contacts/identifiers.js';

/**
 * A number from SIP (a Request-URI, From or P-Asserted-Identity user, or a whole `sip:`/`tel:` URI)
 * in contacts' one spelling (`normalisePhone`), with one SIP habit on top: digits alone that are no
 * national number (6 to 15 digits, no leading 0) are an international number without its plus, as
 * many carriers send it ("34911000666"). So "+34911000666", "0034911000666", "34911000666",
 * "tel:+34-911-000-666" and "sip:+34(911)000666@carrier" are one number. Null for anything else.
 */
function sipNumber(user: string): string | null {
  const n = phoneOrNull(user);
  if (!n) return null;
  return /^[1-9]\d{5,14}$/.test(n) ? `+${n}` : n;
}

/** A SIP number as E.164 (`+` and 6 to 15 digits), or null: dialled numbers and DIDs. */
export function asE164(user: string): string | null {
  const n = sipNumber(user);
  return n && /^\+\d{6,15}$/.test(n) ? n : null;
}

/**
 * A caller's number (From or P-Asserted-Identity), normalised like every stored number, or null
 * when it is none: missing, `anonymous`, or anything else. National numbers keep their digits.
 */
export function callerNumber(user: string | undefined): string | null {
  return user ? sipNumber(user) : null;
}
