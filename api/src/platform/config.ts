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
  /** Port of the embedded PostgreSQL (EMBEDDED_DB_PORT); unset: 54329 or a free port, remembered in `<dataDir>/postgres.port`. */
  embeddedDbPort?: number;
  /** Longest wait for a database connection: opening one, or waiting for a free one in the pool (ms). */
  dbConnectTimeoutMs: number;
  /** Longest a SQL statement may run (server-side statement_timeout); a server that does not answer at all is given up 2 s later (ms, 0 = none). */
  dbStatementTimeoutMs: number;
  logLevel: string;
  /** Public base URL printed at start-up and used in links. */
  publicUrl?: string;
  /** How many reverse proxies in front of the API to trust for X-Forwarded-For (0: use the socket's address). */
  trustProxy: number;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** Sign-in throttle (docs/security.md); only failures count, and a limit of 0 turns that limit off. */
  signIn: SignInThrottleConfig;
  /** Refused refresh tokens one source address may present per SIGNIN_WINDOW_SECONDS before a block (REFRESH_MAX_FAILURES; 0: no limit). */
  refreshMaxFailures: number;
  /** Status-subscription confirmation e-mails one source address may ask for per hour (STATUS_SUBSCRIBE_MAX_PER_ADDRESS; 0: no limit). */
  statusSubscribeMaxPerAddress: number;
  /** Confirmation e-mails one recipient may receive per day; more requests are answered but send nothing (STATUS_SUBSCRIBE_MAX_PER_EMAIL; 0: no limit). */
  statusSubscribeMaxPerEmail: number;
  /** Largest query depth and cost a client may send. */
  maxQueryDepth: number;
  maxQueryCost: number;
  /** Seed the demo tenant on first start. */
  seedDemo: boolean;
  /** How often an open WebSocket's session or API key is checked again. */
  wsRevalidateSeconds: number;
  /** Open subscriptions (and operations in flight) one WebSocket may hold; more are refused with TOO_MANY_SUBSCRIPTIONS (0: no limit). */
  wsMaxSubscriptions: number;
  /** WebSockets one user or API key may hold open on one instance; more are closed with 4429 (0: no limit). */
  wsMaxSocketsPerPrincipal: number;
  /** Anonymous WebSockets one source address may hold open on one instance; more are closed with 4429 (0: no limit). */
  wsMaxAnonymousSocketsPerAddress: number;
  /** Longest a client may take to send a request's headers, and the whole request (ms, 0: none). */
  httpHeadersTimeoutMs: number;
  httpRequestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open (ms). */
  httpKeepAliveTimeoutMs: number;
  /** Chats one source address may start per 10 minutes (0: no limit). */
  webchatStartsPerAddress: number;
  /** Chats one widget key may start per minute, from all addresses together (0: no limit). */
  webchatStartsPerKey: number;
  /** Typing events one chat may send per 5 seconds; more are dropped (0: no limit). */
  webchatTypingLimit: number;
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
  /**
   * Key of the provider secrets of channel accounts (AES-256-GCM): 32 bytes, base64
   * (CHANNEL_SECRETS_KEY); unset, one is made at first start and kept in `platform_setting`.
   */
  channelSecretsKey?: string;
  /** Twilio's REST API (TWILIO_API_BASE; a local peer in tests). */
  twilioApiBase: string;
  /** Telegram's Bot API (TELEGRAM_API_BASE; a local peer in tests). */
  telegramApiBase: string;
  /** Attempts of a channel message send before it is FAILED (CHANNEL_SEND_ATTEMPTS); retries back off from 5 s. */
  channelSendAttempts: number;
  /** Refused (unsigned or forged) channel webhooks from one address per 10 minutes before it gets 429 (CHANNEL_WEBHOOK_MAX_REFUSALS; 0: no limit). */
  channelWebhookMaxRefusals: number;
  /** Telephony (Kamailio + rtpengine as supervised child processes); off unless TELEPHONY is set. */
  telephony: TelephonyConfig;
}

/** How many wrong passwords are tolerated before a sign-in block (SIGNIN_* variables, README). */
export interface SignInThrottleConfig {
  /** Wrong passwords for one account from one source address per window (SIGNIN_MAX_FAILURES). */
  maxFailures: number;
  /** Wrong passwords for one account from every address together per window (SIGNIN_ACCOUNT_MAX_FAILURES). */
  accountMaxFailures: number;
  /** Wrong passwords from one source address, whatever the account, per window (SIGNIN_ADDRESS_MAX_FAILURES). */
  addressMaxFailures: number;
  /** The counting window, seconds (SIGNIN_WINDOW_SECONDS). */
  windowSeconds: number;
  /** First block, seconds; doubled at each further strike (SIGNIN_BLOCK_SECONDS). */
  blockSeconds: number;
  /** Longest block of an account+address or an address (SIGNIN_MAX_BLOCK_SECONDS). */
  maxBlockSeconds: number;
  /** Longest block of an account from every address: short, so an attacker cannot lock its owner out for long (SIGNIN_ACCOUNT_MAX_BLOCK_SECONDS). */
  accountMaxBlockSeconds: number;
}

/** Addresses and ports of the SIP layer. Every field has a TELEPHONY_* / SIP_* / RTP_* variable (README). */
export interface TelephonyConfig {
  enabled: boolean;
  /** Address Kamailio and rtpengine listen on, and put in SIP/SDP (the public address in production). */
  listenHost: string;
  /** SIP over UDP (trunks, desk phones, sipp). */
  sipUdpPort: number;
  /** SIP over WebSocket (JsSIP): WebSocket upgrades only. */
  sipWsPort: number;
  /** Kamailio's JSON-RPC (/RPC, for the API only), on 127.0.0.1 only (KAMAILIO_RPC_PORT). */
  rpcPort: number;
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
  /** Requests per source address per 2 seconds before Kamailio bans it for `banSeconds` (pike); 0 turns the limit off. Trunks are exempt. */
  floodLimit: number;
  /** Failures (wrong SIP password, INVITE from no trunk, bad WebSocket token) from one address within `banWindowSeconds` that ban it (SIP_BAN_FAILURES; 0: no ban). */
  banFailures: number;
  /** The window the failures are counted in, from the first one (SIP_BAN_WINDOW), seconds. */
  banWindowSeconds: number;
  /** How long a banned address gets no answer at all (SIP_BAN_SECONDS), seconds. */
  banSeconds: number;
  /** Shortest registration Kamailio accepts (registrar min_expires); a shorter non-zero Expires is raised to it. */
  sipMinExpires: number;
  /** How often Kamailio looks for expired contacts and writes contacts to the database (usrloc timer_interval), seconds. */
  sipUsrlocTimer: number;
  /**
   * Seconds a call in progress may go without media from one of its sides (no RTP or RTCP reaching
   * rtpengine) before the API ends it both ways (CALL_MEDIA_TIMEOUT_SECONDS, default 60; 0 turns it off).
   */
  callMediaTimeoutSeconds: number;
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
    embeddedDbPort: env.EMBEDDED_DB_PORT ? int(env, 'EMBEDDED_DB_PORT', 0) : undefined,
    dbConnectTimeoutMs: int(env, 'DB_CONNECT_TIMEOUT_MS', 5000),
    dbStatementTimeoutMs: int(env, 'DB_STATEMENT_TIMEOUT_MS', 15000),
    logLevel: env.LOG_LEVEL || 'info',
    publicUrl: env.PUBLIC_URL || undefined,
    trustProxy: int(env, 'TRUST_PROXY', 0),
    accessTokenTtlSeconds: int(env, 'ACCESS_TOKEN_TTL', 15 * 60),
    refreshTokenTtlSeconds: int(env, 'REFRESH_TOKEN_TTL', 12 * 60 * 60),
    signIn: {
      maxFailures: int(env, 'SIGNIN_MAX_FAILURES', 5),
      accountMaxFailures: int(env, 'SIGNIN_ACCOUNT_MAX_FAILURES', 10),
      addressMaxFailures: int(env, 'SIGNIN_ADDRESS_MAX_FAILURES', 30),
      windowSeconds: int(env, 'SIGNIN_WINDOW_SECONDS', 15 * 60),
      blockSeconds: int(env, 'SIGNIN_BLOCK_SECONDS', 60),
      maxBlockSeconds: int(env, 'SIGNIN_MAX_BLOCK_SECONDS', 60 * 60),
      accountMaxBlockSeconds: int(env, 'SIGNIN_ACCOUNT_MAX_BLOCK_SECONDS', 5 * 60),
    },
    refreshMaxFailures: int(env, 'REFRESH_MAX_FAILURES', 30),
    statusSubscribeMaxPerAddress: int(env, 'STATUS_SUBSCRIBE_MAX_PER_ADDRESS', 5),
    statusSubscribeMaxPerEmail: int(env, 'STATUS_SUBSCRIBE_MAX_PER_EMAIL', 3),
    maxQueryDepth: int(env, 'MAX_QUERY_DEPTH', 10),
    maxQueryCost: int(env, 'MAX_QUERY_COST', 5000),
    seedDemo: bool(env, 'SEED_DEMO', true),
    wsRevalidateSeconds: int(env, 'WS_REVALIDATE_SECONDS', 30),
    wsMaxSubscriptions: int(env, 'WS_MAX_SUBSCRIPTIONS', 100),
    wsMaxSocketsPerPrincipal: int(env, 'WS_MAX_SOCKETS_PER_PRINCIPAL', 50),
    wsMaxAnonymousSocketsPerAddress: int(env, 'WS_MAX_ANONYMOUS_SOCKETS_PER_ADDRESS', 50),
    httpHeadersTimeoutMs: int(env, 'HTTP_HEADERS_TIMEOUT_MS', 10_000),
    httpRequestTimeoutMs: int(env, 'HTTP_REQUEST_TIMEOUT_MS', 30_000),
    httpKeepAliveTimeoutMs: int(env, 'HTTP_KEEP_ALIVE_TIMEOUT_MS', 72_000),
    webchatStartsPerAddress: int(env, 'WEBCHAT_STARTS_PER_ADDRESS', 10),
    webchatStartsPerKey: int(env, 'WEBCHAT_STARTS_PER_KEY', 30),
    webchatTypingLimit: int(env, 'WEBCHAT_TYPING_LIMIT', 10),
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
    channelSecretsKey: env.CHANNEL_SECRETS_KEY || undefined,
    twilioApiBase: env.TWILIO_API_BASE || 'https://api.twilio.com',
    telegramApiBase: env.TELEGRAM_API_BASE || 'https://api.telegram.org',
    channelSendAttempts: int(env, 'CHANNEL_SEND_ATTEMPTS', 5),
    channelWebhookMaxRefusals: int(env, 'CHANNEL_WEBHOOK_MAX_REFUSALS', 20),
    telephony: {
      enabled: bool(env, 'TELEPHONY', false),
      listenHost: env.SIP_LISTEN_HOST || '127.0.0.1',
      sipUdpPort: int(env, 'SIP_UDP_PORT', 5060),
      sipWsPort: int(env, 'SIP_WS_PORT', 8088),
      rpcPort: int(env, 'KAMAILIO_RPC_PORT', 8089),
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
      banFailures: int(env, 'SIP_BAN_FAILURES', 10),
      banWindowSeconds: int(env, 'SIP_BAN_WINDOW', 60),
      banSeconds: int(env, 'SIP_BAN_SECONDS', 300),
      sipMinExpires: int(env, 'SIP_MIN_EXPIRES', 30),
      sipUsrlocTimer: int(env, 'SIP_USRLOC_TIMER', 10),
      callMediaTimeoutSeconds: int(env, 'CALL_MEDIA_TIMEOUT_SECONDS', 60),
    },
  };
}
