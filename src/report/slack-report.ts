import { formatBurnShort } from '../render/format.js';
import type { WeeklyReport } from './report-model.js';
import { formatConsumed } from './report-view.js';
import { formatPercent } from '../render/format.js';

export interface SlackReportMessage {
  text: string;
  blocks: Array<Record<string, unknown>>;
}

const maxSloLines = 20;
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The Slack summary: key figures per SLO (worst first), what is projected to run out, the costliest deploy, and a
 * link to the full report with charts when one is configured. Charts are not uploaded (that needs
 * `files.uploadV2` and a `files:write` scope); the email carries them.
 */
export function slackReportMessage(report: WeeklyReport, link: string | undefined): SlackReportMessage {
  const atRisk = report.slos.filter((s) => s.projection.status === 'exhausted' || s.projection.status === 'exhausts');
  const fired = report.slos.reduce((n, s) => n + s.alertSummary.fired, 0);
  const costliest = report.slos
    .flatMap((s) => s.deploys.map((d) => ({ slo: s.slo, d })))
    .filter((c) => c.d.consumed > 0)
    .sort((a, b) => b.d.consumed - a.d.consumed)[0];
  const dot = (remaining: number | null) => (remaining === null ? ':white_circle:' : remaining <= 0.2 ? ':red_circle:' : remaining <= 0.5 ? ':large_orange_circle:' : ':large_green_circle:');
  const lines = report.slos.slice(0, maxSloLines).map(
    (s) =>
      `${dot(s.budgetEnd)} *${escape(s.slo)}*: ${formatPercent(s.budgetEnd)} left (${formatPercent(s.budgetStart)} → ${formatPercent(s.budgetEnd)}, used ${formatConsumed(s.consumed)}) · burn ${formatBurnShort(s.weekBurnRate)} · ${s.alertSummary.fired} alert${s.alertSummary.fired === 1 ? '' : 's'}`,
  );
  if (report.slos.length > maxSloLines) lines.push(`…and ${report.slos.length - maxSloLines} more`);
  const headline = `${report.team}: error budgets ${report.week} — ${atRisk.length} of ${report.slos.length} SLOs at risk, ${fired} alert${fired === 1 ? '' : 's'} fired`;
  const blocks: Array<Record<string, unknown>> = [
    { type: 'header', text: { type: 'plain_text', text: `Error budgets · ${report.team} · ${report.week}`.slice(0, 150) } },
    { type: 'section', text: { type: 'mrkdwn', text: lines.join('\n').slice(0, 3000) } },
  ];
  const notes: string[] = [];
  if (atRisk.length > 0) notes.push(`:warning: Projected to run out before the window ends: ${atRisk.map((s) => `*${escape(s.slo)}*`).join(', ')}`);
  if (costliest) notes.push(`:rocket: Costliest deploy: *${escape(costliest.d.deploy.version ?? costliest.d.deploy.id)}* (${escape(costliest.d.deploy.service)}), ${formatConsumed(costliest.d.consumed)} of ${escape(costliest.slo)}'s budget`);
  if (notes.length > 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: notes.join('\n').slice(0, 3000) } });
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: link ? `<${link}|Full report with charts> · also sent by email where configured` : 'Charts are in the emailed report.' }],
  });
  return { text: headline, blocks };
}
