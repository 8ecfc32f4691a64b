import { describe, expect, it } from 'vitest';
import { buildReport, type BuildReportInput } from '../../src/report/build-report.js';
import { burnChartOption } from '../../src/report/charts.js';
import { parseIsoWeek, weekBounds } from '../../src/report/iso-week.js';
import { renderReportEmail, renderReportText } from '../../src/report/render-report.js';
import { reportView } from '../../src/report/report-view.js';
import { day, hour } from './synthetic-history.js';

// 2026-W49 in UTC: Mon 30 Nov 00:00 to Mon 7 Dec 00:00; the report is made on Tuesday, 13 minutes after a page fired.
const bounds = weekBounds(parseIsoWeek('2026-W49')!, 'UTC');
const now = bounds.start + day + 21 * hour;
const pageFired = now - 13 * 60;
const slo = { name: 'checkout-availability', service: 'checkout', description: 'Checkout requests succeed.', objective: 99.9, window: 30 * day };

function currentWeek(transitions: BuildReportInput['slos'][number]['transitions'], at = now): BuildReportInput {
  return {
    team: 'payments',
    week: '2026-W49',
    timeZone: 'UTC',
    start: bounds.start,
    end: bounds.end,
    deployWindow: 4 * hour,
    now: at,
    slos: [{ slo, evaluations: [], weekCounts: null, deploys: [], transitions }],
  };
}

type MarkArea = { data: Array<[{ xAxis: number }, { xAxis: number }]> };
const shadedAlerts = (option: ReturnType<typeof burnChartOption>) => ((option.series as Array<{ markArea: MarkArea }>)[0]!.markArea.data).map(([from, to]) => [from.xAxis / 1000, to.xAxis / 1000]);

describe('the report of the week still running', () => {
  const report = buildReport(currentWeek([{ severity: 'page', state: 'firing', at: pageFired }]));
  const week = report.slos[0]!;

  it('counts a still-firing alert up to the report time, not to the end of the week', () => {
    expect(week.alertSummary.firingSeconds).toBe(13 * 60);
    expect(week.alertSummary.openAtEnd).toBe(1);
    expect(renderReportText(report)).toContain('1 fired, 13m firing');
  });

  it('shades the still-firing alert on the burn chart up to the report time, not to Sunday', () => {
    expect(shadedAlerts(burnChartOption(week, report))).toEqual([[pageFired, now]]);
  });

  it('a past week counts and shades its still-firing alert to the end of the week', () => {
    const late = buildReport(currentWeek([{ severity: 'page', state: 'firing', at: pageFired }], bounds.end + 3 * day));
    expect(late.slos[0]!.alertSummary.firingSeconds).toBe(bounds.end - pageFired);
    expect(shadedAlerts(burnChartOption(late.slos[0]!, late))).toEqual([[pageFired, bounds.end]]);
  });

  it('a resolved alert counts to its resolve whatever the report time', () => {
    const resolved = buildReport(currentWeek([
      { severity: 'page', state: 'firing', at: pageFired - hour },
      { severity: 'page', state: 'resolved', at: pageFired - 30 * 60 },
    ]));
    expect(resolved.slos[0]!.alertSummary.firingSeconds).toBe(30 * 60);
    expect(resolved.slos[0]!.alertSummary.openAtEnd).toBe(0);
  });
});

describe('counts in the report read as English', () => {
  it.each([
    ['one page is "1 alert fired (1 page)"', [{ severity: 'page', state: 'firing', at: pageFired }], '1 alert fired (1 page) · 0 deploys', '0 of 1 SLO at risk'],
    [
      'two alerts are "2 alerts fired (1 page)"',
      [{ severity: 'ticket', state: 'firing', at: pageFired - hour }, { severity: 'page', state: 'firing', at: pageFired }],
      '2 alerts fired (1 page) · 0 deploys',
      '0 of 1 SLO at risk',
    ],
    ['none is "0 alerts fired (0 pages)"', [], '0 alerts fired (0 pages) · 0 deploys', '0 of 1 SLO at risk'],
  ] as const)('%s', (_sentence, transitions, alerts, atRisk) => {
    const report = buildReport(currentWeek(transitions));
    const text = renderReportText(report);
    expect(text).toContain(`${atRisk} · ${alerts}`);
    expect(text).not.toMatch(/\b1 (pages|alerts|deploys|SLOs)\b/);
  });

  it('the HTML says "1 page, 0 tickets" per SLO and "alert fired · 1 page" in the summary', () => {
    const report = buildReport(currentWeek([{ severity: 'page', state: 'firing', at: pageFired }]));
    const { html } = renderReportEmail(report);
    expect(html).toContain('1 fired (1 page, 0 tickets)');
    expect(html).toMatch(/alert fired · 1 page</);
    expect(reportView(report).summary.pagesText).toBe('1 page');
  });
});
