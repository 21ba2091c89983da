import type { App } from '../../../platform/context.js';
import { platformEm } from '../../../platform/db/orm.js';
import { sweepRecordings } from '../recordings/attach.js';
import { applyCallEvent } from './call-events.js';
import { abandonLostTransfers } from '../transfers/lost-transfers.js';
import { registerWaitingCalls } from '../waiting/waiting-calls.js';

/**
 * Voice offers whose ringing should long be over (ring time + grace, see inbound.ts) without
 * Kamailio telling us: the call is treated as not answered (408) and ends, which frees the agent
 * and the channel. Routing's own sweep leaves voice offers to this: a call cannot wait in a queue.
 */
export async function expireUnansweredCalls(app: App): Promise<number> {
  const rows = await platformEm(app.orm).getConnection().execute<{ sip_call_id: string; interaction_id: string }[]>(
    `select c.sip_call_id, c.interaction_id from interaction i join call c on c.interaction_id = i.id
      where i.channel = 'VOICE' and i.state = 'OFFERED' and i.offer_expires_at <= ? and c.ended_at is null limit 200`,
    [app.clock.now()],
  );
  for (const r of rows) {
    await applyCallEvent(app, { callId: r.sip_call_id, interactionId: r.interaction_id, event: 'failed', code: 408, by: 'api', at: app.clock.now().getTime() });
  }
  return rows.length;
}

export const CALLS_QUEUE = 'telephony-calls';

/** Every minute, once across instances: stale offers, transfers whose new leg never came, then recordings rtpengine finished late. */
export async function registerCallJobs(app: App): Promise<void> {
  registerWaitingCalls(app);
  await app.jobs.work(CALLS_QUEUE, async () => {
    await expireUnansweredCalls(app);
    await abandonLostTransfers(app);
    await sweepRecordings(app);
  });
  await app.jobs.schedule(CALLS_QUEUE, '* * * * *');
}
