import { badInput } from '../../platform/errors.js';

/** The values a screen pop-up URL template may use, e.g. `{customer.phone}`. */
export const SCREEN_POP_FIELDS = [
  'customer.id',
  'customer.name',
  'customer.phone',
  'customer.email',
  'interaction.id',
  'interaction.channel',
  'campaign.id',
  'campaign.name',
  'agent.id',
  'agent.email',
] as const;
export type ScreenPopField = (typeof SCREEN_POP_FIELDS)[number];

const PLACEHOLDER = /\{([^{}]*)\}/g;

/**
 * Fills a template with URL-encoded values; a missing value becomes empty. Values can never
 * change the URL's structure (no injected `&`, `#` or `/`).
 */
export function fillScreenPop(template: string, values: Partial<Record<ScreenPopField, string | null | undefined>>): string {
  return template.replace(PLACEHOLDER, (_all, name: string) => encodeURIComponent(values[name as ScreenPopField] ?? ''));
}

/** Refuses unknown placeholders and templates that do not give an absolute http(s) URL. */
export function validateScreenPop(template: string, field = 'screenPopUrlTemplate'): string {
  const trimmed = template.trim();
  for (const [, name] of trimmed.matchAll(PLACEHOLDER)) {
    if (!(SCREEN_POP_FIELDS as readonly string[]).includes(name)) {
      throw badInput(`Unknown placeholder {${name}}; use ${SCREEN_POP_FIELDS.map((f) => `{${f}}`).join(', ')}`, field);
    }
  }
  let url: URL;
  try {
    url = new URL(fillScreenPop(trimmed, Object.fromEntries(SCREEN_POP_FIELDS.map((f) => [f, 'x']))));
  } catch {
    throw badInput('The screen pop-up must be an absolute URL', field);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw badInput('The screen pop-up must be an http(s) URL', field);
  return trimmed;
}
