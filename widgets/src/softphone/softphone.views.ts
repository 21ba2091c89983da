import { html, nothing } from 'lit';
import { formatDuration } from '../core/i18n.js';
import type { AgentDeskController, DeskInteraction, Handling } from './agent-desk.controller.js';
import type { SipController } from './sip.controller.js';
import type { SoftphoneText } from './softphone.texts.js';
import './sb-dialpad.js';
import type { TransferTargets } from './voice-line.js';

type T = (key: SoftphoneText, values?: Record<string, string | number>) => string;
/** A call without a caller number (withheld) reads as anonymous. */
const who = (t: T, i: DeskInteraction) => i.contact?.name || i.customerAddress || (i.channel === 'VOICE' ? t('anonymous') : '?');
/** The other end of a SIP call: an empty or `anonymous` From user (RFC 3323) reads as anonymous. */
export const remoteName = (t: T, remote: string) => (!remote || /^anonymous$/i.test(remote) ? t('anonymous') : remote);

export function signInForm(t: T, submit: (e: SubmitEvent) => void) {
  return html`<form part="sign-in" @submit=${submit}>
    <h2>${t('signIn')}</h2>
    <label>${t('email')}<input name="email" type="email" autocomplete="username" required /></label>
    <label>${t('password')}<input name="password" type="password" autocomplete="current-password" required /></label>
    <label>${t('tenant')}<input name="tenant" autocomplete="organization" /></label>
    <button type="submit">${t('signIn')}</button>
  </form>`;
}

/** Choosing Available or Offline applies at once; Paused first asks for the reason. */
export function stateBar(t: T, desk: AgentDeskController, pausing: boolean, on: { apply(e: SubmitEvent): void; pause(on: boolean): void; signOut(): void }) {
  const chosen = pausing ? 'PAUSED' : ['AVAILABLE', 'PAUSED', 'OFFLINE'].includes(desk.status) ? desk.status : '';
  const change = (e: Event) => {
    const select = e.target as HTMLSelectElement;
    on.pause(select.value === 'PAUSED');
    if (select.value !== 'PAUSED') select.form!.requestSubmit();
  };
  return html`<form class="bar" part="state" @submit=${on.apply}>
    <label
      >${t('state')}
      <select name="status" @change=${change}>
        ${chosen ? nothing : html`<option value="" selected disabled>${t(desk.status as SoftphoneText)}</option>`}
        ${['AVAILABLE', 'PAUSED', 'OFFLINE'].map((s) => html`<option value=${s} ?selected=${s === chosen}>${t(s as SoftphoneText)}</option>`)}
      </select>
    </label>
    ${chosen === 'PAUSED'
      ? html`<label>${t('pauseReason')}<input name="reason" maxlength="100" required .value=${desk.pauseReason ?? ''} /></label>
          <button type="submit" class="secondary">${t('apply')}</button>`
      : nothing}
    <button type="button" class="secondary" @click=${on.signOut}>${t('signOut')}</button>
  </form>`;
}

export function offerToast(t: T, i: DeskInteraction, accept: () => void, decline: () => void) {
  return html`<div class="toast" part="toast" role="alert" data-interaction=${i.id}>
    <strong>${t('offer', { channel: i.channel.toLowerCase(), from: who(t, i) })}</strong>
    <div class="actions">
      <button type="button" @click=${accept}>${t('accept')}</button>
      <button type="button" class="secondary" @click=${decline}>${t('decline')}</button>
    </div>
  </div>`;
}

export function conversation(t: T, h: Handling, on: { send(e: SubmitEvent): void; key(e: KeyboardEvent): void; end(): void; close(e: SubmitEvent): void; back(): void }) {
  const i = h.interaction;
  const dispositions = i.campaign?.dispositions ?? [];
  // a call is ended on the phone; its conversation shows no reply box
  const voice = i.channel === 'VOICE';
  return html`<section class="conversation" part="conversation" aria-label=${t('conversationWith', { name: who(t, i) })} data-interaction=${i.id}>
    <div class="bar">
      <h3>${who(t, i)}</h3>
      ${h.closing || voice ? nothing : html`<button type="button" class="secondary" @click=${on.end}>${t('end')}</button>`}
    </div>
    <div role="log" aria-live="polite"><ol>
      ${h.messages.map((m) => html`<li class=${m.sender}><span class="who">${m.sender === 'AGENT' ? t('you') : m.sender === 'CUSTOMER' ? who(t, i) : ''}</span><span class="text">${m.body}</span></li>`)}
    </ol></div>
    ${h.closing
      ? html`<form part="disposition" @submit=${on.close}>
          ${i.state === 'WRAP_UP' ? html`<p class="note">${t('wrapUp')}</p>` : nothing}
          <label
            >${t('disposition')}
            <select name="disposition" ?required=${dispositions.length > 0}>
              <option value="">${t('chooseDisposition')}</option>
              ${dispositions.map((d) => html`<option value=${d.id}>${d.label}</option>`)}
            </select>
          </label>
          <label>${t('notes')}<textarea name="notes" maxlength="2000" rows="2"></textarea></label>
          <div class="actions">
            <button type="submit">${t('close')}</button>
            ${i.state === 'WRAP_UP' ? nothing : html`<button type="button" class="secondary" @click=${on.back}>${t('cancel')}</button>`}
          </div>
        </form>`
      : voice
        ? nothing
        : html`<form class="bar" part="composer" @submit=${on.send}>
          <label class="visually-hidden" for="reply-${i.id}">${t('compose')}</label>
          <textarea id="reply-${i.id}" name="body" rows="2" maxlength="2000" placeholder=${t('compose')} @keydown=${on.key}></textarea>
          <button type="submit">${t('send')}</button>
        </form>`}
  </section>`;
}

const PROBLEM_TEXT = { origin: 'phoneOrigin', credentials: 'phoneCredentials', unreachable: 'phoneUnreachable' } as const;

/** Shown only when the API gave SIP credentials: registration, dial pad, call controls and timer. */
/** The call transfer picker's state, kept by the element. */
export interface TransferChoice {
  value: string;
  targets: TransferTargets | null;
  load(): void;
  go(): void;
}

export function voicePanel(t: T, sip: SipController, transferTo: TransferChoice) {
  const call = sip.call;
  if (call?.direction === 'incoming' && call.status === 'ringing') {
    return html`<div class="toast" part="toast" role="alert">
      <strong>${t('offerCall', { from: remoteName(t, call.remote) })}</strong>
      <div class="actions">
        <button type="button" @click=${() => sip.answer()}>${t('answer')}</button>
        <button type="button" class="danger" @click=${() => sip.hangup()}>${t('decline')}</button>
      </div>
    </div>`;
  }
  if (call) {
    return html`<section part="call" aria-label=${t('callWith', { remote: remoteName(t, call.remote) })}>
      <h3>${t('callWith', { remote: remoteName(t, call.remote) })}</h3>
      <p class="timer" role="timer" aria-live="off">${call.answeredAt ? formatDuration((Date.now() - call.answeredAt) / 1000) : t('ringing')}</p>
      <div class="actions">
        <button type="button" class="secondary" aria-pressed=${call.muted ? 'true' : 'false'} @click=${() => sip.toggleMute()}>${call.muted ? t('unmute') : t('mute')}</button>
        <button type="button" class="secondary" aria-pressed=${call.held ? 'true' : 'false'} @click=${() => sip.toggleHold()}>${call.held ? t('resume') : t('hold')}</button>
        <button type="button" class="danger" @click=${() => sip.hangup()}>${t('hangUp')}</button>
      </div>
      <div class="bar">
        <label class="grow">${t('transferTo')}<select @focus=${() => transferTo.load()} @change=${(e: Event) => (transferTo.value = (e.target as HTMLSelectElement).value)}>
          <option value="">…</option>
          ${(transferTo.targets?.queues ?? []).map((q) => html`<option value=${`q:${q.id}`}>${t('transferQueue', { name: q.name })}</option>`)}
          ${(transferTo.targets?.agents ?? []).map((a) => html`<option value=${`a:${a.id}`} ?disabled=${!a.available}>${a.name}</option>`)}
        </select></label>
        <button type="button" class="secondary" @click=${() => transferTo.go()}>${t('transfer')}</button>
      </div>
      ${sip.transferProblem ? html`<p class="note error" role="alert">${t('transferFailed', { cause: sip.transferProblem })}</p>` : nothing}
      <sb-dialpad label=${t('dialPad')} number-label=${t('number')} @sb-dialpad-key=${(e: CustomEvent<{ key: string }>) => sip.dtmf(e.detail.key)}></sb-dialpad>
    </section>`;
  }
  if (sip.registration !== 'registered') {
    if (!sip.problem) return html`<p class="note" role="status">${t('voiceOff')}</p>`;
    return html`<p class="note error" part="phone-problem" role="alert">${t('phoneProblem', { reason: t(PROBLEM_TEXT[sip.problem]) })}</p>`;
  }
  const failed = sip.failure ? html`<p class="note error" role="status">${t('callFailed', { ...sip.failure, remote: remoteName(t, sip.failure.remote) })}</p>` : nothing;
  const pad = (e: Event) => (e.target as HTMLElement).parentElement!.querySelector('sb-dialpad')!;
  return html`<section part="dial" aria-label=${t('dialPad')}>
    ${failed}
    <sb-dialpad label=${t('dialPad')} number-label=${t('number')} @sb-dialpad-submit=${(e: CustomEvent<{ value: string }>) => sip.dial(e.detail.value)}></sb-dialpad>
    <button type="button" @click=${(e: Event) => sip.dial(pad(e).value)}>${t('call')}</button>
  </section>`;
}
