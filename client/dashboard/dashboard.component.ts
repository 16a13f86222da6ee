import { LitElement, html, nothing, unsafeCSS, type PropertyValues, type TemplateResult } from 'lit'
import { property, state } from 'lit/decorators.js'
import { io, type Socket } from 'socket.io-client'
import uplotCss from 'uplot/dist/uPlot.min.css?inline'
import {
  ADMIN_NAMESPACE,
  type AdminClientToServerEvents,
  type AdminServerToClientEvents,
  type AudienceSize,
  type NodeStats,
  type Notification,
} from '../../shared/index.js'
import { languageTagOf, localeOf } from '../i18n.js'
import { clusterView, type ClusterView } from './cluster-view.js'
import { dashboardStrings, type DashboardStrings } from './dashboard-strings.js'
import { styles } from './dashboard.styles.js'
import { notifyRequestOf, publish, publishForm, type PublishOutcome } from './publish-form.js'
import { TimeSeriesChart } from './time-series-chart.js'

/** Where the key is kept: this tab only, gone when it closes. */
const KEY_STORAGE = 'tidings-dashboard-key'

type Status = 'signed-out' | 'connecting' | 'live' | 'refused'
type AdminSocket = Socket<AdminServerToClientEvents, AdminClientToServerEvents>

/**
 * @summary The operators' live view of a Tidings hub: figures, charts, recent notifications,
 * busiest rooms and topics, and a form to publish. Served by the hub at `/dashboard`.
 *
 * It asks for an API key (any key `POST /notify` accepts), keeps it in `sessionStorage`, and
 * reads the hub's `/admin` namespace, which refuses a wrong key: then only the error shows.
 * Every live figure carries a `data-metric` attribute (`connections`, `users`,
 * `published-per-second`, `delivered-per-second`, `chat-per-second`, `delivery-latency`,
 * `event-loop-lag`, `memory`).
 *
 * @csspart base - The wrapper.
 * @csspart figures - The list of live figures.
 *
 * @cssproperty --tidings-font - Font family.
 * @cssproperty --tidings-color - Text colour.
 * @cssproperty --tidings-accent - Buttons, focus ring and the first series of each chart.
 * @cssproperty --tidings-surface - Card background.
 * @cssproperty --tidings-border - Card borders.
 * @cssproperty --tidings-muted-color - Labels.
 */
export default class TidingsDashboard extends LitElement {
  static override styles = [unsafeCSS(uplotCss), styles]

  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'lang']
  }

  /** The hub's address; the page's own origin when absent (the hub serves this page). */
  @property() server?: string

  @state() private _status: Status = 'signed-out'
  @state() private _error: string | undefined
  @state() private _view: ClusterView | undefined
  @state() private _recent: Notification[] = []
  @state() private _published: PublishOutcome | undefined

  private socket: AdminSocket | undefined
  private readonly latest = new Map<string, NodeStats>()
  private charts: { traffic: TimeSeriesChart; audience: TimeSeriesChart } | undefined
  private resizer: ResizeObserver | undefined

  private get t(): DashboardStrings {
    return dashboardStrings(this.locale)
  }

  private get locale() {
    return localeOf(languageTagOf(this))
  }

  private get hubUrl(): string {
    return this.server || location.origin
  }

  override connectedCallback(): void {
    super.connectedCallback()
    const key = sessionStorage.getItem(KEY_STORAGE)
    if (key) this.signIn(key)
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback()
    this.closeSocket()
    this.dropCharts()
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value)
    if (name === 'lang') this.requestUpdate()
  }

  private signIn(key: string): void {
    this.closeSocket()
    this._status = 'connecting'
    this._error = undefined
    const socket: AdminSocket = io(`${this.hubUrl}${ADMIN_NAMESPACE}`, {
      auth: { key },
      transports: ['websocket', 'polling'],
      forceNew: true,
    })
    this.socket = socket
    socket.on('connect', () => {
      sessionStorage.setItem(KEY_STORAGE, key)
      this._status = 'live'
      this._error = undefined
    })
    socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
      const code = err.data?.code
      if (code === 'unauthorized' || code === 'rate_limited') {
        // A refused key: nothing of the hub stays on screen, and the key is forgotten.
        sessionStorage.removeItem(KEY_STORAGE)
        this.closeSocket()
        this.clearFigures()
        this._status = 'refused'
        this._error = code === 'unauthorized' ? this.t.wrongKey : this.t.rateLimited
        return
      }
      this._status = 'connecting'
      this._error = this.t.unreachable
    })
    socket.on('disconnect', () => {
      if (this.socket === socket) this._status = 'connecting'
    })
    socket.on('stats', (stats) => this.receive(stats))
    socket.on('recent-notifications', (recent) => {
      this._recent = recent
    })
  }

  private signOut(): void {
    sessionStorage.removeItem(KEY_STORAGE)
    this.closeSocket()
    this.clearFigures()
    this._status = 'signed-out'
    this._error = undefined
  }

  private closeSocket(): void {
    this.socket?.removeAllListeners()
    this.socket?.disconnect()
    this.socket = undefined
  }

  private clearFigures(): void {
    this.latest.clear()
    this._view = undefined
    this._recent = []
    this.dropCharts()
  }

  private receive(stats: NodeStats): void {
    this.latest.set(stats.node, stats)
    this._view = clusterView(this.latest, Date.now())
    if (this._view) this.plot(this._view.total)
  }

  private plot(total: ClusterView['total']): void {
    if (this.charts === undefined) return
    const seconds = total.at / 1000
    this.charts.traffic.push(seconds, [total.publishedPerSecond, total.deliveredPerSecond, total.chatPerSecond])
    this.charts.audience.push(seconds, [total.connections, total.users])
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed)
    if (this._view !== undefined && this.charts === undefined) this.makeCharts()
  }

  private makeCharts(): void {
    const traffic = this.renderRoot.querySelector<HTMLElement>('[data-chart="traffic"]')
    const audience = this.renderRoot.querySelector<HTMLElement>('[data-chart="audience"]')
    if (!traffic || !audience) return
    const color = (name: string) => getComputedStyle(this).getPropertyValue(name).trim() || 'currentColor'
    const [first, second, third] = ['--tidings-dashboard-accent', '--tidings-dashboard-second', '--tidings-dashboard-third'].map(color)
    const t = this.t
    this.charts = {
      traffic: new TimeSeriesChart(
        traffic,
        [
          { label: t.publishedPerSecond, stroke: first! },
          { label: t.deliveredPerSecond, stroke: second! },
          { label: t.chatPerSecond, stroke: third! },
        ],
        traffic.clientWidth,
      ),
      audience: new TimeSeriesChart(
        audience,
        [
          { label: t.connections, stroke: first! },
          { label: t.users, stroke: second! },
        ],
        audience.clientWidth,
      ),
    }
    if (this._view) this.plot(this._view.total)
    this.resizer = new ResizeObserver(() => {
      this.charts?.traffic.resize(traffic.clientWidth)
      this.charts?.audience.resize(audience.clientWidth)
    })
    this.resizer.observe(traffic)
    this.resizer.observe(audience)
  }

  private dropCharts(): void {
    this.resizer?.disconnect()
    this.resizer = undefined
    this.charts?.traffic.destroy()
    this.charts?.audience.destroy()
    this.charts = undefined
  }

  private onKeySubmit(event: SubmitEvent): void {
    event.preventDefault()
    const input = (event.target as HTMLFormElement).elements.namedItem('key') as HTMLInputElement
    const key = input.value.trim()
    if (key) this.signIn(key)
  }

  private async onPublish(event: SubmitEvent): Promise<void> {
    event.preventDefault()
    const form = event.target as HTMLFormElement
    const key = sessionStorage.getItem(KEY_STORAGE) ?? ''
    this._published = await publish(this.hubUrl, key, notifyRequestOf(new FormData(form)), this.t)
    if (this._published.ok) form.reset()
  }

  private number(value: number, digits = 1): string {
    return new Intl.NumberFormat(this.locale, { maximumFractionDigits: digits }).format(value)
  }

  private bytes(value: number): string {
    return `${this.number(value / (1024 * 1024), 0)} MB`
  }

  protected override render(): TemplateResult {
    const t = this.t
    const signedIn = this._status === 'live' || this._status === 'connecting'
    return html`<div part="base">
      <header>
        <h1>${t.title}</h1>
        ${signedIn
          ? html`<span class="status" role="status" data-state=${this._status}>${this._status === 'live' ? t.live : t.connecting}</span>
              <button type="button" class="secondary" @click=${this.signOut}>${t.signOut}</button>`
          : nothing}
      </header>
      ${signedIn ? nothing : this.renderKeyForm()}
      ${this._error ? html`<p role="alert" data-error=${this._status}>${this._error}</p>` : nothing}
      ${this._view && this._status !== 'refused' ? this.renderLive(this._view) : nothing}
    </div>`
  }

  private renderKeyForm(): TemplateResult {
    const t = this.t
    return html`<form class="key" @submit=${this.onKeySubmit}>
      <label
        >${t.keyLabel}
        <input name="key" type="password" autocomplete="current-password" required spellcheck="false" aria-describedby="key-hint"
      /></label>
      <button type="submit">${t.signIn}</button>
      <p class="hint" id="key-hint">${t.keyHint}</p>
    </form>`
  }

  private renderLive(view: ClusterView): TemplateResult {
    const t = this.t
    const total = view.total
    const figure = (metric: string, label: string, value: string) =>
      html`<div><dt>${label}</dt><dd data-metric=${metric}>${value}</dd></div>`
    return html`<section aria-labelledby="figures-title">
        <h2 id="figures-title">${t.figures}</h2>
        <dl class="figures" part="figures">
          ${figure('connections', t.connections, this.number(total.connections, 0))}
          ${figure('users', t.users, this.number(total.users, 0))}
          ${figure('published-per-second', t.publishedPerSecond, this.number(total.publishedPerSecond))}
          ${figure('delivered-per-second', t.deliveredPerSecond, this.number(total.deliveredPerSecond))}
          ${figure('chat-per-second', t.chatPerSecond, this.number(total.chatPerSecond))}
          ${figure('delivery-latency', t.latency, `${this.number(total.deliveryLatencyMs.p50)} / ${this.number(total.deliveryLatencyMs.p95)} ms`)}
          ${figure('event-loop-lag', t.eventLoopLag, `${this.number(total.eventLoopLagMs)} ms`)}
          ${figure('memory', t.memory, this.bytes(total.memory.rssBytes))}
        </dl>
      </section>
      <div class="grid">
        <section>
          <h2 id="traffic-title">${t.trafficChart}</h2>
          <div class="chart" role="img" aria-labelledby="traffic-title" data-chart="traffic" data-points=${this.charts?.traffic.points ?? 0}></div>
        </section>
        <section>
          <h2 id="audience-title">${t.audienceChart}</h2>
          <div class="chart" role="img" aria-labelledby="audience-title" data-chart="audience" data-points=${this.charts?.audience.points ?? 0}></div>
        </section>
      </div>
      <div class="grid">
        <section aria-labelledby="recent-title">
          <h2 id="recent-title">${t.recent}</h2>
          ${this._recent.length === 0
            ? html`<p class="muted">${t.noneYet}</p>`
            : html`<ol class="feed" data-feed>
                ${this._recent.map(
                  (n) => html`<li>
                    <span class="level" data-level=${n.level}>${t.levels[n.level]}</span>
                    <span>${n.title}</span>
                    <span class="muted">${n.topic ? `#${n.topic}` : n.user ? `@${n.user}` : t.everyone} · ${new Date(n.timestamp).toLocaleTimeString(this.locale)}</span>
                  </li>`,
                )}
              </ol>`}
        </section>
        <section>${this.renderBusiest(t.rooms, 'rooms', total.rooms)} ${this.renderBusiest(t.topics, 'topics', total.topics)}</section>
      </div>
      ${view.nodes.length > 1 ? this.renderNodes(view.nodes) : nothing} ${publishForm(this.t, (event) => void this.onPublish(event), this._published)}`
  }

  private renderBusiest(title: string, kind: string, rows: AudienceSize[]): TemplateResult {
    const t = this.t
    return html`<h2 id="${kind}-title">${title}</h2>
      ${rows.length === 0
        ? html`<p class="muted">${t.noneYet}</p>`
        : html`<table aria-labelledby="${kind}-title" data-busiest=${kind}>
            <thead>
              <tr>
                <th scope="col">${t.name}</th>
                <th scope="col" class="number">${t.connectionsShort}</th>
              </tr>
            </thead>
            <tbody>
              ${rows.map((row) => html`<tr><td>${row.name}</td><td class="number">${this.number(row.connections, 0)}</td></tr>`)}
            </tbody>
          </table>`}`
  }

  private renderNodes(nodes: NodeStats[]): TemplateResult {
    const t = this.t
    return html`<section aria-labelledby="nodes-title">
      <h2 id="nodes-title">${t.nodes}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">${t.node}</th>
            <th scope="col" class="number">${t.connections}</th>
            <th scope="col" class="number">${t.deliveredPerSecond}</th>
            <th scope="col" class="number">${t.eventLoopLag}</th>
            <th scope="col" class="number">${t.memory}</th>
          </tr>
        </thead>
        <tbody>
          ${nodes.map(
            (n) => html`<tr data-node=${n.node}>
              <td>${n.node}</td>
              <td class="number">${this.number(n.connections, 0)}</td>
              <td class="number">${this.number(n.deliveredPerSecond)}</td>
              <td class="number">${this.number(n.eventLoopLagMs)} ms</td>
              <td class="number">${this.bytes(n.memory.rssBytes)}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </section>`
  }
}
