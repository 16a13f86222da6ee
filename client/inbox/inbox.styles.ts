import { css } from 'lit'
import { themeStyles } from '../internal/theme.styles.js'

export const styles = [
  themeStyles,
  css`
    :host {
      display: inline-block;
      position: relative;
    }

    button {
      font: inherit;
      color: inherit;
      cursor: pointer;
    }

    [part='panel']:focus-visible {
      outline: 2px solid var(--_accent);
      outline-offset: 1px;
    }

    [part='bell'] {
      position: relative;
      display: grid;
      place-items: center;
      width: 2.5rem;
      height: 2.5rem;
      padding: 0;
      border: 1px solid var(--_border);
      border-radius: 50%;
      background: var(--_background);
    }

    [part='badge'] {
      position: absolute;
      top: -0.3rem;
      inset-inline-end: -0.4rem;
      min-width: 1.25rem;
      padding: 0 0.3rem;
      border-radius: 999px;
      background: var(--_danger);
      color: #fff;
      font-size: 0.7rem;
      font-weight: 700;
      line-height: 1.25rem;
    }

    [part='panel'] {
      position: absolute;
      z-index: 1000;
      top: calc(100% + 0.4rem);
      inset-inline-end: 0;
      width: min(var(--tidings-inbox-width, 22rem), calc(100vw - 2rem));
      max-height: var(--tidings-inbox-height, 28rem);
      overflow-y: auto;
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_background);
      box-shadow: 0 6px 20px rgb(16 24 40 / 0.15);
    }

    .header {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem;
      padding: 0.6rem 0.8rem;
      border-bottom: 1px solid var(--_border);
    }

    .header strong {
      flex: 1;
    }

    [part='mark-all'],
    [part='more'] {
      padding: 0.2rem 0.4rem;
      border: 0;
      background: none;
      color: var(--_accent);
      font-size: 0.85em;
    }

    [part='mark-all']:disabled {
      color: var(--_muted);
      cursor: default;
    }

    [part='list'] {
      margin: 0;
      padding: 0;
      list-style: none;
    }

    [part='item'] {
      display: grid;
      gap: 0.15rem;
      width: 100%;
      padding: 0.6rem 0.8rem;
      border: 0;
      border-bottom: 1px solid var(--_border);
      background: none;
      text-align: start;
    }

    [part='item'][data-read='false'] {
      background: var(--_surface);
      border-inline-start: 4px solid var(--_accent);
    }

    [part='item-title'] {
      --_lines: 2;
      font-weight: 600;
      overflow-wrap: anywhere;
    }

    [part='item-body'] {
      font-size: 0.9em;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }

    [part='item-time'],
    [part='empty'],
    [part='hint'] {
      font-size: 0.8em;
      color: var(--_muted);
    }

    p {
      margin: 0;
      padding: 0.8rem;
    }

    [part='more'] {
      width: 100%;
    }

    [part='error'] {
      color: var(--_danger);
      overflow-wrap: anywhere;
    }
  `,
]
