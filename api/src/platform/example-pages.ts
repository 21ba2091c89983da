/**
 * Where `examples/widget-pages/serve.ts` serves the shipped example pages by default
 * (`--port 8080`). A demo on this machine lets these origins use its chat widget key and open the
 * SIP WebSocket, so the example agent desktop works on the first try.
 */
export const EXAMPLE_PAGES_ORIGINS: readonly string[] = ['http://127.0.0.1:8080', 'http://localhost:8080'];

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Whether a URL points at this machine only (then the example pages' origins are let in by default). */
export function isLoopbackUrl(url: string): boolean {
  return LOOPBACK.has(new URL(url).hostname);
}
