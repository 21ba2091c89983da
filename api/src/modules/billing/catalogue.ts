// Straight from the entity and rules files (not the index), so the catalogue loads without GraphQL.
import { LicenceKind } from '../licensing/licence.entity.js';
import type { LicenceTerms } from '../licensing/licence-rules.js';

/** What a catalogue item adds to a licence. */
export type CatalogueItemKey = 'VOICE_AGENT' | 'OMNI_AGENT' | 'ADVANCED_REPORTS' | 'AI_CONNECTION' | 'SUPPORT_247' | 'PBX_USER' | 'CHATBOT_LICENCE';

export interface CatalogueItem {
  key: CatalogueItemKey;
  /** Stripe `lookup_key` of the monthly price: how prices are found, created and updated. */
  lookupKey: string;
  name: string;
  description: string;
  /** Monthly price in cents of `currency`. */
  unitAmount: number;
  /** PER_UNIT: quantity = seats or users; FLAT: quantity 1 when bought. */
  pricing: 'PER_UNIT' | 'FLAT';
}

export const CURRENCY = 'usd';

/**
 * The catalogue (DOMAIN.md "Licences", Issabel's price list in USD/month). The chatbot licence has
 * no list price in the source documents; 30 USD/month is our own choice.
 */
export const CATALOGUE: readonly CatalogueItem[] = [
  { key: 'VOICE_AGENT', lookupKey: 'switchboard_voice_agent_monthly', name: 'Voice agent', description: 'One concurrent agent seat, voice only', unitAmount: 2900, pricing: 'PER_UNIT' },
  { key: 'OMNI_AGENT', lookupKey: 'switchboard_omni_agent_monthly', name: 'Omnichannel agent', description: 'One concurrent agent seat, every channel and chatbots', unitAmount: 3900, pricing: 'PER_UNIT' },
  { key: 'ADVANCED_REPORTS', lookupKey: 'switchboard_advanced_reports_monthly', name: 'Advanced reports', description: 'Advanced reporting, flat monthly', unitAmount: 2000, pricing: 'FLAT' },
  { key: 'AI_CONNECTION', lookupKey: 'switchboard_ai_connection_monthly', name: 'AI connection', description: 'AI connection for chatbots, flat monthly', unitAmount: 5000, pricing: 'FLAT' },
  { key: 'SUPPORT_247', lookupKey: 'switchboard_support_247_monthly', name: '24/7 support', description: 'Critical incidents handled around the clock, flat monthly', unitAmount: 25000, pricing: 'FLAT' },
  { key: 'PBX_USER', lookupKey: 'switchboard_pbx_user_monthly', name: 'PBX user', description: 'One PBX user (cloud only)', unitAmount: 500, pricing: 'PER_UNIT' },
  { key: 'CHATBOT_LICENCE', lookupKey: 'switchboard_chatbot_licence_monthly', name: 'Chatbot licence', description: 'One distinct chatbot workflow', unitAmount: 3000, pricing: 'PER_UNIT' },
];

export const itemByKey = (key: CatalogueItemKey): CatalogueItem => CATALOGUE.find((i) => i.key === key)!;
export const itemByLookupKey = (lookupKey: string | null | undefined): CatalogueItem | undefined =>
  CATALOGUE.find((i) => i.lookupKey === lookupKey);

/** The licence terms billing sells (the term length is a licence matter, not a Stripe one). */
export type BillableTerms = Omit<LicenceTerms, 'termMonths'> & { advancedReports: boolean; support247: boolean };

/** Catalogue items and quantities for terms, in catalogue order; items with quantity 0 are left out. */
export function itemsFor(terms: BillableTerms): { item: CatalogueItem; quantity: number }[] {
  const quantities: Record<CatalogueItemKey, number> = {
    VOICE_AGENT: terms.kind === LicenceKind.VOICE ? terms.seats : 0,
    OMNI_AGENT: terms.kind === LicenceKind.OMNI ? terms.seats : 0,
    ADVANCED_REPORTS: terms.advancedReports ? 1 : 0,
    AI_CONNECTION: terms.aiConnection ? 1 : 0,
    SUPPORT_247: terms.support247 ? 1 : 0,
    PBX_USER: terms.pbxUsers,
    CHATBOT_LICENCE: terms.chatbotLicences,
  };
  return CATALOGUE.filter((item) => quantities[item.key] > 0).map((item) => ({ item, quantity: quantities[item.key] }));
}

/**
 * Terms from what a subscription holds (lookup key -> quantity), or null when it holds no agent
 * seats. Both agent items at once (a mixed subscription edited by hand) counts as OMNI: kinds never
 * mix in a tenant, and OMNI covers VOICE.
 */
export function termsFromItems(items: { lookupKey: string | null | undefined; quantity: number }[]): BillableTerms | null {
  const qty = (key: CatalogueItemKey) =>
    items.filter((i) => itemByLookupKey(i.lookupKey)?.key === key).reduce((n, i) => n + i.quantity, 0);
  const voice = qty('VOICE_AGENT');
  const omni = qty('OMNI_AGENT');
  if (voice + omni === 0) return null;
  return {
    kind: omni > 0 ? LicenceKind.OMNI : LicenceKind.VOICE,
    seats: voice + omni,
    advancedReports: qty('ADVANCED_REPORTS') > 0,
    aiConnection: qty('AI_CONNECTION') > 0,
    support247: qty('SUPPORT_247') > 0,
    pbxUsers: qty('PBX_USER'),
    chatbotLicences: qty('CHATBOT_LICENCE'),
  };
}

/** Monthly total in cents. */
export const monthlyTotal = (terms: BillableTerms) => itemsFor(terms).reduce((n, l) => n + l.item.unitAmount * l.quantity, 0);
