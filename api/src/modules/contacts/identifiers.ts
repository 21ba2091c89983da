import { badInput } from '../../platform/errors.js';

/** How a customer is reached: the same kinds name blacklist entries. */
export enum IdentifierKind {
  PHONE = 'PHONE',
  EMAIL = 'EMAIL',
  WHATSAPP = 'WHATSAPP',
  FACEBOOK = 'FACEBOOK',
  WEBCHAT = 'WEBCHAT',
  /** A Telegram user id (digits), as the Bot API gives it. */
  TELEGRAM = 'TELEGRAM',
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The number part of what a channel carries: a `tel:` URI (`tel:+34-911-000-666;phone-context=...`),
 * the user part of a `sip:`/`sips:` URI (`sip:0034911000666@carrier;user=phone`), or the text
 * itself; %-escapes decoded (`%2B34%20911...`).
 */
function numberText(raw: string): string {
  let text = raw.trim();
  const scheme = /^(tel|sips?):/i.exec(text);
  if (scheme) text = text.slice(scheme[0].length).split(/[@;?]/)[0]!;
  try {
    text = decodeURIComponent(text);
  } catch {
    // a stray "%": left as it is, and refused below
  }
  return text.trim();
}

/**
 * THE phone normalisation: every number is stored, looked up and compared (contacts, blacklist,
 * caller and dialled numbers of calls) in this one spelling. "+1 (514) 555-0100", "001 514 555
 * 0100", "tel:+1-514-555-0100", "sip:0015145550100@carrier" -> "+15145550100" (the international
 * prefix "00" becomes "+"; spaces, dots, dashes, slashes and parentheses go); national numbers keep
 * their digits. Anything else is BAD_USER_INPUT.
 */
export function normalisePhone(raw: string, field = 'value'): string {
  const trimmed = numberText(raw);
  if (!/^[+\d][\d\s().\-/]*$/.test(trimmed)) throw badInput(`"${raw}" is not a phone number`, field);
  let digits = trimmed.replace(/[^\d+]/g, '');
  if (digits.startsWith('00')) digits = `+${digits.slice(2)}`;
  const count = digits.replace('+', '').length;
  if (digits.indexOf('+') > 0 || count < 3 || count > 15) throw badInput(`"${raw}" is not a phone number`, field);
  return digits;
}

/** `normalisePhone`, or null for what is no phone number (empty, `anonymous`, letters): for numbers a peer presents. */
export function phoneOrNull(raw: string): string | null {
  try {
    return normalisePhone(raw);
  } catch {
    return null;
  }
}

/**
 * The one spelling under which an identifier is stored and compared, so "+1 514 555 0100" and
 * "+15145550100" are the same customer. Invalid values are BAD_USER_INPUT.
 */
export function normaliseIdentifier(kind: IdentifierKind, raw: string, field = 'value'): string {
  switch (kind) {
    case IdentifierKind.PHONE:
    case IdentifierKind.WHATSAPP:
      return normalisePhone(raw, field);
    case IdentifierKind.EMAIL: {
      const email = raw.trim().toLowerCase();
      if (email.length > 254 || !EMAIL.test(email)) throw badInput(`"${raw}" is not an e-mail address`, field);
      return email;
    }
    case IdentifierKind.TELEGRAM: {
      const id = raw.trim();
      if (!/^\d{1,20}$/.test(id)) throw badInput(`"${raw}" is not a Telegram user id`, field);
      return id;
    }
    default: {
      const handle = raw.trim();
      if (!handle || handle.length > 200 || /\s/.test(handle)) throw badInput('A handle is 1 to 200 characters without spaces', field);
      return handle;
    }
  }
}

/**
 * A blacklist prefix is normalised like a value, but may be shorter (e.g. "+1900" or "spam");
 * phone prefixes keep only their digits and leading "+".
 */
export function normalisePrefix(kind: IdentifierKind, raw: string, field = 'value'): string {
  if (kind === IdentifierKind.PHONE || kind === IdentifierKind.WHATSAPP) {
    const prefix = numberText(raw).replace(/[\s().\-/]/g, '').replace(/^00/, '+');
    if (!/^\+?\d{1,15}$/.test(prefix)) throw badInput(`"${raw}" is not a phone number prefix`, field);
    return prefix;
  }
  const prefix = raw.trim().toLowerCase();
  if (!prefix || prefix.length > 254 || /\s/.test(prefix)) throw badInput('A prefix is 1 to 254 characters without spaces', field);
  return kind === IdentifierKind.EMAIL ? prefix : raw.trim();
}
