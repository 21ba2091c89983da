import { css } from 'lit';

/**
 * The custom properties every widget reads (each with its default), so one set of variables on
 * the host page themes all three widgets. Colours meet WCAG AA contrast by default.
 */
export const theme = css`
  :host {
    --_accent: var(--sb-accent, #1d4ed8);
    --_accent-text: var(--sb-accent-text, #ffffff);
    --_surface: var(--sb-surface, #ffffff);
    --_surface-alt: var(--sb-surface-alt, #f1f5f9);
    --_text: var(--sb-text, #0f172a);
    --_muted: var(--sb-muted, #475569);
    --_danger: var(--sb-danger, #b91c1c);
    --_ok: var(--sb-ok, #15803d);
    --_radius: var(--sb-radius, 12px);
    --_font: var(--sb-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    font-family: var(--_font);
    color: var(--_text);
  }
  button {
    font: inherit;
    cursor: pointer;
    border-radius: calc(var(--_radius) / 2);
    border: 1px solid transparent;
    padding: 0.45em 0.9em;
    background: var(--_accent);
    color: var(--_accent-text);
  }
  button.secondary {
    background: var(--_surface);
    color: var(--_text);
    border-color: var(--_muted);
  }
  button:focus-visible,
  input:focus-visible,
  select:focus-visible,
  textarea:focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }
  input,
  select,
  textarea {
    font: inherit;
    color: var(--_text);
    background: var(--_surface);
    border: 1px solid var(--_muted);
    border-radius: calc(var(--_radius) / 2);
    padding: 0.4em 0.5em;
    box-sizing: border-box;
  }
  label {
    display: grid;
    gap: 0.2em;
    font-size: 0.9em;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
