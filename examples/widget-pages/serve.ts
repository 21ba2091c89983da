/**
 * Serves the three widget example pages as a separate website would: plain HTML on its own origin,
 * loading the widgets from the Switchboard API with one script tag each.
 *
 *   npx node --import tsx examples/widget-pages/serve.ts --api http://127.0.0.1:4000 --widget-key wk_... [--port 8080]
 *
 * then open http://127.0.0.1:8080/ (the chat), /agent-desktop.html and /wallboard.html.
 * The widget key must allow this origin: the demo's (printed at the first start) allows
 * http://127.0.0.1:8080 and localhost:8080; elsewhere `createWidgetKey(allowedOrigins: [...])`.
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const PAGES: Record<string, string> = {
  '/': 'website.html',
  '/index.html': 'website.html',
  '/agent-desktop.html': 'agent-desktop.html',
  '/wallboard.html': 'wallboard.html',
};

export interface PagesServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export interface PagesOptions {
  api: string;
  /** Read on every request, so it may be set once the server's origin is known. */
  widgetKey: string;
  port?: number;
  host?: string;
}

/** Starts the example website; `{{API}}` and `{{WIDGET_KEY}}` in the pages are filled in. */
export async function servePages(options: PagesOptions): Promise<PagesServer> {
  const server = createServer(async (request, response) => {
    const page = PAGES[new URL(request.url ?? '/', 'http://x').pathname];
    if (!page) return void response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    const values: Record<string, string> = { API: options.api.replace(/\/$/, ''), WIDGET_KEY: options.widgetKey };
    const html = (await readFile(join(import.meta.dirname, page), 'utf8')).replace(/\{\{(\w+)\}\}/g, (_all, name: string) => escapeAttribute(values[name] ?? ''));
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://${host}:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // browsers keep connections alive
      }),
  };
}

if (process.argv[1] === import.meta.filename) {
  const { values } = parseArgs({ options: { api: { type: 'string', default: 'http://127.0.0.1:4000' }, 'widget-key': { type: 'string' }, port: { type: 'string', default: '8080' } } });
  if (!values['widget-key']) {
    console.error('Give --widget-key wk_... (a widget key that allows http://127.0.0.1:<port>)');
    process.exit(2);
  }
  const pages = await servePages({ api: values.api!, widgetKey: values['widget-key'], port: Number(values.port) });
  console.log(`Example pages: ${pages.url}/ (chat)  ${pages.url}/agent-desktop.html  ${pages.url}/wallboard.html#key=<token>&queues=<ids>`);
}
