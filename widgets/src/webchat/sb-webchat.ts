import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { elementLanguage, translate } from '../core/i18n.js';
import { emit } from '../core/events.js';
import { theme } from '../core/theme.js';
import { socketUrl } from '../core/transport.js';
import { VisitorChatController, type ChatMessage } from './visitor-chat.controller.js';
import { texts } from './webchat.texts.js';
import { webchatStyles } from './webchat.styles.js';

const ICON = html`<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z" /></svg>`;

/**
 * A website chat: a launcher button and a conversation panel for a visitor of the tenant's site.
 *
 * @summary `<sb-webchat widget-key="wk_...">` (the widget key names the campaign and its allowed origins)
 *
 * @attr widget-key - The public widget key (required).
 * @attr lang - `en`, `es` or `fr`; the browser's languages otherwise.
 * @attr api-url - The Switchboard API; by default the origin the script was loaded from.
 * @attr open - Present while the panel is open.
 *
 * @fires sb-webchat-toggle - The panel opened or closed; `detail: { open }`.
 * @fires sb-webchat-started - The visitor started a chat; `detail: { outcome }` (`QUEUED`, `LEFT_MESSAGE`, `CLOSED`).
 * @fires sb-webchat-message - A message arrived or was sent; `detail: { message }` (`id`, `sender`, `agentName`, `body`, `createdAt`).
 *
 * @csspart launcher - The round button that opens the chat.
 * @csspart badge - The unread count on the launcher.
 * @csspart panel - The conversation panel.
 * @csspart header - The panel's title bar (title, agent name).
 * @csspart log - The list of messages.
 * @csspart message - Each message (also `message-customer` or `message-agent`).
 * @csspart composer - The text box and send button.
 * @csspart form - The form before a chat (or the out-of-hours form).
 *
 * @cssprop --sb-accent - Launcher, header and visitor bubbles (default #1d4ed8).
 * @cssprop --sb-accent-text - Text on the accent colour.
 * @cssprop --sb-surface - Panel background.
 * @cssprop --sb-surface-alt - Agent bubbles.
 * @cssprop --sb-text - Text colour.
 * @cssprop --sb-muted - Secondary text and borders.
 * @cssprop --sb-radius - Corner radius.
 * @cssprop --sb-font - Font family.
 * @cssprop --sb-webchat-offset - Distance from the bottom-right corner.
 * @cssprop --sb-z-index - Stacking order of the launcher and panel.
 */
export class SbWebchat extends LitElement {
  static override properties = {
    widgetKey: { type: String, attribute: 'widget-key' },
    apiUrl: { type: String, attribute: 'api-url' },
    locale: { type: String, attribute: 'lang' },
    open: { type: Boolean, reflect: true },
  };
  static override styles = [theme, webchatStyles];

  declare widgetKey: string;
  declare apiUrl: string | null;
  declare locale: string | null;
  declare open: boolean;

  private readonly chat = new VisitorChatController(this, () => ({ widgetKey: this.widgetKey, url: socketUrl(this.apiUrl, import.meta.url) }));
  private announced = 0;

  constructor() {
    super();
    this.widgetKey = '';
    this.apiUrl = null;
    this.locale = null;
    this.open = false;
  }

  get isOpen() {
    return this.open;
  }

  private t(key: keyof (typeof texts)['en'], values?: Record<string, string | number>) {
    return translate(texts, elementLanguage(this), key, values);
  }

  private toggle(open = !this.open) {
    this.open = open;
    if (open) this.chat.markRead();
    emit(this, 'sb-webchat-toggle', { open });
    if (!open) this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.launcher')?.focus());
  }

  protected override updated(changed: PropertyValues<this>) {
    const messages = this.chat.messages;
    for (const message of messages.slice(this.announced)) emit<{ message: ChatMessage }>(this, 'sb-webchat-message', { message });
    this.announced = messages.length;
    if (changed.has('open') && this.open) this.renderRoot.querySelector<HTMLElement>('input, textarea')?.focus();
    const log = this.renderRoot.querySelector('.body');
    if (log) log.scrollTop = log.scrollHeight;
  }

  private onKeydown(event: KeyboardEvent) {
    if (event.key === 'Escape' && this.open) this.toggle(false);
  }

  private async onStart(event: SubmitEvent) {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const value = (name: string) => String(data.get(name) ?? '').trim() || undefined;
    const message = value('message');
    if (!message) return;
    await this.chat.start({ name: value('name'), email: value('email'), message });
    emit(this, 'sb-webchat-started', { outcome: this.chat.phase === 'left' ? 'LEFT_MESSAGE' : this.chat.phase === 'closed' ? 'CLOSED' : 'QUEUED' });
  }

  private async onSend(event: Event) {
    event.preventDefault();
    const box = this.renderRoot.querySelector<HTMLTextAreaElement>('.composer textarea')!;
    if (await this.chat.send(box.value)) box.value = '';
    box.focus();
  }

  private onComposerKey(event: KeyboardEvent) {
    if (event.key === 'Enter' && !event.shiftKey) this.onSend(event);
    else this.chat.typing();
  }

  override render() {
    const { unread } = this.chat;
    return html`<div @keydown=${this.onKeydown}>
      ${this.open ? this.renderPanel() : nothing}
      <button
        class="launcher"
        part="launcher"
        aria-expanded=${this.open ? 'true' : 'false'}
        aria-controls=${this.open ? 'panel' : nothing}
        aria-label=${this.open ? this.t('close') : unread ? `${this.t('open')}, ${this.t('unread', { n: unread })}` : this.t('open')}
        @click=${() => this.toggle()}
      >
        ${ICON}${unread && !this.open ? html`<span class="badge" part="badge" aria-hidden="true">${unread}</span>` : nothing}
      </button>
    </div>`;
  }

  private renderPanel() {
    const { phase, agentName } = this.chat;
    return html`<section id="panel" class="panel" part="panel" role="dialog" aria-labelledby="title" lang=${elementLanguage(this)}>
      <header part="header">
        <h2 id="title">${this.t('title')}${agentName ? html`<span class="agent">${agentName}</span>` : nothing}</h2>
        ${phase === 'chatting' ? html`<button type="button" @click=${() => this.chat.leave()}>${this.t('endChat')}</button>` : nothing}
        <button type="button" aria-label=${this.t('close')} @click=${() => this.toggle(false)}>×</button>
      </header>
      <div class="body">${this.renderBody()}</div>
      ${phase === 'chatting' || phase === 'left' ? this.renderComposer() : nothing}
    </section>`;
  }

  private renderBody() {
    const { phase, notice, error, connection } = this.chat;
    const failure = error ? html`<p class="note error" role="alert">${error === 'ORIGIN_NOT_ALLOWED' || phase === 'unavailable' ? this.t('unavailable') : this.t('failed')}</p>` : nothing;
    const offline = connection !== 'open' && phase !== 'loading' ? html`<p class="note" role="status">${this.t('reconnecting')}</p>` : nothing;
    switch (phase) {
      case 'loading':
        return offline;
      case 'unavailable':
        return failure;
      case 'closed':
        return html`<h3>${this.t('closedTitle')}</h3>${notice ? html`<p>${notice}</p>` : nothing}`;
      case 'form':
      case 'away-form':
        return html`${this.renderForm(phase === 'away-form')}${failure}${offline}`;
      default:
        return html`${this.renderLog()}${failure}${offline}`;
    }
  }

  private renderForm(away: boolean) {
    const notice = this.chat.notice;
    return html`<form part="form" @submit=${this.onStart}>
      <p class="note">${away ? this.t('awayIntro') : this.t('intro')}</p>
      ${notice ? html`<p class="note">${notice}</p>` : nothing}
      <label>${this.t('name')}<input name="name" autocomplete="name" maxlength="200" /></label>
      <label>${away ? this.t('emailRequired') : this.t('email')}<input name="email" type="email" autocomplete="email" maxlength="254" ?required=${away} /></label>
      <label>${this.t('message')}<textarea name="message" required maxlength="2000" rows="3"></textarea></label>
      <button type="submit">${away ? this.t('leaveMessage') : this.t('start')}</button>
    </form>`;
  }

  private renderLog() {
    const { messages, phase, agentName, agentTyping } = this.chat;
    const status =
      phase === 'ended' ? this.t('ended') : phase === 'left' ? this.t('left') : agentTyping ? this.t('typing', { name: agentName ?? this.t('agent') }) : !agentName ? this.t('waiting') : '';
    return html`<div role="log" aria-live="polite" aria-label=${this.t('conversation')}><ol part="log">
        ${messages.map(
          (m) =>
            html`<li class=${m.sender} part="message message-${m.sender === 'CUSTOMER' ? 'customer' : 'agent'}"><span class="who">${m.sender === 'CUSTOMER' ? this.t('you') : (m.agentName ?? agentName ?? this.t('agent'))}</span><span class="text">${m.body}</span></li>`,
        )}
      </ol></div>
      <p class="note" role="status">${status}</p>
      ${phase === 'ended' ? html`<button type="button" @click=${() => this.chat.leave()}>${this.t('newChat')}</button>` : nothing}`;
  }

  private renderComposer() {
    return html`<form class="composer" part="composer" @submit=${this.onSend}>
      <label class="visually-hidden" for="compose">${this.t('compose')}</label>
      <textarea id="compose" maxlength="2000" placeholder=${this.t('compose')} @keydown=${this.onComposerKey}></textarea>
      <button type="submit">${this.t('send')}</button>
    </form>`;
  }
}

customElements.define('sb-webchat', SbWebchat);

declare global {
  interface HTMLElementTagNameMap {
    'sb-webchat': SbWebchat;
  }
}
