import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, whatever directory npm runs a workspace script from. */
export const ROOT_DIR = fileURLToPath(new URL('../../../', import.meta.url));

/** Runtime configuration, read once from the environment. Every variable is documented in README.md. */
export interface Config {
  host: string;
  port: number;
  /** PostgreSQL URL; when undefined the embedded PostgreSQL under `dataDir` is used. */
  databaseUrl?: string;
  /** Redis URL for cross-instance event fan-out; when undefined events stay in-process. */
  redisUrl?: string;
  dataDir: string;
  logLevel: string;
  /** Public base URL printed at start-up and used in links. */
  publicUrl?: string;
  /** How many reverse proxies in front of the API to trust for X-Forwarded-For (0: use the socket's address). */
  trustProxy: number;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** Largest query depth and cost a client may send. */
  maxQueryDepth: number;
  maxQueryCost: number;
  /** Seed the demo tenant on first start. */
  seedDemo: boolean;
  /** How often an open WebSocket's session or API key is checked again. */
  wsRevalidateSeconds: number;
  /** How long an agent has to accept an offered interaction. */
  offerTimeoutSeconds: number;
  /** How often each instance sweeps routing deadlines (lapsed offers, wrap-ups, overflow); 0: never (tests). */
  routingSweepSeconds: number;
  /** Outgoing mail server (smtp://user:pass@host:port); unset means messages are captured under `<dataDir>/mail/`. */
  smtpUrl?: string;
  /** Seconds before the first retry of a mail SMTP did not take (doubling after each failure). */
  mailRetrySeconds: number;
  /** Sender address of platform e-mail. */
  mailFrom: string;
  /** Stripe secret key (sk_test_... or sk_live_...); billing operations answer BILLING_NOT_CONFIGURED without it. */
  stripeSecretKey?: string;
  /** Signing secret of the Stripe webhook endpoint (whsec_...). */
  stripeWebhookSecret?: string;
  /** Another address for Stripe's API (e.g. http://127.0.0.1:12111 for a local peer); Stripe's own by default. */
  stripeApiBase?: string;
  /** Days agents may still sign in after a failed payment. */
  billingGraceDays: number;
  /** Where Checkout sends the administrator back after paying, and after giving up. */
  billingSuccessUrl?: string;
  billingCancelUrl?: string;
  /** Where the Billing Portal's "back" link goes. */
  billingReturnUrl?: string;
  /** Telephony (Kamailio + rtpengine as supervised child processes); off unless TELEPHONY is set. */
  telephony: TelephonyConfig;
}

/** Addresses and ports of the SIP layer. Every field has a TELEPHONY_* / SIP_* / RTP_* variable (README). */
export interface TelephonyConfig {
  enabled: boolean;
  /** Address Kamailio and rtpengine listen on, and put in SIP/SDP (the public address in production). */
  listenHost: string;
  /** SIP over UDP (trunks, desk phones, sipp). */
  sipUdpPort: number;
  /** SIP over WebSocket (JsSIP); the same port answers Kamailio's JSON-RPC at /RPC (loopback only). */
  sipWsPort: number;
  /** rtpengine's control (ng) port on 127.0.0.1. */
  rtpengineNgPort: number;
  rtpPortMin: number;
  rtpPortMax: number;
  /** Each tenant's SIP domain is `<tenant slug>.<sipDomain>`. */
  sipDomain: string;
  /** Shared secret Kamailio sends on every request to the API (header X-Switchboard-Secret); generated when unset. */
  secret?: string;
  /** URL Kamailio uses to reach the API; http://127.0.0.1:<port> by default. */
  apiUrlForKamailio?: string;
  kamailioBin: string;
  rtpengineBin: string;
  /** Lifetime of the SIP credentials the softphone obtains from the API. */
  sipCredentialTtlSeconds: number;
  /** Origins allowed to open the SIP WebSocket (the agent app's); the API's own URL when empty. */
  wsOrigins: string[];
  /** WebSocket URL softphones use (e.g. wss://sip.example.com behind a TLS proxy); ws://<listenHost>:<sipWsPort> by default. */
  wsPublicUrl?: string;
  /** Requests per source address per 2 seconds before Kamailio refuses more (pike); 0 turns the limit off. */
  floodLimit: number;
  /** Shortest registration Kamailio accepts (registrar min_expires); a shorter non-zero Expires is raised to it. */
  sipMinExpires: number;
  /** How often Kamailio looks for expired contacts and writes contacts to the database (usrloc timer_interval), seconds. */
  sipUsrlocTimer: number;
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  }
  return value;
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  return !['0', 'false', 'no', 'off'].includes(raw.toLowerCase());
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    host: env.HOST || '127.0.0.1',
    port: int(env, 'PORT', 4000),
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    // A relative DATA_DIR is taken from where the command was typed (npm's INIT_CWD), not the workspace.
    dataDir: env.DATA_DIR ? resolve(env.INIT_CWD || process.cwd(), env.DATA_DIR) : resolve(ROOT_DIR, '.data'),
    logLevel: env.LOG_LEVEL || 'info',
    publicUrl: env.PUBLIC_URL || undefined,
    trustProxy: int(env, 'TRUST_PROXY', 0),
    accessTokenTtlSeconds: int(env, 'ACCESS_TOKEN_TTL', 15 * 60),
    refreshTokenTtlSeconds: int(env, 'REFRESH_TOKEN_TTL', 12 * 60 * 60),
    maxQueryDepth: int(env, 'MAX_QUERY_DEPTH', 10),
    maxQueryCost: int(env, 'MAX_QUERY_COST', 5000),
    seedDemo: bool(env, 'SEED_DEMO', true),
    wsRevalidateSeconds: int(env, 'WS_REVALIDATE_SECONDS', 30),
    offerTimeoutSeconds: int(env, 'OFFER_TIMEOUT_SECONDS', 20),
    routingSweepSeconds: int(env, 'ROUTING_SWEEP_SECONDS', 2),
    smtpUrl: env.SMTP_URL || undefined,
    mailRetrySeconds: int(env, 'MAIL_RETRY_SECONDS', 60),
    mailFrom: env.MAIL_FROM || 'Switchboard <no-reply@switchboard.local>',
    stripeSecretKey: env.STRIPE_SECRET_KEY || undefined,
    stripeWebhookSecret: env.STRIPE_WEBHOOK_SECRET || undefined,
    stripeApiBase: env.STRIPE_API_BASE || undefined,
    billingGraceDays: int(env, 'BILLING_GRACE_DAYS', 7),
    billingSuccessUrl: env.BILLING_SUCCESS_URL || undefined,
    billingCancelUrl: env.BILLING_CANCEL_URL || undefined,
    billingReturnUrl: env.BILLING_RETURN_URL || undefined,
    telephony: {
      enabled: bool(env, 'TELEPHONY', false),
      listenHost: env.SIP_LISTEN_HOST || '127.0.0.1',
      sipUdpPort: int(env, 'SIP_UDP_PORT', 5060),
      sipWsPort: int(env, 'SIP_WS_PORT', 8088),
      rtpengineNgPort: int(env, 'RTPENGINE_NG_PORT', 2223),
      rtpPortMin: int(env, 'RTP_PORT_MIN', 30000),
      rtpPortMax: int(env, 'RTP_PORT_MAX', 30999),
      sipDomain: env.SIP_DOMAIN || 'sip.switchboard.local',
      secret: env.TELEPHONY_SECRET || undefined,
      apiUrlForKamailio: env.TELEPHONY_API_URL || undefined,
      kamailioBin: env.KAMAILIO_BIN || '/usr/sbin/kamailio',
      rtpengineBin: env.RTPENGINE_BIN || '/usr/bin/rtpengine',
      sipCredentialTtlSeconds: int(env, 'SIP_CREDENTIAL_TTL', 12 * 60 * 60),
      wsOrigins: (env.SIP_WS_ORIGINS || '').split(',').map((o) => o.trim()).filter(Boolean),
      wsPublicUrl: env.SIP_WS_PUBLIC_URL || undefined,
      floodLimit: int(env, 'SIP_FLOOD_LIMIT', 200),
      sipMinExpires: int(env, 'SIP_MIN_EXPIRES', 30),
      sipUsrlocTimer: int(env, 'SIP_USRLOC_TIMER', 10),
    },
  };
}
