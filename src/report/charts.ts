import * as echarts from 'echarts';
import { chartFont, palette, budgetColor } from './chart-style.js';
import { localParts } from './iso-week.js';
import { firingUntil } from './alert-intervals.js';
import type { SloWeek, WeeklyReport } from './report-model.js';

export interface ChartSize {
  width: number;
  height: number;
}

export const chartSize: ChartSize = { width: 640, height: 210 };

type Option = echarts.EChartsCoreOption;

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Renders an option server-side to a standalone SVG document. */
export function renderChartSvg(option: Option, size: ChartSize = chartSize): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption({ animation: false, backgroundColor: '#ffffff', textStyle: { fontFamily: chartFont, color: palette.ink }, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

function dayLabel(seconds: number, timeZone: string, withWeekday: boolean): string {
  const p = localParts(seconds, timeZone);
  const weekday = weekdays[new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay()]!;
  return withWeekday ? `${weekday} ${p.day}` : `${p.day} ${months[p.month - 1]}`;
}

/** Local-midnight ticks between two instants, `every` days apart counting back from `to`. */
function midnights(from: number, to: number, timeZone: string, every: number): number[] {
  const found: number[] = [];
  for (let t = Math.ceil(from / 3600) * 3600; t <= to; t += 3600) {
    const p = localParts(t, timeZone);
    if (p.hour === 0 && p.minute === 0) found.push(t);
  }
  return found.filter((_, i) => (found.length - 1 - i) % every === 0);
}

const axisCommon = {
  axisLine: { lineStyle: { color: palette.grid } },
  axisTick: { show: false },
  axisLabel: { color: palette.muted, fontSize: 11 },
  splitLine: { lineStyle: { color: palette.grid } },
};

/** Budget remaining over the SLO window that ends with the week; the report week shaded. */
export function budgetChartOption(slo: SloWeek, report: Pick<WeeklyReport, 'start' | 'end' | 'timeZone'>): Option {
  const from = report.end - slo.window;
  const ticks = midnights(from, report.end, report.timeZone, 7);
  const color = budgetColor(slo.budgetEnd);
  const values = slo.budgetSeries.map((p) => p.remaining * 100);
  const axis = budgetAxis(Math.min(0, ...values));
  return {
    title: { text: 'Error budget remaining', left: 8, top: 6, textStyle: { fontSize: 13, fontWeight: 'bold', color: palette.ink } },
    grid: { left: 52, right: 18, top: 38, bottom: 28 },
    xAxis: {
      type: 'value',
      min: from * 1000,
      max: report.end * 1000,
      ...axisCommon,
      splitLine: { show: false },
      axisLabel: { ...axisCommon.axisLabel, customValues: ticks.map((t) => t * 1000), formatter: (v: number) => dayLabel(v / 1000, report.timeZone, false) },
    },
    yAxis: {
      type: 'value',
      min: axis.min,
      max: 100,
      interval: axis.interval,
      ...axisCommon,
      axisLabel: { ...axisCommon.axisLabel, formatter: '{value}%' },
    },
    series: [
      {
        type: 'line',
        showSymbol: false,
        data: slo.budgetSeries.map((p) => [p.t * 1000, Number((p.remaining * 100).toFixed(3))]),
        lineStyle: { color, width: 2 },
        itemStyle: { color },
        areaStyle: { color, opacity: 0.12 },
        markArea: {
          silent: true,
          itemStyle: { color: palette.week },
          label: { show: true, position: 'insideTop', color: palette.burn, fontSize: 10, formatter: 'this week' },
          data: [[{ xAxis: report.start * 1000 }, { xAxis: report.end * 1000 }]],
        },
        markLine: {
          silent: true,
          symbol: 'none',
          lineStyle: { color: palette.bad, type: 'dashed', width: 1 },
          label: { show: false },
          data: [{ yAxis: 0 }],
        },
      },
    ],
  };
}

/** The 1-hour burn rate over the week, with the sustainable rate (1×), page/ticket intervals and deploy markers. */
export function burnChartOption(slo: SloWeek, report: Pick<WeeklyReport, 'start' | 'end' | 'timeZone' | 'generatedAt'>): Option {
  const until = firingUntil(report.start, report.end, report.generatedAt);
  const ticks = midnights(report.start, report.end, report.timeZone, 1);
  const peak = Math.max(1, ...slo.burnSeries.map((p) => p.burnRate ?? 0));
  const deploys = slo.deploys.filter((d) => d.deploy.finishedAt >= report.start && d.deploy.finishedAt < report.end);
  const alertAreas = slo.alerts.map((a) => [
    { xAxis: Math.max(a.firedAt ?? report.start, report.start) * 1000, itemStyle: { color: a.severity === 'page' ? 'rgba(214,69,69,0.14)' : 'rgba(217,138,16,0.14)' } },
    { xAxis: Math.min(a.resolvedAt ?? until, report.end) * 1000 },
  ]);
  return {
    title: { text: 'Burn rate this week (1 h window)', left: 8, top: 6, textStyle: { fontSize: 13, fontWeight: 'bold', color: palette.ink } },
    grid: { left: 52, right: 18, top: 38, bottom: 28 },
    xAxis: {
      type: 'value',
      min: report.start * 1000,
      max: report.end * 1000,
      ...axisCommon,
      splitLine: { show: true, lineStyle: { color: palette.grid }, customValues: ticks.map((t) => t * 1000) },
      axisLabel: { ...axisCommon.axisLabel, customValues: ticks.slice(0, 7).map((t) => t * 1000), formatter: (v: number) => dayLabel(v / 1000, report.timeZone, true) },
    },
    yAxis: {
      type: peak > 20 ? 'log' : 'value',
      ...(peak > 20 ? { min: 0.1, logBase: 10 } : { min: 0 }),
      ...axisCommon,
      axisLabel: { ...axisCommon.axisLabel, formatter: (v: number) => `${v}×` },
    },
    series: [
      {
        type: 'line',
        showSymbol: false,
        connectNulls: false,
        data: slo.burnSeries.map((p) => [p.t * 1000, p.burnRate === null ? null : Math.max(p.burnRate, peak > 20 ? 0.1 : 0)]),
        lineStyle: { color: palette.burn, width: 1.6 },
        itemStyle: { color: palette.burn },
        areaStyle: { color: palette.burn, opacity: 0.08 },
        markArea: { silent: true, data: alertAreas },
        markLine: {
          silent: true,
          symbol: ['none', 'none'],
          data: [
            { yAxis: 1, lineStyle: { color: palette.muted, type: 'dashed', width: 1 }, label: { formatter: '1×', color: palette.muted, fontSize: 10, position: 'insideEndTop' } },
            ...deploys.map((d) => ({
              xAxis: d.deploy.finishedAt * 1000,
              lineStyle: { color: palette.deploy, type: 'solid', width: 1.2 },
              label: { formatter: d.deploy.version ?? 'deploy', color: palette.deploy, fontSize: 10, position: 'insideEndTop' },
            })),
          ],
        },
      },
    ],
  };
}

export interface SloCharts {
  budget: string;
  burn: string;
}

/** Both charts of every SLO of a report, as SVG documents keyed by SLO name. */
export function renderReportCharts(report: WeeklyReport, size: ChartSize = chartSize): Map<string, SloCharts> {
  return new Map(
    report.slos.map((slo) => [slo.slo, { budget: renderChartSvg(budgetChartOption(slo, report), size), burn: renderChartSvg(burnChartOption(slo, report), size) }]),
  );
}

/**
 * A y axis from `low` (≤ 0) to 100% with about five labels at a round interval (25%, 50%, 100%, 250%, …), so a
 * budget overspent a hundredfold still has a readable axis.
 */
export function budgetAxis(low: number): { min: number; interval: number } {
  const rough = (100 - low) / 5;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const interval = Math.max(25, [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((step) => step >= rough) ?? 10 * magnitude);
  return { min: Math.floor(low / interval) * interval, interval };
}
