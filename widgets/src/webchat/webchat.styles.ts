import { css } from 'lit';

export const webchatStyles = css`
  :host {
    position: fixed;
    right: var(--sb-webchat-offset, 20px);
    bottom: var(--sb-webchat-offset, 20px);
    z-index: var(--sb-z-index, 2147483000);
  }
  .launcher {
    width: 56px;
    height: 56px;
    border-radius: 50%;
    padding: 0;
    display: grid;
    place-items: center;
    box-shadow: 0 4px 14px rgb(0 0 0 / 25%);
    position: relative;
    margin-left: auto;
  }
  .launcher svg {
    width: 26px;
    height: 26px;
    fill: currentColor;
  }
  .badge {
    position: absolute;
    top: -4px;
    right: -4px;
    min-width: 20px;
    height: 20px;
    border-radius: 10px;
    background: var(--_danger);
    color: #fff;
    font-size: 12px;
    line-height: 20px;
    text-align: center;
    padding: 0 4px;
    box-sizing: border-box;
  }
  .panel {
    position: absolute;
    right: 0;
    bottom: 68px;
    width: min(360px, calc(100vw - 40px));
    height: min(520px, calc(100vh - 110px));
    display: flex;
    flex-direction: column;
    background: var(--_surface);
    border-radius: var(--_radius);
    box-shadow: 0 10px 30px rgb(0 0 0 / 25%);
    overflow: hidden;
  }
  header {
    background: var(--_accent);
    color: var(--_accent-text);
    padding: 12px 14px;
    display: flex;
    align-items: center;
    gap: 8px;
  }
  header h2 {
    font-size: 1rem;
    margin: 0;
    flex: 1;
  }
  header .agent {
    display: block;
    font-size: 0.8rem;
    font-weight: normal;
  }
  header button {
    background: transparent;
    color: inherit;
    border-color: currentColor;
    padding: 0.2em 0.6em;
  }
  .body {
    flex: 1;
    overflow-y: auto;
    padding: 12px;
    display: flex;
    flex-direction: column;
    gap: 8px;
  }
  form {
    display: grid;
    gap: 10px;
  }
  ol {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-direction: column;
    gap: 6px;
  }
  li {
    max-width: 85%;
    padding: 8px 10px;
    border-radius: var(--_radius);
    overflow-wrap: anywhere;
  }
  .text {
    white-space: pre-wrap;
  }
  li.CUSTOMER {
    align-self: flex-end;
    background: var(--_accent);
    color: var(--_accent-text);
  }
  li.AGENT,
  li.SYSTEM {
    align-self: flex-start;
    background: var(--_surface-alt);
  }
  .who {
    display: block;
    font-size: 0.75rem;
  }
  .note {
    color: var(--_muted);
    font-size: 0.9rem;
    margin: 0;
  }
  .error {
    color: var(--_danger);
  }
  .composer {
    display: flex;
    gap: 6px;
    padding: 8px;
    border-top: 1px solid var(--_surface-alt);
  }
  .composer textarea {
    flex: 1;
    resize: none;
    height: 2.6em;
  }
`;
