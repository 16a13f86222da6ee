import { css } from 'lit'
import { themeStyles } from '../internal/theme.styles.js'

export const styles = [
  themeStyles,
  css`
    :host {
      display: block;
      --_height: var(--tidings-chat-height, 20rem);
    }

    [part='base'] {
      display: flex;
      flex-direction: column;
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_background);
      overflow: hidden;
    }

    .header {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 1rem;
      padding: 0.6rem 0.9rem;
      border-bottom: 1px solid var(--_border);
    }

    .room {
      font-weight: 600;
      overflow-wrap: anywhere;
    }

    [part='log'] {
      height: var(--_height);
      overflow-y: auto;
      padding: 0.75rem 0.9rem;
      display: flex;
      flex-direction: column;
      gap: 0.5rem;
    }

    [part='log']:focus-visible {
      outline: 2px solid var(--_accent);
      outline-offset: -2px;
    }

    [part='message'] {
      max-width: 85%;
      align-self: flex-start;
      padding: 0.4rem 0.65rem;
      border-radius: var(--_radius);
      background: var(--_surface);
    }

    [part='message'].own {
      align-self: flex-end;
    }

    .meta {
      display: flex;
      align-items: baseline;
      gap: 0.5rem;
      font-size: 0.8em;
    }

    [part='author'] {
      font-weight: 600;
      overflow-wrap: anywhere;
    }

    .own [part='author'] {
      color: var(--_accent);
    }

    [part='time'] {
      color: var(--_muted);
    }

    [part='text'] {
      margin: 0.15rem 0 0;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }

    /* Earlier messages are told apart by the divider, not faded: faded text loses contrast. */
    [part='message'][data-history] {
      background: none;
      border: 1px solid var(--_surface);
    }

    [part='history-divider'] {
      text-align: center;
      font-size: 0.75em;
      color: var(--_muted);
      border-bottom: 1px solid var(--_border);
    }

    [part='system-message'] {
      align-self: center;
      font-size: 0.8em;
      color: var(--_muted);
      overflow-wrap: anywhere;
    }

    [part='name-error'] {
      margin: 0;
      color: var(--_danger);
    }

    [part='name-error']:empty {
      display: none;
    }

    [part='error'] {
      margin: 0;
      padding: 0.4rem 0.9rem;
      font-size: 0.85em;
      color: var(--_danger);
      border-top: 1px solid var(--_border);
      overflow-wrap: anywhere;
    }

    [part='composer'],
    [part='name-form'] {
      display: flex;
      gap: 0.5rem;
      align-items: center;
      padding: 0.6rem 0.9rem;
      border-top: 1px solid var(--_border);
    }

    [part='name-form'] {
      flex-direction: column;
      align-items: stretch;
      font-size: 0.9em;
    }

    .row {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
    }

    input {
      flex: 1;
      min-width: 0;
      font: inherit;
      color: inherit;
      padding: 0.45rem 0.6rem;
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_surface);
    }

    [part='counter'] {
      font-size: 0.75em;
      color: var(--_muted);
      font-variant-numeric: tabular-nums;
    }

    button {
      font: inherit;
      font-weight: 600;
      padding: 0.45rem 0.9rem;
      border: 0;
      border-radius: var(--_radius);
      background: var(--_accent);
      color: var(--_accent-contrast);
      cursor: pointer;
    }

    button:disabled {
      opacity: 0.5;
      cursor: not-allowed;
    }
  `,
]
