import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import type { Config } from '../../../platform/config.js';

/** Where rtpengine writes its pcap recordings (`--recording-dir`): `<DATA_DIR>/recordings/spool`. */
export const recordingSpoolDir = (config: Pick<Config, 'dataDir'>) => join(config.dataDir, 'recordings', 'spool');

/** Where the converted WAVs live: `<DATA_DIR>/recordings/calls/<tenant id>/<interaction id>.wav`. */
const storeDir = (config: Pick<Config, 'dataDir'>) => join(config.dataDir, 'recordings', 'calls');

export const recordingRefFor = (tenantId: string, interactionId: string) => `${tenantId}/${interactionId}.wav`;

/** The file of a recording reference; refuses anything that would leave the store. */
export function recordingFile(config: Pick<Config, 'dataDir'>, ref: string): string {
  if (!/^[0-9a-f-]{36}\/[0-9a-f-]{36}\.wav$/.test(ref)) throw new Error(`bad recording reference ${ref}`);
  return normalize(join(storeDir(config), ref));
}

export async function storeRecording(config: Pick<Config, 'dataDir'>, ref: string, wav: Buffer): Promise<void> {
  const file = recordingFile(config, ref);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(`${file}.part`, wav);
  await rm(file, { force: true });
  await writeFile(file, wav);
  await rm(`${file}.part`, { force: true });
}

export async function deleteRecording(config: Pick<Config, 'dataDir'>, ref: string): Promise<void> {
  await rm(recordingFile(config, ref), { force: true });
}

const META_PREFIX = 'rtpengine-meta-';

/**
 * The finished metadata files of a call in the spool (rtpengine moves a recording's metadata to
 * `metadata/` when the call is deleted, i.e. when its pcap is complete). rtpengine names them
 * `rtpengine-meta-<url-escaped Call-ID>-<16 hex>.txt`.
 */
export async function finishedRecordings(config: Pick<Config, 'dataDir'>, sipCallId: string): Promise<{ metadataFile: string; metadata: string }[]> {
  const dir = join(recordingSpoolDir(config), 'metadata');
  const names = await readdir(dir).catch(() => [] as string[]);
  const mine = names.filter((name) => {
    const m = /^rtpengine-meta-(.*)-[0-9a-f]{16}\.txt$/.exec(name);
    if (!m || !name.startsWith(META_PREFIX)) return false;
    try {
      return decodeURIComponent(m[1]!) === sipCallId;
    } catch {
      return false;
    }
  });
  return Promise.all(mine.sort().map(async (name) => ({ metadataFile: join(dir, name), metadata: await readFile(join(dir, name), 'utf8') })));
}
