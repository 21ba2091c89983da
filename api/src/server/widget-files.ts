import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';

/** Where `widgets/build.ts` writes the bundles (one ES module per widget). */
export const WIDGETS_DIST = join(import.meta.dirname, '..', '..', '..', 'widgets', 'dist');
const NAMES = new Set(['webchat', 'softphone', 'wallboard']);

/**
 * `GET /widgets/<name>.js`: the widget bundles, for any website (module scripts are fetched with
 * CORS, so the answer allows every origin; what a widget may do is checked by the API itself,
 * e.g. the widget key's allowed origins). Bundles are read once and kept in memory.
 */
export async function registerWidgetFiles(fastify: FastifyInstance): Promise<void> {
  const cache = new Map<string, Buffer>();
  fastify.get<{ Params: { file: string } }>('/widgets/:file', async (request, reply) => {
    const name = /^([a-z]+)\.js$/.exec(request.params.file)?.[1];
    if (!name || !NAMES.has(name)) return reply.code(404).send({ error: 'No such widget' });
    let body = cache.get(name);
    if (!body) {
      try {
        body = await readFile(join(WIDGETS_DIST, `${name}.js`));
      } catch {
        return reply.code(503).send({ error: 'The widgets are not built: run `npm run build:widgets`' });
      }
      cache.set(name, body);
    }
    return reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('access-control-allow-origin', '*')
      .header('cache-control', 'public, max-age=300')
      .header('x-content-type-options', 'nosniff')
      .send(body);
  });
}
