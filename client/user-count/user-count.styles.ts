import { css } from 'lit'
import { themeStyles } from '../internal/theme.styles.js'

export const styles = [
  themeStyles,
  css`
    :host {
      display: inline-block;
    }

    [part='base'] {
      display: inline-flex;
      align-items: baseline;
      gap: 0.3em;
    }

    [part='count'] {
      font-weight: 700;
      color: var(--_accent);
      font-variant-numeric: tabular-nums;
    }

    [part='label'] {
      color: var(--_muted);
    }

    [part='base'][data-state='reconnecting'] [part='count'],
    [part='base'][data-state='disconnected'] [part='count'] {
      opacity: 0.5;
    }

    [part='status'][data-state='connected'] {
      display: none;
    }
  `,
]
