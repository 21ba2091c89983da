import type { Config } from '../../../platform/config.js';
import { EXAMPLE_PAGES_ORIGINS, isLoopbackUrl } from '../../../platform/example-pages.js';

/**
 * The origins allowed to open the SIP WebSocket: `SIP_WS_ORIGINS` when set; else `PUBLIC_URL`'s
 * origin and the API's own, plus the shipped example pages' (http://127.0.0.1:8080 and
 * localhost:8080) while the platform is only reachable from this machine (no PUBLIC_URL, or a
 * loopback one).
 */
export function sipWsOrigins(config: Pick<Config, 'publicUrl' | 'telephony'>, apiUrl: string): string[] {
  if (config.telephony.wsOrigins.length) return config.telephony.wsOrigins.map((o) => new URL(o).origin);
  const own = [config.publicUrl, apiUrl].filter((u): u is string => !!u);
  const local = !config.publicUrl || isLoopbackUrl(config.publicUrl);
  return [...new Set([...own, ...(local ? EXAMPLE_PAGES_ORIGINS : [])].map((u) => new URL(u).origin))];
}

/** Whether a browser page of `origin` may open the SIP WebSocket (no Origin header: not a browser page, nothing to check). */
export function sipOriginAllowed(origins: readonly string[], origin: string | undefined): boolean {
  if (!origin) return true;
  try {
    return origins.includes(new URL(origin).origin);
  } catch {
    return false;
  }
}
