import { css } from 'lit'

/**
 * Design tokens shared by every component. Each reads a `--tidings-*` custom property that the
 * page may set on any ancestor, with a fallback that looks right on a plain white page.
 */
export const themeStyles = css`
  :host {
    --_font: var(--tidings-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_color: var(--tidings-color, #1f2430);
    --_muted: var(--tidings-muted-color, #667085);
    --_background: var(--tidings-background, #ffffff);
    --_surface: var(--tidings-surface, #f4f6fa);
    --_border: var(--tidings-border-color, #d9dee8);
    --_accent: var(--tidings-accent, #3b5bdb);
    --_accent-contrast: var(--tidings-accent-contrast, #ffffff);
    --_danger: var(--tidings-danger, #c92a2a);
    --_success: var(--tidings-success, #2b8a3e);
    --_warning: var(--tidings-warning, #e67700);
    --_radius: var(--tidings-radius, 0.5rem);
    font-family: var(--_font);
    color: var(--_color);
  }

  :host([hidden]) {
    display: none;
  }

  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }

  [hidden] {
    display: none !important;
  }

  button:focus-visible,
  input:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 1px;
  }

  /* Text from users and publishers: a right-to-left override or isolate inside it must not
     reorder what the component shows around it. */
  [part~='author'],
  [part~='text'],
  [part~='system-message'],
  [part~='title'],
  [part~='body'],
  [part~='item-title'],
  [part~='item-body'] {
    unicode-bidi: isolate;
  }

  /* Long texts from publishers show a few lines (--_lines) until their item is hovered or
     focused (a tap focuses it too); screen readers always get the whole text. */
  .clamp {
    display: -webkit-box;
    -webkit-box-orient: vertical;
    -webkit-line-clamp: var(--_lines, 3);
    overflow: hidden;
  }

  .open:hover .clamp,
  .open:focus-within .clamp,
  .open:focus .clamp {
    -webkit-line-clamp: unset;
  }

  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }

  [part='status'] {
    display: inline-flex;
    align-items: center;
    gap: 0.35em;
    font-size: 0.8em;
    color: var(--_muted);
  }

  [part='status'] .dot {
    width: 0.55em;
    height: 0.55em;
    border-radius: 50%;
    background: var(--_warning);
  }

  [part='status'][data-state='connected'] .dot {
    background: var(--_success);
  }

  [part='status'][data-state='disconnected'] .dot {
    background: var(--_danger);
  }

  [part='status'][data-state='reconnecting'] .dot {
    animation: tidings-pulse 1s ease-in-out infinite alternate;
  }

  @keyframes tidings-pulse {
    to {
      opacity: 0.3;
    }
  }

  @media (prefers-reduced-motion: reduce) {
    [part='status'] .dot {
      animation: none !important;
    }
  }
`
