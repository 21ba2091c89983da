import type { TelephonyConfig } from '../../platform/config.js';

/**
 * How a platform user appears in SIP. Every agent's SIP user is derived from the user's id (stable,
 * unique, never reused), and every tenant has its own SIP domain under the platform's SIP domain.
 * Kamailio's `subscriber` rows and the AORs the API hands Kamailio both come from here.
 */
export function sipUsername(userId: string): string {
  return `a${userId.replace(/-/g, '')}`;
}

/** The user id behind a SIP user made by `sipUsername`, or null for anything else. */
export function userIdFromSipUsername(username: string): string | null {
  const m = /^a([0-9a-f]{8})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{12})$/.exec(username);
  return m ? `${m[1]}-${m[2]}-${m[3]}-${m[4]}-${m[5]}` : null;
}

export function tenantSipDomain(tenantSlug: string, config: TelephonyConfig): string {
  return `${tenantSlug}.${config.sipDomain}`;
}

/** The tenant slug of a SIP domain made by `tenantSipDomain`, or null when it is not one of ours. */
export function tenantSlugFromSipDomain(domain: string, config: TelephonyConfig): string | null {
  const suffix = `.${config.sipDomain}`;
  if (!domain.toLowerCase().endsWith(suffix)) return null;
  const slug = domain.slice(0, -suffix.length).toLowerCase();
  return /^[a-z0-9][a-z0-9-]*$/.test(slug) ? slug : null;
}

export function agentAor(userId: string, tenantSlug: string, config: TelephonyConfig): string {
  return `sip:${sipUsername(userId)}@${tenantSipDomain(tenantSlug, config)}`;
}
