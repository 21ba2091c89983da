import { start } from './server/start.js';
import { createLogger } from './platform/logger.js';
import { loadConfig } from './platform/config.js';
import { formatStartError } from './platform/start-error.js';
import { telephonyRuntime } from './modules/telephony/runtime/index.js';

/** A fatal start error, told whatever LOG_LEVEL says: what went wrong, its cause, what to do. */
function giveUp(err: unknown, log?: ReturnType<typeof createLogger>): never {
  log?.fatal({ err }, 'Switchboard could not start');
  process.stderr.write(formatStartError(err) + '\n');
  process.exit(1);
}

let log: ReturnType<typeof createLogger>;
try {
  log = createLogger(loadConfig().logLevel);
} catch (err) {
  giveUp(err);
}
let running: Awaited<ReturnType<typeof start>>;
try {
  running = await start({ logger: log });
} catch (err) {
  giveUp(err, log);
}

const { url, seeded } = running;

/** The SIP addresses only when Kamailio and rtpengine really started (missing binaries were already logged). */
function telephonyLine(): string {
  const t = running.app.config.telephony;
  if (telephonyRuntime(running.app)) return `  SIP: udp ${t.listenHost}:${t.sipUdpPort}, WebSocket port ${t.sipWsPort}  (see /readyz)`;
  if (t.enabled) return '  Telephony: off (Kamailio or rtpengine is not installed; see the line above)';
  return '  Telephony: off (TELEPHONY=1 starts Kamailio and rtpengine; see docs/telephony.md)';
}
const lines = [
  '',
  `Switchboard is running.`,
  `  GraphQL (HTTP and WebSocket): ${url}/graphql`,
  `  Health: ${url}/healthz   Readiness: ${url}/readyz`,
  `  Widgets: ${url}/widgets/webchat.js, softphone.js, wallboard.js  (pages to try them: examples/widget-pages)`,
  telephonyLine(),
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
    `  Demo campaign id:    ${seeded.campaignId}  (createWidgetKey for another website)`,
    `  Demo queue id:       ${seeded.queueId}  (queue "Support"; the wallboard's queues=)`,
    `  Demo customer:       customer@example.com  (examples/crm-contact --email customer@example.com)`,
    `  Demo phone number:   ${seeded.phoneNumber}  (with TELEPHONY=1, calls from 127.0.0.1 reach the Support queue)`,
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
