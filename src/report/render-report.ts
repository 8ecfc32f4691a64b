import { createTemplates, type Templates } from '../render/templates.js';
import { renderReportCharts, type ChartSize } from './charts.js';
import type { WeeklyReport } from './report-model.js';
import { reportView, type ChartImages } from './report-view.js';
import { svgToPng } from './svg-to-png.js';

export interface RenderOptions {
  templates?: Templates;
  /** A URL where the full report can be read, shown at its foot. */
  link?: string;
  size?: ChartSize;
}

const dataUri = (type: string, data: Buffer | string) => `data:${type};base64,${Buffer.from(data).toString('base64')}`;

/** A standalone HTML page with the charts inline as SVG data URIs (`burnrate report --out`). */
export function renderReportPage(report: WeeklyReport, options: RenderOptions = {}): string {
  const templates = options.templates ?? createTemplates();
  const charts = renderReportCharts(report, options.size);
  const images = new Map([...charts].map(([slo, c]) => [slo, { budget: dataUri('image/svg+xml', c.budget), burn: dataUri('image/svg+xml', c.burn) }]));
  return templates.render('report/report.html.njk', reportView(report, images, options.link));
}

export interface ReportAttachment {
  filename: string;
  cid: string;
  contentType: 'image/png';
  content: Buffer;
}

export interface ReportEmail {
  subject: string;
  html: string;
  text: string;
  /** The charts as PNG, referenced from the HTML as `cid:`. */
  attachments: ReportAttachment[];
}

const slug = (text: string) => text.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase();

/** The email: HTML with the charts as inline PNG attachments (email clients do not show SVG), plus plain text. */
export function renderReportEmail(report: WeeklyReport, options: RenderOptions = {}): ReportEmail {
  const templates = options.templates ?? createTemplates();
  const charts = renderReportCharts(report, options.size);
  const attachments: ReportAttachment[] = [];
  const images = new Map<string, ChartImages>();
  for (const [slo, svgs] of charts) {
    const cid = (kind: string) => `${kind}-${slug(slo)}-${slug(report.week)}@burnrate`;
    for (const kind of ['budget', 'burn'] as const) {
      attachments.push({ filename: `${slug(slo)}-${kind}.png`, cid: cid(kind), contentType: 'image/png', content: svgToPng(svgs[kind]).png });
    }
    images.set(slo, { budget: `cid:${cid('budget')}`, burn: `cid:${cid('burn')}` });
  }
  const view = reportView(report, images, options.link);
  return {
    subject: reportSubject(report, view.summary.atRisk.length),
    html: templates.render('report/report.html.njk', view),
    text: templates.render('report/report.txt.njk', reportView(report, new Map(), options.link)),
    attachments,
  };
}

export function reportSubject(report: WeeklyReport, atRisk: number): string {
  return `[burnrate] ${report.team}: error budgets ${report.week}${atRisk > 0 ? ` · ${atRisk} at risk` : ''}`;
}

/** Plain text (the email's text part, and what the CLI prints without --out). */
export function renderReportText(report: WeeklyReport, options: RenderOptions = {}): string {
  return (options.templates ?? createTemplates()).render('report/report.txt.njk', reportView(report, new Map(), options.link));
}
