import type { FastifyInstance } from 'fastify';

/**
 * GET / : what a person opening the API's address in a browser sees, instead of a JSON 404: where
 * the API, health, status page, widgets, example pages and documentation are. Static HTML (no
 * script); the security headers of every HTML page come from http-hardening.ts.
 */
const HOME_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Switchboard</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 44rem; margin: 2rem auto; padding: 0 1rem; color: #1f2937; }
  h1 { font-size: 1.6rem; } h2 { font-size: 1.15rem; margin-top: 1.6rem; }
  code { background: #f3f4f6; padding: 0 .25rem; border-radius: 3px; }
  a { color: #0f5fa8; }
</style>
</head>
<body>
<main>
<h1>Switchboard is running</h1>
<p>This address is the Switchboard API. Nothing here needs a sign-in, but the API does.</p>
<h2>API</h2>
<ul>
  <li><a href="/graphql">/graphql</a>: the GraphQL endpoint (POST, a WebSocket, or GET for queries with the <code>apollo-require-preflight: true</code> header); the whole schema is <code>schema/schema.graphql</code> in the repository.</li>
  <li><a href="/healthz">/healthz</a> and <a href="/readyz">/readyz</a>: health and readiness (database, Redis, telephony).</li>
  <li><a href="/status">/status</a>: the public status page (and its <a href="/status/feed.atom">Atom feed</a>).</li>
</ul>
<h2>Widgets and example pages</h2>
<ul>
  <li>Bundles: <a href="/widgets/webchat.js">/widgets/webchat.js</a>, <a href="/widgets/softphone.js">/widgets/softphone.js</a>, <a href="/widgets/wallboard.js">/widgets/wallboard.js</a>.</li>
  <li>Example pages (a website with the chat, an agent desktop, a wallboard) are a separate small website:
    <code>npx node --import tsx examples/widget-pages/serve.ts --widget-key wk_...</code>
    (the demo chat widget key printed at the first start), then open
    <a href="http://127.0.0.1:8080/">http://127.0.0.1:8080/</a> and
    <a href="http://127.0.0.1:8080/agent-desktop.html">/agent-desktop.html</a>.</li>
</ul>
<h2>Documentation (in the repository)</h2>
<ul>
  <li><code>README.md</code>: quick start, configuration, errors, the demo tenant.</li>
  <li><code>widgets/README.md</code>: the chat, softphone and wallboard elements.</li>
  <li><code>sdk/README.md</code> and <code>examples/</code>: the typed client and runnable integrations.</li>
  <li><code>docs/architecture.md</code>, <code>docs/telephony.md</code>, <code>docs/security.md</code>: how it works and how to run it.</li>
</ul>
</main>
</body>
</html>
`;

export function registerHomePage(fastify: FastifyInstance): void {
  fastify.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(HOME_PAGE));
}
