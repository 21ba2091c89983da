import { createHash, randomBytes } from 'node:crypto';
import type { TelephonyConfig } from '../../../platform/config.js';
import { tenantSipDomain } from '../sip-identity.js';

/** Seconds between `transferInteraction` and the carrier's new INVITE (REFER, 202, NOTIFY, INVITE). */
export const TRANSFER_TTL_SECONDS = 60;

/** The Request-URI user of a transfer target: `xfer-` and 128 random bits in hex. Kamailio checks the same shape. */
const TARGET = /^xfer-([0-9a-f]{32})$/;

export const newTransferToken = (): string => randomBytes(16).toString('hex');

/** Only this is stored: a leaked database row cannot be replayed as a Refer-To. */
export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

/** The token of a transfer target's SIP user (`xfer-<token>`), or null for any other user. */
export function transferToken(user: string | undefined | null): string | null {
  return (user && TARGET.exec(user)?.[1]) || null;
}

/** The Refer-To URI the agent's phone sends: `sip:xfer-<token>@<tenant SIP domain>`. */
export function referToUri(token: string, tenantSlug: string, config: TelephonyConfig): string {
  return `sip:xfer-${token}@${tenantSipDomain(tenantSlug, config)}`;
}
