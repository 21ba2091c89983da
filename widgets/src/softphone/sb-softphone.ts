import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { elementLanguage, translate } from '../core/i18n.js';
import { emit } from '../core/events.js';
import { theme } from '../core/theme.js';
import { socketUrl, type GraphqlSocket } from '../core/transport.js';
import { AgentDeskController, type DeskInteraction } from './agent-desk.controller.js';
import { SipController } from './sip.controller.js';
import { VoiceLine } from './voice-line.js';
import type { TransferChoice } from './softphone.views.js';
import { texts, type SoftphoneText } from './softphone.texts.js';
import { softphoneStyles } from './softphone.styles.js';
import { conversation, offerToast, signInForm, stateBar, voicePanel } from './softphone.views.js';

/**
 * The agent's softphone: sign-in, routing state, offers with accept/decline, the conversations
 * being handled with a disposition form at the end, the screen pop-up, and, when the tenant has
 * telephony, a WebRTC phone (JsSIP over WebSocket to Kamailio) with dial pad and call controls.
 *
 * @summary `<sb-softphone>`; the agent signs in in the widget, or the host page sets `token`.
 *
 * @attr token - An agent's access token from the host page (instead of the sign-in form).
 * @attr lang - `en`, `es` or `fr`; the browser's languages otherwise.
 * @attr api-url - The Switchboard API; by default the origin the script was loaded from.
 * @attr screen-pop - `event` (default): only fire `sb-screen-pop`; `window`: also open the URL in a new tab unless the host called preventDefault().
 *
 * @fires sb-signed-in - `detail: { agent: { id, name } }`.
 * @fires sb-signed-out - The agent signed out or the session ended.
 * @fires sb-agent-state - The routing state changed; `detail: { status, pauseReason }`.
 * @fires sb-offer - An interaction is offered; `detail: { interaction }`.
 * @fires sb-screen-pop - An accepted interaction's campaign has a screen pop-up; `detail: { url, interactionId }`. Cancelable.
 * @fires sb-interaction-closed - Closed with a disposition; `detail: { interactionId, dispositionId }`.
 *
 * @csspart sign-in - The sign-in form.
 * @csspart state - The state selector bar.
 * @csspart toast - An incoming offer (chat or call).
 * @csspart conversation - One interaction being handled.
 * @csspart composer - The reply box.
 * @csspart disposition - The disposition form.
 * @csspart dial - The dial pad (telephony only).
 * @csspart call - The call controls and timer (telephony only).
 *
 * @cssprop --sb-accent - Buttons and agent messages.
 * @cssprop --sb-accent-text - Text on the accent colour.
 * @cssprop --sb-surface - Background.
 * @cssprop --sb-surface-alt - Customer messages and keypad.
 * @cssprop --sb-text - Text colour.
 * @cssprop --sb-muted - Secondary text and borders.
 * @cssprop --sb-danger - Hang up and errors.
 * @cssprop --sb-radius - Corner radius.
 * @cssprop --sb-font - Font family.
 * @cssprop --sb-softphone-width - Widest the softphone grows (default 420px).
 */
export class SbSoftphone extends LitElement {
  static override properties = {
    token: { type: String },
    apiUrl: { type: String, attribute: 'api-url' },
    locale: { type: String, attribute: 'lang' },
    screenPop: { type: String, attribute: 'screen-pop' },
    voice: { state: true },
    pausing: { state: true },
  };
  static override styles = [theme, softphoneStyles];

  declare token: string;
  declare apiUrl: string | null;
  declare locale: string | null;
  declare screenPop: string;
  /** SIP credentials were given: the tenant has telephony. */
  declare voice: boolean;
  /** Paused is chosen in the selector but not applied yet (the reason is asked first). */
  declare pausing: boolean;

  private readonly desk = new AgentDeskController(this, () => ({ url: socketUrl(this.apiUrl, import.meta.url) }), {
    answered: (i) => this.popUp(i),
    ready: (socket) => void this.startVoice(socket),
  });
  private readonly sip = new SipController(this, () => this.renderRoot.querySelector('audio'));
  private line?: VoiceLine;
  /** The call transfer picker: targets loaded when it opens, the chosen `q:<id>` / `a:<id>`. */
  private readonly transferTo: TransferChoice = {
    value: '',
    targets: null,
    load: () => void this.line?.targets().then((t) => ((this.transferTo.targets = t), this.requestUpdate())).catch(() => {}),
    go: () => {
      const call = this.desk.handling.find((h) => h.interaction.channel === 'VOICE' && !h.closing);
      if (call && this.transferTo.value) void this.line?.transfer(call.interaction.id, this.transferTo.value).then(() => this.requestUpdate());
    },
  };
  private ticker?: ReturnType<typeof setInterval>;
  private seen = { agent: '', state: '', offers: new Set<string>() };

  constructor() {
    super();
    this.token = '';
    this.apiUrl = null;
    this.locale = null;
    this.screenPop = 'event';
    this.voice = false;
    this.pausing = false;
  }

  override connectedCallback() {
    super.connectedCallback();
    this.ticker = setInterval(() => this.sip.call?.answeredAt && this.requestUpdate(), 1000);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    clearInterval(this.ticker);
    this.line?.stop();
    this.line = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('token') && this.token) void this.desk.useToken(this.token);
  }

  protected override updated() {
    const { agent, status, pauseReason, offers } = this.desk;
    if ((agent?.id ?? '') !== this.seen.agent) {
      emit(this, agent ? 'sb-signed-in' : 'sb-signed-out', { agent });
      this.seen.agent = agent?.id ?? '';
      if (!agent) this.line?.stop(), (this.line = undefined), (this.voice = false);
    }
    if (agent && `${status}|${pauseReason}` !== this.seen.state) {
      this.seen.state = `${status}|${pauseReason}`;
      emit(this, 'sb-agent-state', { status, pauseReason });
    }
    for (const o of offers) if (!this.seen.offers.has(o.id)) this.seen.offers.add(o.id), emit(this, 'sb-offer', { interaction: o });
  }

  private t = (key: SoftphoneText, values?: Record<string, string | number>) => translate(texts, elementLanguage(this), key, values);

  /** The API says whether this platform gives the agent a phone (see `VoiceLine`). */
  private async startVoice(socket: GraphqlSocket) {
    this.line?.stop();
    this.line = new VoiceLine(socket, this.sip, (on) => (this.voice = on));
    await this.line.start();
  }

  private popUp(i: DeskInteraction) {
    if (!i.screenPopUrl) return;
    const go = emit(this, 'sb-screen-pop', { url: i.screenPopUrl, interactionId: i.id }, true);
    if (go && this.screenPop === 'window') window.open(i.screenPopUrl, '_blank', 'noopener');
  }

  private onSignIn(e: SubmitEvent) {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    void this.desk.signIn(String(data.get('email')), String(data.get('password')), String(data.get('tenant') ?? '').trim() || undefined);
  }

  private onState(e: SubmitEvent) {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const status = String(data.get('status') ?? '');
    if (!status) return;
    this.pausing = false;
    void this.desk.setState(status, status === 'PAUSED' ? String(data.get('reason') ?? '') : undefined);
  }

  private handlers(id: string) {
    return {
      send: async (e: SubmitEvent) => {
        e.preventDefault();
        const box = (e.target as HTMLFormElement).elements.namedItem('body') as HTMLTextAreaElement;
        if (box.value.trim() && (await this.desk.send(id, box.value))) box.value = '';
        this.desk.typing(id, false);
      },
      key: (e: KeyboardEvent) => {
        if (e.key === 'Enter' && !e.shiftKey) {
          e.preventDefault();
          (e.target as HTMLTextAreaElement).form!.requestSubmit();
        } else this.desk.typing(id, true);
      },
      end: () => this.desk.startClosing(id),
      back: () => this.desk.startClosing(id, false),
      close: async (e: SubmitEvent) => {
        e.preventDefault();
        const data = new FormData(e.target as HTMLFormElement);
        const dispositionId = String(data.get('disposition') ?? '') || null;
        await this.desk.close(id, dispositionId, String(data.get('notes') ?? ''));
        if (!this.desk.handling.some((h) => h.interaction.id === id)) emit(this, 'sb-interaction-closed', { interactionId: id, dispositionId });
      },
    };
  }

  /** With a phone in the widget a call is offered by its ringing (answered there), and the agent's own outgoing calls are no offers. */
  private toasts(offers: DeskInteraction[]) {
    return this.voice ? offers.filter((o) => o.channel !== 'VOICE') : offers.filter((o) => !(o.channel === 'VOICE' && o.direction === 'OUTBOUND'));
  }

  override render() {
    const { agent, error, connection, offers, handling } = this.desk;
    const lang = elementLanguage(this);
    const problem = error ? html`<p class="note error" role="alert">${this.t('error', { code: error })}</p>` : nothing;
    if (!agent) return html`<div lang=${lang}>${this.token ? nothing : signInForm(this.t, (e) => this.onSignIn(e))}${problem}</div>`;
    return html`<section aria-label=${this.t('softphone')} lang=${lang}>
      <h2>${agent.name}</h2>
      ${stateBar(this.t, this.desk, this.pausing, { apply: (e) => this.onState(e), pause: (on) => (this.pausing = on), signOut: () => void this.desk.signOut() })}
      ${connection !== 'open' ? html`<p class="note" role="status">${this.t('reconnecting')}</p>` : nothing} ${problem}
      ${this.toasts(offers).map((o) => offerToast(this.t, o, () => void this.desk.accept(o.id), () => void this.desk.decline(o.id)))}
      ${this.voice ? voicePanel(this.t, this.sip, this.transferTo) : nothing}
      ${handling.map((h) => conversation(this.t, h, this.handlers(h.interaction.id)))}
      ${!this.toasts(offers).length && !handling.length && !this.sip.call ? html`<p class="note">${this.t('noWork')}</p>` : nothing}
      ${this.voice ? html`<audio autoplay></audio>` : nothing}
    </section>`;
  }
}

customElements.define('sb-softphone', SbSoftphone);

declare global {
  interface HTMLElementTagNameMap {
    'sb-softphone': SbSoftphone;
  }
}
