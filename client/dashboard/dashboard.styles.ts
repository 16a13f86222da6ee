import { css } from 'lit'

export const styles = css`
  :host {
    --tidings-dashboard-accent: var(--tidings-accent, #2563eb);
    --tidings-dashboard-second: #16a34a;
    --tidings-dashboard-third: #d97706;
    --tidings-dashboard-surface: var(--tidings-surface, #fff);
    --tidings-dashboard-border: var(--tidings-border, #d4d4d8);
    --tidings-dashboard-muted: var(--tidings-muted-color, #52525b);
    --tidings-dashboard-danger: #b91c1c;
    display: block;
    font-family: var(--tidings-font, system-ui, sans-serif);
    color: var(--tidings-color, #18181b);
    line-height: 1.4;
  }
  [part='base'] {
    display: grid;
    gap: 1rem;
  }
  header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 0.5rem;
  }
  h1 {
    font-size: 1.35rem;
    margin: 0;
  }
  h2 {
    font-size: 1rem;
    margin: 0 0 0.5rem;
  }
  section,
  form.key {
    background: var(--tidings-dashboard-surface);
    border: 1px solid var(--tidings-dashboard-border);
    border-radius: 0.5rem;
    padding: 0.75rem;
    min-width: 0;
  }
  .status {
    color: var(--tidings-dashboard-muted);
    font-size: 0.9rem;
  }
  .status[data-state='live']::before {
    content: '● ';
    color: var(--tidings-dashboard-second);
  }
  [role='alert'] {
    color: var(--tidings-dashboard-danger);
    font-weight: 600;
    margin: 0;
  }
  form {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: end;
  }
  label {
    display: grid;
    gap: 0.2rem;
    font-size: 0.9rem;
  }
  input,
  select,
  button {
    font: inherit;
    padding: 0.4rem 0.6rem;
    border: 1px solid var(--tidings-dashboard-border);
    border-radius: 0.35rem;
    background: var(--tidings-dashboard-surface);
    color: inherit;
    min-height: 2.25rem;
  }
  button {
    background: var(--tidings-dashboard-accent);
    border-color: var(--tidings-dashboard-accent);
    color: #fff;
    cursor: pointer;
  }
  button.secondary {
    background: transparent;
    color: inherit;
    border-color: var(--tidings-dashboard-border);
  }
  :focus-visible {
    outline: 3px solid var(--tidings-dashboard-accent);
    outline-offset: 2px;
  }
  .hint {
    flex-basis: 100%;
    color: var(--tidings-dashboard-muted);
    font-size: 0.85rem;
    margin: 0;
  }
  dl.figures {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(9.5rem, 1fr));
    gap: 0.5rem;
    margin: 0;
  }
  dl.figures > div {
    border: 1px solid var(--tidings-dashboard-border);
    border-radius: 0.5rem;
    padding: 0.5rem 0.75rem;
    background: var(--tidings-dashboard-surface);
  }
  dt {
    color: var(--tidings-dashboard-muted);
    font-size: 0.8rem;
  }
  dd {
    margin: 0;
    font-size: 1.5rem;
    font-variant-numeric: tabular-nums;
    font-weight: 600;
  }
  .grid {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 22rem), 1fr));
    gap: 1rem;
  }
  .chart {
    min-height: 200px;
    overflow: hidden;
  }
  ol.feed {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.25rem;
    max-height: 18rem;
    overflow: auto;
  }
  ol.feed li {
    display: flex;
    gap: 0.5rem;
    align-items: baseline;
    overflow-wrap: anywhere;
  }
  .level {
    font-size: 0.75rem;
    padding: 0 0.35rem;
    border-radius: 0.25rem;
    border: 1px solid currentColor;
  }
  .level[data-level='error'] {
    color: var(--tidings-dashboard-danger);
  }
  .level[data-level='warning'] {
    color: var(--tidings-dashboard-third);
  }
  .level[data-level='success'] {
    color: var(--tidings-dashboard-second);
  }
  .muted {
    color: var(--tidings-dashboard-muted);
    font-size: 0.85rem;
  }
  table {
    width: 100%;
    border-collapse: collapse;
  }
  th,
  td {
    text-align: start;
    padding: 0.2rem 0.4rem;
    border-bottom: 1px solid var(--tidings-dashboard-border);
    overflow-wrap: anywhere;
  }
  td.number,
  th.number {
    text-align: end;
    font-variant-numeric: tabular-nums;
  }
  select {
    min-width: 8rem;
  }
  h2 ~ h2,
  table + h2 {
    margin-top: 1rem;
  }
  form.publish label.wide {
    flex: 1 1 14rem;
  }
  form.publish input {
    width: 100%;
    box-sizing: border-box;
  }
`
