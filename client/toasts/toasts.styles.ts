import { css } from 'lit'
import { themeStyles } from '../internal/theme.styles.js'

export const styles = [
  themeStyles,
  css`
    :host {
      display: contents;
      --_width: var(--tidings-toasts-width, 22rem);
    }

    [part='base'] {
      position: var(--tidings-toasts-position, fixed);
      inset-block-end: 1rem;
      inset-inline-end: 1rem;
      z-index: 1000;
      width: min(var(--_width), calc(100vw - 2rem));
      display: flex;
      flex-direction: column;
      gap: 0.5rem;
      pointer-events: none;
    }

    [part='region'],
    [part='alert-region'] {
      display: flex;
      flex-direction: column;
      gap: 0.5rem;
    }

    [part='status'] {
      align-self: flex-end;
      padding: 0.2rem 0.6rem;
      border-radius: 999px;
      background: var(--_background);
      border: 1px solid var(--_border);
    }

    [part='status'][data-state='connected'] {
      display: none;
    }

    [part='toast'] {
      --_level: var(--_accent);
      pointer-events: auto;
      display: flex;
      align-items: flex-start;
      gap: 0.5rem;
      padding: 0.7rem 0.6rem 0.7rem 0.9rem;
      border: 1px solid var(--_border);
      border-inline-start: 4px solid var(--_level);
      border-radius: var(--_radius);
      background: var(--_background);
      box-shadow: 0 6px 20px rgb(16 24 40 / 0.12);
      animation: tidings-toast-in 160ms ease-out;
    }

    [part='toast'][data-level='success'] {
      --_level: var(--_success);
    }

    [part='toast'][data-level='warning'] {
      --_level: var(--_warning);
    }

    [part='toast'][data-level='error'] {
      --_level: var(--_danger);
    }

    .content {
      flex: 1;
      min-width: 0;
    }

    .content:focus {
      outline: none;
    }

    [part='title'] {
      --_lines: 2;
      overflow-wrap: anywhere;
    }

    [part='body'] {
      margin: 0.2rem 0 0;
      font-size: 0.9em;
      color: var(--_muted);
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }

    [part='close-button'] {
      flex: none;
      width: 1.75rem;
      height: 1.75rem;
      display: grid;
      place-items: center;
      padding: 0;
      border: 0;
      border-radius: 50%;
      background: transparent;
      color: var(--_muted);
      font-size: 1.2rem;
      line-height: 1;
      cursor: pointer;
    }

    [part='close-button']:hover {
      background: var(--_surface);
      color: var(--_color);
    }

    @keyframes tidings-toast-in {
      from {
        opacity: 0;
        transform: translateY(0.5rem);
      }
    }

    @media (prefers-reduced-motion: reduce) {
      [part='toast'] {
        animation: none;
      }
    }
  `,
]
