import { join } from 'node:path';
import type { TelephonyConfig } from '../../../platform/config.js';
import { recordingSpoolDir } from '../recordings/storage.js';
import { PID_FILES, runDirFor } from './leftovers.js';

/**
 * rtpengine's command line. Debian's /etc/rtpengine/rtpengine.conf assumes the kernel module, so no
 * config file is read: userspace forwarding (table -1), pcap recordings in the spool the calls side
 * converts from (<dataDir>/recordings/spool, `recordingSpoolDir`).
 */
export function rtpengineArgs(t: TelephonyConfig, dataDir: string): string[] {
  return [
    '--config-file=none',
    '--foreground',
    '--log-stderr',
    '--log-level=5',
    '--table=-1',
    `--interface=${t.listenHost}`,
    `--listen-ng=127.0.0.1:${t.rtpengineNgPort}`,
    `--port-min=${t.rtpPortMin}`,
    `--port-max=${t.rtpPortMax}`,
    '--num-threads=2',
    // calls are forgotten as soon as they are deleted: rtpengine 10.5 crashed at shutdown
    // (recording_finish) on calls still waiting out a delete delay
    '--delete-delay=0',
    // media timeouts, a backstop behind the API's media watch (calls/media-watch.ts), which ends a
    // call both ways as soon as ONE side is silent for CALL_MEDIA_TIMEOUT_SECONDS: rtpengine drops a
    // call (telling no one) only when every stream is silent that long (--timeout), a held or
    // inactive stream after an hour (--silent-timeout), and any call after Kamailio's own dialog
    // limit of 4 hours (--final-timeout); the watch then ends the dialog Kamailio still holds
    ...(t.callMediaTimeoutSeconds ? [`--timeout=${t.callMediaTimeoutSeconds}`] : []),
    '--silent-timeout=3600',
    '--final-timeout=14400',
    '--recording-method=pcap',
    `--recording-dir=${recordingSpoolDir({ dataDir })}`,
    // next to Kamailio's: a later start finds and stops an rtpengine this run leaves behind (leftovers.ts)
    `--pidfile=${join(runDirFor(dataDir, t.sipUdpPort), PID_FILES.rtpengine)}`,
  ];
}
