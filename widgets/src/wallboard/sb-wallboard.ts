import { LitElement, css, html, nothing } from 'lit';
import { elementLanguage, formatDuration, translate } from '../core/i18n.js';
import { emit } from '../core/events.js';
import { theme } from '../core/theme.js';
import { socketUrl } from '../core/transport.js';
import { QueueStatsController, type QueueStats } from './queue-stats.controller.js';
import { texts } from './wallboard.texts.js';

/**
 * Large-screen queue figures: one tile per queue, driven only by the `queueStats` subscription.
 * While the connection is down the last figures stay, dimmed, under a visible offline notice.
 *
 * @summary `<sb-wallboard queue-ids="id1,id2">` with a supervisor's access token or an API key in `token`.
 *
 * @attr queue-ids - Comma-separated queue ids; empty means every queue of the tenant.
 * @attr token - An access token or API key with the AGENTS_MONITOR right (prefer setting the `token` property).
 * @attr lang - `en`, `es` or `fr`; the browser's languages otherwise.
 * @attr api-url - The Switchboard API; by default the origin the script was loaded from.
 *
 * @fires sb-wallboard-status - The connection changed; `detail: { live, problem }`.
 *
 * @csspart board - The grid of tiles.
 * @csspart tile - One queue.
 * @csspart figure - One number with its label.
 * @csspart status - The live/offline indicator.
 *
 * @cssprop --sb-surface - Tile background.
 * @cssprop --sb-surface-alt - Agent-state chips.
 * @cssprop --sb-text - Text colour.
 * @cssprop --sb-muted - Labels.
 * @cssprop --sb-danger - Offline indicator and long waits.
 * @cssprop --sb-ok - Live indicator.
 * @cssprop --sb-wallboard-min-tile - Narrowest tile (default 320px).
 * @cssprop --sb-font - Font family.
 */
export class SbWallboard extends LitElement {
  static override properties = {
    queueIds: { type: String, attribute: 'queue-ids' },
    token: { type: String },
    apiUrl: { type: String, attribute: 'api-url' },
    locale: { type: String, attribute: 'lang' },
  };
  static override styles = [
    theme,
    css`
      :host {
        display: block;
        padding: 16px;
        font-size: clamp(14px, 1.3vw, 22px);
      }
      .top {
        display: flex;
        justify-content: space-between;
        align-items: center;
        margin-bottom: 12px;
      }
      h1 {
        margin: 0;
        font-size: 1.4em;
      }
      .status {
        padding: 0.3em 0.8em;
        border-radius: 999px;
        font-weight: 600;
        background: var(--_ok);
        color: #fff;
      }
      .status.stale {
        background: var(--_danger);
      }
      .board {
        display: grid;
        gap: 16px;
        grid-template-columns: repeat(auto-fill, minmax(var(--sb-wallboard-min-tile, 320px), 1fr));
      }
      .tile {
        background: var(--_surface);
        border-radius: var(--_radius);
        padding: 16px;
        display: grid;
        gap: 12px;
      }
      .stale .tile {
        opacity: 0.55;
      }
      h2 {
        margin: 0;
        font-size: 1.2em;
      }
      dl {
        margin: 0;
        display: grid;
        grid-template-columns: repeat(3, 1fr);
        gap: 10px;
      }
      .figure {
        display: flex;
        flex-direction: column-reverse;
      }
      dt {
        color: var(--_muted);
        font-size: 0.8em;
      }
      dd {
        margin: 0;
        font-size: 2.2em;
        font-weight: 700;
        font-variant-numeric: tabular-nums;
        white-space: nowrap;
      }
      .agents {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
        margin: 0;
        padding: 0;
        list-style: none;
      }
      .agents li {
        background: var(--_surface-alt);
        border-radius: 999px;
        padding: 0.2em 0.7em;
        font-size: 0.85em;
      }
    `,
  ];

  declare queueIds: string;
  declare token: string;
  declare apiUrl: string | null;
  declare locale: string | null;

  private readonly feed = new QueueStatsController(this, () => ({
    url: socketUrl(this.apiUrl, import.meta.url),
    token: this.token,
    queueIds: this.queueIds.split(',').map((s) => s.trim()).filter(Boolean),
  }));
  private clock?: ReturnType<typeof setInterval>;
  private lastStatus = '';

  constructor() {
    super();
    this.queueIds = '';
    this.token = '';
    this.apiUrl = null;
    this.locale = null;
  }

  override connectedCallback() {
    super.connectedCallback();
    // Waits grow between updates: redraw them every second from the last figures.
    this.clock = setInterval(() => this.requestUpdate(), 1000);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    clearInterval(this.clock);
  }

  private t(key: keyof (typeof texts)['en'], values?: Record<string, string | number>) {
    return translate(texts, elementLanguage(this), key, values);
  }

  protected override updated() {
    const status = `${this.feed.stale}|${this.feed.problem}`;
    if (status !== this.lastStatus) {
      this.lastStatus = status;
      emit(this, 'sb-wallboard-status', { live: !this.feed.stale, problem: this.feed.problem });
    }
  }

  override render() {
    const { stale, stats, receivedAt, problem, connection } = this.feed;
    const lang = elementLanguage(this);
    const label = problem && problem !== 'NETWORK' && connection === 'offline' ? this.t('refused', { code: problem }) : stale ? (connection === 'connecting' && !receivedAt ? this.t('connecting') : this.t('stale')) : this.t('live');
    return html`<section aria-labelledby="title" class=${stale ? 'stale' : ''} lang=${lang}>
      <div class="top">
        <h1 id="title">${this.t('board')}</h1>
        <p class="status ${stale ? 'stale' : ''}" part="status" role="status">
          ${label}${receivedAt ? html` · ${this.t('updated', { time: receivedAt.toLocaleTimeString(lang) })}` : nothing}
        </p>
      </div>
      <div class="board" part="board">
        ${receivedAt && !stats.length ? html`<p>${this.t('noQueues')}</p>` : stats.map((s) => this.renderTile(s, stale))}
      </div>
    </section>`;
  }

  private renderTile(s: QueueStats, stale: boolean) {
    const sinceUpdate = stale ? 0 : Math.max(0, (Date.now() - new Date(s.at).getTime()) / 1000);
    const longest = s.waiting ? s.longestWaitSeconds + sinceUpdate : 0;
    const level = s.serviceLevel === null ? '–' : `${Math.round(s.serviceLevel * 100)}%`;
    const figure = (name: string, label: string, value: string | number) =>
      html`<div class="figure" part="figure" data-figure=${name}><dt>${label}</dt><dd>${value}</dd></div>`;
    return html`<article class="tile" part="tile" aria-labelledby="q-${s.queueId}" data-queue=${s.queueId}>
      <h2 id="q-${s.queueId}">${s.queueName}</h2>
      <dl>
        ${figure('waiting', this.t('waiting'), s.waiting)} ${figure('longest-wait', this.t('longestWait'), formatDuration(longest))}
        ${figure('service-level', this.t('serviceLevel'), level)} ${figure('answered', this.t('answered'), s.answeredToday)}
        ${figure('abandoned', this.t('abandoned'), s.abandonedToday)}
      </dl>
      <ul class="agents" aria-label=${this.t('agents')}>
        <li data-state="available">${this.t('available')}: ${s.agentsAvailable}</li>
        <li data-state="busy">${this.t('busy')}: ${s.agentsBusy}</li>
        <li data-state="paused">${this.t('paused')}: ${s.agentsPaused}</li>
        <li data-state="wrap-up">${this.t('wrapUp')}: ${s.agentsWrapUp}</li>
        <li data-state="offline">${this.t('offline')}: ${s.agentsOffline}</li>
      </ul>
    </article>`;
  }
}

customElements.define('sb-wallboard', SbWallboard);

declare global {
  interface HTMLElementTagNameMap {
    'sb-wallboard': SbWallboard;
  }
}
