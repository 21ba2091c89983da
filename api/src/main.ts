import { start } from './server/start.js';
import { createLogger } from './platform/logger.js';
import { loadConfig } from './platform/config.js';

const log = createLogger(loadConfig().logLevel);
let running: Awaited<ReturnType<typeof start>>;
try {
  running = await start({ logger: log });
} catch (err) {
  log.fatal({ err }, 'Switchboard could not start');
  process.exit(1);
}

const { url, seeded } = running;
const lines = [
  '',
  `Switchboard is running.`,
  `  GraphQL (HTTP and WebSocket): ${url}/graphql`,
  `  Health: ${url}/healthz   Readiness: ${url}/readyz`,
];
if (seeded) {
  lines.push(
    '',
    'First start: a demo tenant was created. These secrets are shown once; keep them.',
    `  Platform operator:   ${seeded.operator.email} / ${seeded.operator.password}`,
    `  Demo administrator:  ${seeded.administrator.email} / ${seeded.administrator.password}  (tenant "${seeded.administrator.tenant}")`,
    `  Demo supervisor and agents (same password): supervisor@demo.example, ${seeded.agents.map((a) => a.email).join(', ')}`,
    `  Demo API key:        ${seeded.apiKey}`,
    `  Demo chat widget key: ${seeded.widgetKey}  (campaign "Website and messaging"; see the README to chat)`,
    '',
    `  Try: curl -s ${url}/graphql -H 'content-type: application/json' \\`,
    `         -H 'authorization: Bearer ${seeded.apiKey}' -d '{"query":"{ tenant { name } licence { kind seats channels } }"}'`,
  );
}
process.stdout.write(lines.join('\n') + '\n\n');

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await running.stop();
    log.info('stopped');
    process.exit(0);
  });
}
