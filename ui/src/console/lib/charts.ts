// ECharts option builders for the dashboard, as pure functions of the server's figures (so
// they are unit-tested without a canvas): horizontal coverage bars, count bars and rate
// gauges. Labels come in already translated.
import type { CodeCount, CoverageRow } from '../types'

const BLUE = '#1f6feb'

/** A rate (0..1, or null when its denominator is zero) as a whole percentage, or null. */
export function percent(rate: number | null | undefined): number | null {
  return rate === null || rate === undefined || Number.isNaN(rate) ? null : Math.round(rate * 1000) / 10
}

/** Coverage per grid / worker / contactor: one horizontal bar per row, in percent. */
export function coverageOption(rows: CoverageRow[], seriesName: string) {
  const sorted = [...rows].sort((a, b) => (a.rate ?? -1) - (b.rate ?? -1))
  return {
    grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    yAxis: { type: 'category', data: sorted.map((r) => r.name), axisLabel: { width: 110, overflow: 'truncate' } },
    series: [{
      name: seriesName, type: 'bar', data: sorted.map((r) => percent(r.rate) ?? 0), itemStyle: { color: BLUE },
      label: { show: true, position: 'right', formatter: '{c}%' }, barMaxWidth: 18,
    }],
  }
}

/** Counts under codes: vertical bars with the given label for each code. */
export function countOption(rows: CodeCount[], labelOf: (row: CodeCount) => string, seriesName: string, color = BLUE) {
  return {
    grid: { left: 8, right: 8, top: 24, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'category', data: rows.map(labelOf), axisLabel: { interval: 0, rotate: rows.length > 5 ? 30 : 0 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ name: seriesName, type: 'bar', data: rows.map((r) => r.count), itemStyle: { color }, label: { show: true, position: 'top' }, barMaxWidth: 36 }],
  }
}

/** One rate as a gauge (0–100 %); an empty gauge with a dash when there is no rate. */
export function gaugeOption(rate: number | null, name: string, none: string) {
  const p = percent(rate)
  return {
    series: [{
      type: 'gauge', min: 0, max: 100, radius: '95%', center: ['50%', '60%'], startAngle: 200, endAngle: -20,
      progress: { show: true, width: 14, itemStyle: { color: BLUE } }, axisLine: { lineStyle: { width: 14 } },
      axisTick: { show: false }, splitLine: { show: false }, axisLabel: { show: false }, pointer: { show: false },
      title: { offsetCenter: [0, '45%'], fontSize: 14 },
      detail: { offsetCenter: [0, '0%'], fontSize: 26, fontWeight: 600, formatter: () => (p === null ? none : `${p}%`) },
      data: [{ value: p ?? 0, name }],
    }],
  }
}
