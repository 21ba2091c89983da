import { access, constants } from 'node:fs/promises';
import type { TelephonyConfig } from '../../../platform/config.js';

/** The Debian packages the telephony runtime needs (also installed by .ci/run). */
export const TELEPHONY_PACKAGES = [
  'kamailio',
  'kamailio-postgres-modules',
  'kamailio-websocket-modules',
  'kamailio-json-modules',
  'kamailio-utils-modules',
  'kamailio-tls-modules',
  'kamailio-extra-modules',
  'rtpengine-daemon',
];

/** The configured binaries that are not there (or not executable). */
export async function missingBinaries(t: TelephonyConfig): Promise<string[]> {
  const missing: string[] = [];
  for (const bin of [t.kamailioBin, t.rtpengineBin]) {
    await access(bin, constants.X_OK).catch(() => missing.push(bin));
  }
  return missing;
}

/** The one line said when telephony is on but cannot run. */
export function missingBinariesLine(missing: string[]): string {
  return `Telephony is off: ${missing.join(' and ')} not found; install them with: apt-get install ${TELEPHONY_PACKAGES.join(' ')}`;
}
