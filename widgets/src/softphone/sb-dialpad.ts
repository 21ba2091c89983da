import { LitElement, css, html } from 'lit';
import { emit } from '../core/events.js';
import { theme } from '../core/theme.js';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

/**
 * A telephone keypad with a number field. Used by `<sb-softphone>` for outbound calls and tones.
 *
 * @attr label - Accessible name of the keypad.
 * @attr number-label - Label of the number field.
 * @attr value - The number typed so far.
 *
 * @fires sb-dialpad-key - A key was pressed; `detail: { key }` (for DTMF during a call).
 * @fires sb-dialpad-submit - Enter in the number field; `detail: { value }`.
 *
 * @csspart key - Each keypad button.
 * @csspart number - The number field.
 */
export class SbDialpad extends LitElement {
  static override properties = {
    label: { type: String },
    numberLabel: { type: String, attribute: 'number-label' },
    value: { type: String },
  };
  static override styles = [
    theme,
    css`
      :host {
        display: grid;
        gap: 8px;
      }
      .keys {
        display: grid;
        grid-template-columns: repeat(3, 1fr);
        gap: 6px;
      }
      .keys button {
        background: var(--_surface-alt);
        color: var(--_text);
        font-size: 1.2em;
      }
    `,
  ];
  declare label: string;
  declare numberLabel: string;
  declare value: string;

  constructor() {
    super();
    this.label = 'Dial pad';
    this.numberLabel = 'Number';
    this.value = '';
  }

  private press(key: string) {
    this.value += key;
    emit(this, 'sb-dialpad-key', { key });
  }

  override render() {
    return html`<label
        >${this.numberLabel}<input
          part="number"
          inputmode="tel"
          .value=${this.value}
          @input=${(e: Event) => (this.value = (e.target as HTMLInputElement).value)}
          @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && emit(this, 'sb-dialpad-submit', { value: this.value })}
      /></label>
      <div class="keys" role="group" aria-label=${this.label}>
        ${KEYS.map((k) => html`<button type="button" part="key" @click=${() => this.press(k)}>${k}</button>`)}
      </div>`;
  }
}

customElements.define('sb-dialpad', SbDialpad);

declare global {
  interface HTMLElementTagNameMap {
    'sb-dialpad': SbDialpad;
  }
}
