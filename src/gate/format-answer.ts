import type { GateAnswer, GateSloResult } from './gate-answer.js';

const marks = { allow: '+', deny: 'x', unknown: '?' } as const;

const subject = (answer: GateAnswer): string =>
  answer.request.service !== null ? `service ${answer.request.service}` : `SLO${answer.request.slos.length > 1 ? 's' : ''} ${answer.request.slos.join(', ')}`;

const budget = (s: GateSloResult): string =>
  s.budgetRemainingPercent === null ? 'budget -' : `budget ${s.budgetRemainingPercent.toFixed(1)}% left${s.budgetCovers === null ? '' : ` ${s.budgetCovers}`}`;

const burns = (s: GateSloResult): string => {
  const entries = Object.entries(s.burnRates);
  if (entries.length === 0) return '';
  return `burn ${entries.map(([window, rate]) => `${window} ${rate === null ? '-' : `${rate.toFixed(rate < 10 ? 2 : 1)}x`}`).join(' ')}`;
};

const count = (value: number): string => Math.round(value).toLocaleString('en-US');

/** `last deploy v1.4.2 (3f2a9c1) at … has cost 12.5% of the budget (50 errors of 40,000 events)`. */
export function lastDeployLine(s: GateSloResult): string | null {
  const d = s.lastDeploy;
  if (d === null) return null;
  const name = [d.version ?? d.id, d.commit && `(${d.commit.slice(0, 7)})`].filter(Boolean).join(' ');
  const about = d.exact ? '' : 'about ';
  const cost = d.budgetSpentPercent === null ? 'no events counted yet' : `has cost ${about}${d.budgetSpentPercent.toFixed(1)}% of the budget`;
  return `last deploy ${name} at ${d.finishedAt} ${cost} (${count(d.errors)} errors of ${count(d.total)} events)`;
}

function headline(answer: GateAnswer): string {
  const what = subject(answer);
  const count = `${answer.slos.length} SLO${answer.slos.length === 1 ? '' : 's'}`;
  if (answer.verdict === 'allow' && answer.override) {
    const o = answer.override;
    return `ALLOW (overridden): ${what} may deploy (${count}); override ${o.id} by ${o.author} until ${o.expiresAt}: ${o.reason}`;
  }
  if (answer.verdict === 'allow') return `ALLOW: ${what} may deploy (${count})`;
  if (answer.verdict === 'deny') return `DENY: ${what} may not deploy (${count})`;
  return `UNKNOWN: cannot decide for ${what} (${count})`;
}

/** The short human verdict: a headline, then per SLO its verdict, budget, burn rates and reasons. */
export function formatGateAnswer(answer: GateAnswer): string {
  const width = Math.max(...answer.slos.map((s) => s.slo.length));
  const lines = [headline(answer)];
  for (const s of answer.slos) {
    const verdict = s.overridden ? 'allow*' : s.verdict;
    lines.push(`  ${marks[s.verdict]} ${s.slo.padEnd(width)}  ${verdict.padEnd(7)}  ${[budget(s), burns(s)].filter(Boolean).join('  ')}`.trimEnd());
    for (const reason of s.reasons) lines.push(`      ${reason}`);
    const deploy = lastDeployLine(s);
    if (deploy !== null) lines.push(`      ${deploy}`);
  }
  return `${lines.join('\n')}\n`;
}
