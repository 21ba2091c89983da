import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { loadConfig, type Config } from '../platform/config.js';
import type { App } from '../platform/context.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../platform/db/embedded.js';
import { createOrm, type DbTimeouts } from '../platform/db/orm.js';
import { watchDatabase } from '../platform/db/health.js';
import { createLogger, type Logger } from '../platform/logger.js';
import { checkRedis, createEventBus } from '../platform/pubsub.js';
import { loadTokenSecret } from '../modules/identity/index.js';
import { seedDemo, type SeedResult } from '../seed/demo.js';
import { systemClock, type Clock } from '../platform/clock.js';
import { startJobs } from '../platform/jobs.js';
import { createMailer } from '../platform/mail.js';
import { jobRegistrations } from '../modules/jobs.js';
import { createHttpServer } from './http.js';
import { createSchema } from './schema.js';
import { startTelephony } from '../modules/telephony/runtime/index.js';

export interface Running {
  app: App;
  url: string;
  /** Credentials created by the first start, or null. */
  seeded: SeedResult | null;
  stop(): Promise<void>;
}

export interface StartOptions {
  config?: Partial<Config>;
  logger?: Logger;
  /** Port of the embedded PostgreSQL when DATABASE_URL is unset (else EMBEDDED_DB_PORT, else chosen and remembered in DATA_DIR). */
  embeddedPort?: number;
  /** Called with every SQL statement (tests count them). */
  onQuery?: (sql: string) => void;
  /** The platform's clock; the system clock unless a test brings its own. */
  clock?: Clock;
}

/** Boots the platform: database -> migrations -> events -> jobs -> token secret -> seed -> schema -> HTTP. */
export async function start(options: StartOptions = {}): Promise<Running> {
  const config = { ...loadConfig(), ...options.config };
  const log = options.logger ?? createLogger(config.logLevel);
  const cleanups: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const fn of cleanups.reverse()) await fn().catch((err) => log.error({ err }, 'error while stopping'));
  };
  try {
    let databaseUrl = config.databaseUrl;
    if (!databaseUrl) {
      const embedded: EmbeddedDatabase = await startEmbeddedPostgres(config.dataDir, options.embeddedPort ?? config.embeddedDbPort, log);
      cleanups.push(() => embedded.stop());
      databaseUrl = embedded.url;
      log.info({ dataDir: config.dataDir, port: embedded.port }, 'using the embedded PostgreSQL');
    }
    // Migrations run on their own connection without the request timeouts (an index on a big table takes its time).
    const migrating = await createOrm({ url: databaseUrl, poolMax: 1, onQuery: options.onQuery });
    try {
      // say what runs: an index built concurrently on a big table can take minutes
      migrating.migrator.on('migrating', ({ name }) => log.info({ migration: name }, 'applying migration'));
      const applied = await migrating.migrator.up();
      if (applied.length) log.info({ migrations: applied.map((m) => m.name) }, 'applied migrations');
    } finally {
      await migrating.close(true);
    }
    const timeouts: DbTimeouts = { connectMs: config.dbConnectTimeoutMs, statementMs: config.dbStatementTimeoutMs };
    const orm = await createOrm({ url: databaseUrl, onQuery: options.onQuery, timeouts });
    cleanups.push(() => orm.close(true));
    const dbHealth = watchDatabase(databaseUrl, log);
    cleanups.push(() => dbHealth.stop());

    if (config.redisUrl) await checkRedis(config.redisUrl);
    const events = createEventBus(config.redisUrl);
    cleanups.push(() => events.close());

    const jobs = await startJobs(databaseUrl, log, timeouts);
    cleanups.push(() => jobs.stop());

    const mail = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, dataDir: config.dataDir, log });
    cleanups.push(async () => mail.close());

    const app: App = {
      config,
      orm,
      events,
      log,
      jobs,
      mail,
      dbHealth,
      clock: options.clock ?? systemClock,
      tokenSecret: await loadTokenSecret(orm.em.fork()),
      onStop: (fn) => cleanups.push(fn),
    };
    for (const register of jobRegistrations) await register(app);
    const seeded = config.seedDemo ? await seedDemo(app) : null;
    const server = await createHttpServer(app, await createSchema(events.pubSub));
    cleanups.push(() => server.close());
    await server.fastify.listen({ host: config.host, port: config.port });
    const { port } = server.fastify.server.address() as AddressInfo;
    const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    const url = config.publicUrl ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    const telephony = await startTelephony(app, { apiUrl: `http://${host.includes(':') ? `[${host}]` : host}:${port}`, databaseUrl });
    if (telephony) cleanups.push(() => telephony.stop());
    return { app, url, seeded, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
