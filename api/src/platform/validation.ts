import { registerDecorator, type ValidationOptions } from 'class-validator';
import { visit, type DocumentNode } from 'graphql';

/** Accepts IANA time zone names that this runtime knows (e.g. America/Montreal). */
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export function IsTimeZone(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isTimeZone',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must be an IANA time zone such as America/Montreal`, ...options },
      validator: { validate: (value: unknown) => isTimeZone(value) },
    });
}

/**
 * Characters no text input may hold: NUL (PostgreSQL refuses it in text) and the other C0 control
 * characters except tab, line feed and carriage return, U+FFFE/U+FFFF and unpaired surrogates:
 * exactly what XML 1.0 cannot carry either, so stored text always fits the Atom feed and e-mail.
 */
export const INVALID_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const INVALID_TEXT_ALL = new RegExp(INVALID_TEXT.source, 'g');

/** `text` without the characters of INVALID_TEXT (for text stored before they were refused). */
export function stripInvalidText(text: string): string {
  return text.replace(INVALID_TEXT_ALL, '');
}

/** Where a string holding an INVALID_TEXT character sits, and which character it is (U+0000). */
export interface InvalidText {
  field: string;
  character: string;
}

const codePoint = (s: string) => `U+${s.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * The first string in `value` (a request's variables: any JSON) that holds an INVALID_TEXT
 * character, with its path (`input.message`, `ids[2]`).
 */
export function findInvalidText(value: unknown, path: string): InvalidText | undefined {
  if (typeof value === 'string') {
    const bad = INVALID_TEXT.exec(value);
    return bad ? { field: path, character: codePoint(bad[0]) } : undefined;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findInvalidText(value[i], `${path}[${i}]`);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      const found = findInvalidText(v, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * The first text input of an operation that holds an INVALID_TEXT character: a literal in the
 * document (its path of argument and input-field names) or a variable (its name and path). One
 * check for every String and ID input, before any resolver runs.
 */
export function findInvalidInput(document: DocumentNode, variables: Record<string, unknown> | undefined | null): InvalidText | undefined {
  // the common case, checked on the source text at once: a literal can only hold such a character
  // if the text has one, or a \u escape that may decode to one
  const source = document.loc?.source.body;
  if (source !== undefined && !INVALID_TEXT.test(source) && !source.includes('\\u')) return findInvalidText(variables ?? {}, '');
  let found: InvalidText | undefined;
  const path: string[] = [];
  const enter = (node: { name: { value: string } }) => void path.push(node.name.value);
  const leave = () => void path.pop();
  visit(document, {
    Argument: { enter, leave },
    ObjectField: { enter, leave },
    StringValue(node) {
      found ??= findInvalidText(node.value, path.join('.'));
    },
  });
  return found ?? findInvalidText(variables ?? {}, '');
}
