import { readFile, rm } from 'node:fs/promises';
import type { App } from '../../../platform/context.js';
import { platformEm } from '../../../platform/db/orm.js';
import { sqlOnce, sqlTransaction } from '../../../platform/db/sql.js';
import { Call, RecordingStatus } from '../calls/call.entity.js';
import { pcapToStereoWav } from './convert.js';
import { callerPorts, pcapPathOf } from './metadata.js';
import { finishedRecordings, recordingFile, recordingRefFor, recordingSpoolDir, storeRecording } from './storage.js';
import { appendStereoWav } from './wav.js';

/** Minutes after a recorded call ended before its missing recording is given up. */
const GIVE_UP_MINUTES = 10;

/**
 * Converts a finished call leg's pcap to the interaction's WAV and removes the raw files from the
 * spool. An interaction's recording is its legs one after the other (a transferred call: the first
 * agent's part, then the next one's), so a leg waits while an earlier leg of its interaction still
 * waits for its own recording. Under the leg's row lock, once per leg. False while rtpengine has not
 * finished the recording or an earlier leg is not attached yet (the calls job tries again).
 */
export async function attachRecording(app: App, tenantId: string, sipCallId: string, interactionId: string): Promise<boolean> {
  const [found] = await finishedRecordings(app.config, sipCallId);
  const pcapFile = found && pcapPathOf(found.metadata);
  if (!found || !pcapFile || !pcapFile.startsWith(recordingSpoolDir(app.config))) return false;
  // whose turn it is, and the conversion (CPU), before any lock
  const [turn] = await sqlOnce<{ pending: boolean; earlier: boolean }>(
    app.orm,
    `select c.recording = ? as pending,
            exists (select 1 from call e where e.interaction_id = c.interaction_id and e.tenant_id = c.tenant_id and e.id <> c.id
                      and e.started_at < c.started_at and e.recording = ?) as earlier
       from call c where c.sip_call_id = ? and c.interaction_id = ? and c.tenant_id = ?`,
    [RecordingStatus.PENDING, RecordingStatus.PENDING, sipCallId, interactionId, tenantId],
  );
  if (turn?.pending && turn.earlier) return false;
  const wav = turn?.pending ? pcapToStereoWav(await readFile(pcapFile), callerPorts(found.metadata)) : null;
  await sqlTransaction(app.orm, async (sql) => {
    const [leg] = await sql<{ id: string; recording: string | null }>(
      'select id, recording from call where sip_call_id = ? and interaction_id = ? and tenant_id = ? for update',
      [sipCallId, interactionId, tenantId],
    );
    // an earlier leg no longer PENDING (checked above) cannot become PENDING again: only the lock is left to take
    if (!leg || leg.recording !== RecordingStatus.PENDING || !wav) return; // attached already, or given up
    const [interaction] = await sql<{ recording_ref: string | null; transcript_purged_at: Date | null }>(
      'select recording_ref, transcript_purged_at from interaction where id = ? and tenant_id = ? for update',
      [interactionId, tenantId],
    );
    await sql('update call set recording = ? where id = ?', [RecordingStatus.ATTACHED, leg.id]);
    if (!interaction || interaction.transcript_purged_at) return;
    const ref = recordingRefFor(tenantId, interactionId);
    await sql('update interaction set recording_ref = ? where id = ? and tenant_id = ?', [ref, interactionId, tenantId]);
    const before = interaction.recording_ref ? await earlierParts(app.config, interaction.recording_ref) : null;
    const whole = before ? appendStereoWav(before, wav) : wav;
    // last, so that only a failing commit (not a failing statement) can leave the file ahead of the rows
    await storeRecording(app.config, ref, whole);
    app.log.info({ tenantId, interactionId, bytes: whole.length, legBytes: wav.length }, 'recording attached');
  });
  await rm(pcapFile, { force: true });
  await rm(found.metadataFile, { force: true });
  return true;
}

/** The interaction's WAV so far (its earlier legs); none only when the file is not there. */
async function earlierParts(config: App['config'], ref: string): Promise<Buffer | null> {
  try {
    return await readFile(recordingFile(config, ref));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
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
