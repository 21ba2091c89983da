import { badInput } from '../../platform/errors.js';

/** How a customer is reached: the same kinds name blacklist entries. */
export enum IdentifierKind {
  PHONE = 'PHONE',
  EMAIL = 'EMAIL',
  WHATSAPP = 'WHATSAPP',
  FACEBOOK = 'FACEBOOK',
  WEBCHAT = 'WEBCHAT',
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** "+1 (514) 555-0100", "001 514 555 0100" -> "+15145550100"; national numbers keep their digits. */
export function normalisePhone(raw: string, field = 'value'): string {
  const trimmed = raw.trim();
  if (!/^[+\d][\d\s().\-/]*$/.test(trimmed)) throw badInput(`"${raw}" is not a phone number`, field);
  let digits = trimmed.replace(/[^\d+]/g, '');
  if (digits.startsWith('00')) digits = `+${digits.slice(2)}`;
  const count = digits.replace('+', '').length;
  if (digits.indexOf('+') > 0 || count < 3 || count > 15) throw badInput(`"${raw}" is not a phone number`, field);
  return digits;
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
    const prefix = raw.trim().replace(/[\s().\-/]/g, '').replace(/^00/, '+');
    if (!/^\+?\d{1,15}$/.test(prefix)) throw badInput(`"${raw}" is not a phone number prefix`, field);
    return prefix;
  }
  const prefix = raw.trim().toLowerCase();
  if (!prefix || prefix.length > 254 || /\s/.test(prefix)) throw badInput('A prefix is 1 to 254 characters without spaces', field);
  return kind === IdentifierKind.EMAIL ? prefix : raw.trim();
}
