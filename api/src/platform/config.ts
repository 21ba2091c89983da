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
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** Largest query depth and cost a client may send. */
  maxQueryDepth: number;
  maxQueryCost: number;
  /** Seed the demo tenant on first start. */
  seedDemo: boolean;
  /** How often an open WebSocket's session or API key is checked again. */
  wsRevalidateSeconds: number;
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
    accessTokenTtlSeconds: int(env, 'ACCESS_TOKEN_TTL', 15 * 60),
    refreshTokenTtlSeconds: int(env, 'REFRESH_TOKEN_TTL', 12 * 60 * 60),
    maxQueryDepth: int(env, 'MAX_QUERY_DEPTH', 10),
    maxQueryCost: int(env, 'MAX_QUERY_COST', 5000),
    seedDemo: bool(env, 'SEED_DEMO', true),
    wsRevalidateSeconds: int(env, 'WS_REVALIDATE_SECONDS', 30),
  };
}
