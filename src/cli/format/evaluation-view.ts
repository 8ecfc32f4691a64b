import { formatDuration, humanizeSeconds } from '../../core/duration.js';
import { formatTime } from '../../core/time.js';
import type { SloEvaluation } from '../../engine/slo-evaluation.js';
import { renderTable } from './table.js';

const percent = (fraction: number | null, digits = 1) => (fraction === null ? '-' : `${(fraction * 100).toFixed(digits)}%`);
const burn = (rate: number | null) => (rate === null ? '?' : rate >= 100 ? rate.toFixed(0) : rate.toFixed(rate >= 10 ? 1 : 2));

/** Burn rates of each pair as `long/short`, with the threshold: `1h/5m 15.2/14.9 ≥14.4`. */
function pairSummary(evaluation: SloEvaluation): string {
  return evaluation.severities
    .flatMap((severity) => severity.pairs)
    .map((p) => `${formatDuration(p.pair.long)}/${formatDuration(p.pair.short)} ${burn(p.long.burnRate)}/${burn(p.short.burnRate)}${p.state === 'firing' ? '!' : ''}`)
    .join('  ');
}

function stateOf(evaluation: SloEvaluation, severity: 'page' | 'ticket'): string {
  const decision = evaluation.severities.find((s) => s.severity === severity);
  if (!decision) return '-';
  return decision.state === 'firing' ? 'FIRING' : decision.state;
}

export function evaluationTable(evaluations: readonly SloEvaluation[]): string {
  const rows = evaluations.map((e) => [
    e.slo,
    `${e.objective}%`,
    e.status,
    percent(e.budget.remaining),
    e.budget.timeToExhaustion === null ? '-' : humanizeSeconds(e.budget.timeToExhaustion),
    stateOf(e, 'page'),
    stateOf(e, 'ticket'),
    pairSummary(e),
  ]);
  const at = evaluations[0] ? `evaluated at ${formatTime(evaluations[0].at)}\n` : '';
  const notes = evaluations
    .flatMap((e) => [
      ...(e.error ? [`${e.slo}: backend error: ${e.error}`] : []),
      ...e.windows
        .filter((w) => w.status !== 'ok')
        .map((w) => `${e.slo}: ${formatDuration(w.window)} window ${w.status.replace('_', ' ')} (${Math.round(w.total)} events, ${percent(w.coverage, 0)} covered)`),
    ])
    .map((note) => `  note: ${note}\n`)
    .join('');
  return at + renderTable(['SLO', 'OBJECTIVE', 'STATUS', 'BUDGET LEFT', 'EXHAUSTED IN', 'PAGE', 'TICKET', 'BURN RATE long/short (! = pair firing)'], rows) + notes;
}
