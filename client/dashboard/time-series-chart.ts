import uPlot from 'uplot'

/** Points kept per series: five minutes at one snapshot a second. */
export const CHART_POINTS = 300

export interface SeriesSpec {
  label: string
  /** A CSS colour; charts read it from custom properties so pages can theme them. */
  stroke: string
}

/**
 * A live line chart over the last {@link CHART_POINTS} snapshots, drawn by uPlot into
 * `container`. Times are in seconds (uPlot's unit).
 *
 * @example
 * const chart = new TimeSeriesChart(div, [{ label: 'Published /s', stroke: '#2563eb' }])
 * chart.push(Date.now() / 1000, [12])
 */
export class TimeSeriesChart {
  private readonly plot: uPlot
  private readonly columns: number[][]

  constructor(container: HTMLElement, series: SeriesSpec[], width: number, height = 160) {
    this.columns = [[], ...series.map(() => [])]
    this.plot = new uPlot(
      {
        width,
        height,
        // Figures already sit beside the chart; the legend would repeat them on every hover.
        legend: { show: true, live: false },
        cursor: { show: false },
        scales: { y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
        series: [{}, ...series.map(({ label, stroke }) => ({ label, stroke, width: 2, points: { show: false } }))],
        axes: [{ stroke: 'currentColor' }, { stroke: 'currentColor', size: 48 }],
      },
      this.columns as uPlot.AlignedData,
      container,
    )
  }

  /** Adds one snapshot and redraws; the oldest one falls off past {@link CHART_POINTS}. */
  push(seconds: number, values: number[]): void {
    this.columns[0]!.push(seconds)
    values.forEach((value, i) => this.columns[i + 1]!.push(value))
    if (this.columns[0]!.length > CHART_POINTS) for (const column of this.columns) column.shift()
    this.plot.setData(this.columns as uPlot.AlignedData)
  }

  /** How many snapshots are drawn. */
  get points(): number {
    return this.columns[0]!.length
  }

  resize(width: number): void {
    if (width > 0 && width !== this.plot.width) this.plot.setSize({ width, height: this.plot.height })
  }

  destroy(): void {
    this.plot.destroy()
  }
}
