import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { budgetAxis, budgetChartOption, burnChartOption, chartSize, renderChartSvg, renderReportCharts } from '../../src/report/charts.js';
import { svgToPng } from '../../src/report/svg-to-png.js';
import { sampleReport } from './sample-report.js';

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Share of non-white pixels of a PNG, decoded by letting resvg draw it as an image. */
function inkShare(png: Buffer, width: number, height: number): number {
  const wrapper = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}"><image width="${width}" height="${height}" xlink:href="data:image/png;base64,${png.toString('base64')}"/></svg>`;
  const pixels = new Resvg(wrapper, { background: '#ffffff' }).render().pixels;
  let ink = 0;
  for (let i = 0; i < pixels.length; i += 4) if (pixels[i]! < 200 || pixels[i + 1]! < 200 || pixels[i + 2]! < 200) ink += 1;
  return ink / (pixels.length / 4);
}

describe('charts', () => {
  const { report } = sampleReport();
  const slo = report.slos[0]!;

  it('render to SVG with the deploy markers and the week', () => {
    const charts = renderReportCharts(report).get(slo.slo)!;
    expect(charts.budget).toMatch(/^<svg[^>]*width="640" height="210"/);
    expect(charts.budget).toContain('this week');
    expect(charts.burn).toContain('v1.4.0');
    expect(charts.burn).toContain('Mon 9');
  });

  it('convert to a PNG of twice the size that is not blank', () => {
    const { png, width, height } = svgToPng(renderChartSvg(burnChartOption(slo, report)));
    expect({ width, height }).toEqual({ width: chartSize.width * 2, height: chartSize.height * 2 });
    expect(pngSize(png)).toEqual({ width: 1280, height: 420 });
    expect(inkShare(png, width, height)).toBeGreaterThan(0.01);
    const budget = svgToPng(renderChartSvg(budgetChartOption(slo, report)));
    expect(inkShare(budget.png, budget.width, budget.height)).toBeGreaterThan(0.01);
  });

  it('draws text: the fonts it loads are found and used', () => {
    const textOnly = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="4" y="30" font-family="DejaVu Sans, sans-serif" font-size="28" fill="#000">Budget</text></svg>';
    const withFonts = svgToPng(textOnly, { scale: 1 });
    const withoutFonts = new Resvg(textOnly, { background: '#ffffff', font: { loadSystemFonts: false } }).render();
    expect(inkShare(withoutFonts.asPng(), 200, 40)).toBe(0);
    expect(inkShare(withFonts.png, 200, 40)).toBeGreaterThan(0.05);
  });
});

describe('the budget chart axis', () => {
  const { report } = sampleReport();
  const slo = report.slos[0]!;

  it.each([
    ['a budget that never went below zero keeps quarters', 0, { min: 0, interval: 25 }],
    ['a little overspent goes one quarter down', -12, { min: -25, interval: 25 }],
    ['a fresh service at −10,040% gets round steps of 2,500%', -10_040, { min: -12_500, interval: 2500 }],
  ])('%s', (_sentence, low, expected) => {
    expect(budgetAxis(low)).toEqual(expected);
  });

  it('labels an overspent budget with a handful of values, not hundreds', () => {
    const overspent = { ...slo, budgetSeries: slo.budgetSeries.map((p, i) => ({ ...p, remaining: -13.37 * (i / slo.budgetSeries.length) })) };
    const svg = renderChartSvg(budgetChartOption(overspent, report));
    const labels = [...svg.matchAll(/>(-?[\d,.]+)%</g)].length;
    expect(labels).toBeGreaterThanOrEqual(3);
    expect(labels).toBeLessThanOrEqual(9);
  });
});
