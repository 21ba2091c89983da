/**
 * Language choice shared by every widget: an explicit `lang` attribute wins, then the browser's
 * preferred languages, then English. Only the languages the product speaks are ever chosen.
 */
export const LANGUAGES = ['en', 'es', 'fr'] as const;
export type WidgetLanguage = (typeof LANGUAGES)[number];

const isSupported = (tag: string): tag is WidgetLanguage => (LANGUAGES as readonly string[]).includes(tag);

/** `fr-CA` -> `fr`; unknown or empty tags give undefined. */
export function baseLanguage(tag: string | null | undefined): WidgetLanguage | undefined {
  const base = tag?.trim().toLowerCase().split(/[-_]/)[0];
  return base && isSupported(base) ? base : undefined;
}

export function chooseLanguage(attribute: string | null | undefined, preferred: readonly string[] = []): WidgetLanguage {
  return baseLanguage(attribute) ?? preferred.map(baseLanguage).find((l) => l !== undefined) ?? 'en';
}

/** A catalogue must give every key in every language; the type checker enforces it. */
export type Catalogue<K extends string> = Record<WidgetLanguage, Record<K, string>>;

/** Looks a text up and fills `{name}` placeholders. */
export function translate<K extends string>(
  catalogue: Catalogue<K>,
  lang: WidgetLanguage,
  key: K,
  values: Record<string, string | number> = {},
): string {
  return catalogue[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** An element's language: its own `lang` attribute, else the browser's languages, else English. */
export function elementLanguage(element: Element): WidgetLanguage {
  return chooseLanguage(element.getAttribute('lang'), typeof navigator === 'undefined' ? [] : navigator.languages);
}

/** "m:ss" (or "h:mm:ss") for timers and waits. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60));
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${mm.padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}
