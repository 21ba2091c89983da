import { css } from 'lit';

export const softphoneStyles = css`
  :host {
    display: block;
    background: var(--_surface);
    border-radius: var(--_radius);
    padding: 12px;
    max-width: var(--sb-softphone-width, 420px);
  }
  section,
  form {
    display: grid;
    gap: 10px;
  }
  .bar {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: 8px;
  }
  /* a label holding a picker takes the bar's free width, so queue and agent names stay readable */
  .bar > label.grow {
    flex: 1 1 12em;
    display: grid;
  }
  h2,
  h3 {
    margin: 0;
    font-size: 1.05rem;
  }
  .toast {
    border: 2px solid var(--_accent);
    border-radius: var(--_radius);
    padding: 10px;
    display: grid;
    gap: 8px;
  }
  .actions {
    display: flex;
    gap: 8px;
    flex-wrap: wrap;
  }
  .danger {
    background: var(--_danger);
  }
  .conversation {
    border: 1px solid var(--_muted);
    border-radius: var(--_radius);
    padding: 10px;
  }
  ol {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 4px;
    max-height: 260px;
    overflow-y: auto;
  }
  li {
    padding: 6px 8px;
    border-radius: calc(var(--_radius) / 2);
    background: var(--_surface-alt);
    overflow-wrap: anywhere;
  }
  .text {
    white-space: pre-wrap;
  }
  li.AGENT {
    background: var(--_accent);
    color: var(--_accent-text);
    justify-self: end;
  }
  .who {
    font-size: 0.75rem;
    display: block;
  }
  .note {
    color: var(--_muted);
    margin: 0;
  }
  .error {
    color: var(--_danger);
  }
  .timer {
    font-variant-numeric: tabular-nums;
    font-size: 1.4rem;
  }
  textarea {
    width: 100%;
  }
`;
