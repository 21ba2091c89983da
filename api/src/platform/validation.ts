import { registerDecorator, type ValidationOptions } from 'class-validator';

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
