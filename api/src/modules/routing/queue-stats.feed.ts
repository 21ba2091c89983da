import { Repeater } from '@repeaterjs/repeater';
import type { App } from '../../platform/context.js';
import { tenantEm } from '../../platform/db/orm.js';
import { AGENT_STATE_CHANGED } from '../agents/agent-state.events.js';
import { INTERACTION_EVENT } from '../interactions/interaction.events.js';
import { queueStats, type QueueStatsType } from './queue-stats.js';

/** Wallboards want figures, not every event: at most one computation per tenant per this many ms. */
export const QUEUE_STATS_THROTTLE_MS = 500;

type Listener = (stats: QueueStatsType[]) => void;

/**
 * The live figures of one tenant's queues, shared by every `queueStats` subscriber of the tenant
 * on this instance: the tenant's interaction and agent events are heard once, a burst of them
 * leads to one computation of all its queues (at most one per QUEUE_STATS_THROTTLE_MS, never two
 * at once: events during a run lead to one more run after it), and each subscriber gets its own
 * queues out of that result. The feed stops listening when its last subscriber leaves.
 */
class TenantFeed {
  private readonly listeners = new Set<Listener>();
  private changes: AsyncIterator<unknown> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private dirty = false;
  private last = 0;

  constructor(
    private readonly app: App,
    private readonly tenantId: string,
    private readonly onEmpty: () => void,
  ) {}

  add(listener: Listener): void {
    this.listeners.add(listener);
    if (!this.changes) this.listen();
  }

  remove(listener: Listener): void {
    this.listeners.delete(listener);
    if (this.listeners.size) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    void this.changes?.return?.();
    this.changes = undefined;
    this.onEmpty();
  }

  private listen(): void {
    const changes = Repeater.merge([
      this.app.events.pubSub.subscribe(INTERACTION_EVENT, this.tenantId),
      this.app.events.pubSub.subscribe(AGENT_STATE_CHANGED, this.tenantId),
    ]);
    this.changes = changes;
    void (async () => {
      for await (const _ of changes) {
        this.dirty = true;
        this.schedule();
      }
    })().catch((err) => this.app.log.error({ err, tenantId: this.tenantId }, 'queue statistics: event stream failed'));
  }

  private schedule(): void {
    if (this.running || this.timer || !this.listeners.size) return;
    this.timer = setTimeout(() => void this.run(), Math.max(0, QUEUE_STATS_THROTTLE_MS - (Date.now() - this.last)));
  }

  private async run(): Promise<void> {
    this.timer = undefined;
    if (!this.dirty) return;
    this.dirty = false;
    this.running = true;
    this.last = Date.now();
    try {
      const stats = await queueStats(tenantEm(this.app.orm, this.tenantId), this.tenantId, [], this.app.clock.now());
      for (const listener of this.listeners) listener(stats);
    } catch (err) {
      this.app.log.error({ err, tenantId: this.tenantId }, 'queue statistics: computation failed');
    } finally {
      this.running = false;
      if (this.dirty) this.schedule();
    }
  }
}

const feeds = new WeakMap<App, Map<string, TenantFeed>>();

/**
 * A subscriber's stream: `first` (computed for it, which also checked its queue ids), then its
 * queues out of every shared computation of the tenant's figures.
 */
export function queueStatsStream(app: App, tenantId: string, queueIds: readonly string[], first: QueueStatsType[]): Repeater<QueueStatsType[]> {
  const wanted = new Set(queueIds);
  return new Repeater<QueueStatsType[]>(async (push, stop) => {
    const delivered = push(first); // before anything the feed pushes
    let byTenant = feeds.get(app);
    if (!byTenant) feeds.set(app, (byTenant = new Map()));
    let feed = byTenant.get(tenantId);
    if (!feed) {
      const map = byTenant;
      feed = new TenantFeed(app, tenantId, () => map.delete(tenantId));
      byTenant.set(tenantId, feed);
    }
    const listener: Listener = (all) => void push(wanted.size ? all.filter((s) => wanted.has(s.queueId)) : all).catch(() => {});
    feed.add(listener);
    await delivered;
    await stop;
    feed.remove(listener);
  });
}
