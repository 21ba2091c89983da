import { readFile, rm } from 'node:fs/promises';
import type { App } from '../../../platform/context.js';
import { platformEm, tenantEm } from '../../../platform/db/orm.js';
import { Interaction } from '../../interactions/interaction.entity.js';
import { Call, RecordingStatus } from '../calls/call.entity.js';
import { pcapToStereoWav } from './convert.js';
import { callerPorts, pcapPathOf } from './metadata.js';
import { finishedRecordings, recordingRefFor, recordingSpoolDir, storeRecording } from './storage.js';

/** Minutes after a recorded call ended before its missing recording is given up. */
const GIVE_UP_MINUTES = 10;

/**
 * Converts a finished call's pcap to the interaction's WAV and removes the raw files from the
 * spool. False while rtpengine has not finished the recording (the sweep tries again).
 */
export async function attachRecording(app: App, tenantId: string, sipCallId: string, interactionId: string): Promise<boolean> {
  const [found] = await finishedRecordings(app.config, sipCallId);
  const pcapFile = found && pcapPathOf(found.metadata);
  if (!found || !pcapFile || !pcapFile.startsWith(recordingSpoolDir(app.config))) return false;
  const wav = pcapToStereoWav(await readFile(pcapFile), callerPorts(found.metadata));
  const ref = recordingRefFor(tenantId, interactionId);
  await storeRecording(app.config, ref, wav);
  const em = tenantEm(app.orm, tenantId);
  await em.nativeUpdate(Interaction, { id: interactionId, tenant: tenantId, transcriptPurgedAt: null }, { recordingRef: ref });
  await em.nativeUpdate(Call, { sipCallId, tenant: tenantId }, { recording: RecordingStatus.ATTACHED });
  await rm(pcapFile, { force: true });
  await rm(found.metadataFile, { force: true });
  app.log.info({ tenantId, interactionId, bytes: wav.length }, 'recording attached');
  return true;
}

/** Recorded calls that ended and still wait for their WAV: attach what is ready, give up on the old ones. */
export async function sweepRecordings(app: App): Promise<void> {
  const em = platformEm(app.orm);
  const pending = await em.find(Call, { recording: RecordingStatus.PENDING, endedAt: { $ne: null } }, { limit: 100, orderBy: { endedAt: 'asc' } });
  const giveUpBefore = app.clock.now().getTime() - GIVE_UP_MINUTES * 60_000;
  for (const call of pending) {
    if (!call.interaction) continue;
    const done = await attachRecording(app, call.tenant.id, call.sipCallId, call.interaction.id).catch((err) => {
      app.log.error({ err, callId: call.id }, 'recording conversion failed');
      return false;
    });
    if (!done && call.endedAt!.getTime() < giveUpBefore) {
      await em.nativeUpdate(Call, { id: call.id }, { recording: RecordingStatus.MISSING });
      app.log.warn({ tenantId: call.tenant.id, callId: call.id }, 'no recording turned up for a recorded call');
    }
  }
}
