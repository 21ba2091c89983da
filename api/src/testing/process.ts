/** Runs `npm start`'s entry point (api/src/main.ts) as a child process, as an operator would. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export { freePort } from '../platform/net.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface ApiProcess {
  child: ChildProcess;
  url: string;
  /** Everything the process printed on stdout so far. */
  output(): string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /**
   * Ctrl-C in a terminal: SIGINT to the whole process group (the API and every child it did not
   * put in a group of its own), then the exit code. Needs `spawnApi(..., { processGroup: true })`.
   */
  interrupt(): Promise<number | null>;
}

export interface SpawnApiOptions {
  /** The API leads its own process group, as `npm start` in a terminal does (see `interrupt()`). */
  processGroup?: boolean;
}

export async function spawnApi(env: Record<string, string | undefined>, timeoutMs = 60_000, options: SpawnApiOptions = {}): Promise<ApiProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.processGroup ?? false,
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`API did not start in time:\n${out}\n${err}`)), timeoutMs);
    const check = () => {
      const m = /GraphQL \(HTTP and WebSocket\): (http:\/\/\S+)\/graphql/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', check);
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`API exited with ${code} before starting:\n${out}\n${err}`));
    });
  });
  return {
    child,
    url,
    output: () => out,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
    async interrupt() {
      if (!options.processGroup) throw new Error('interrupt() needs spawnApi(..., { processGroup: true })');
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGINT');
      return exited;
    },
  };
}
