import { humanizeSeconds } from '../core/duration.js';
import { formatConfidence } from '../core/error-ratio-comparison.js';
import { formatTime } from '../core/time.js';
import type { DeployEvent } from '../deploys/deploy.js';
import type { Period, SloVerification, VerificationAnswer } from './verify-service.js';

/** What the two sides are called: after the deploy against before it (or a week earlier), the canary against stable. */
const sidesOf = (answer: VerificationAnswer) =>
  answer.baseline === 'stable' ? { baseline: 'stable', candidate: 'canary' } as const : { baseline: 'before', candidate: 'after' } as const;

/**
 * The JSON answer of `burnrate verify --format json` and `GET /api/v1/verify`: times in RFC 3339, each SLO's
 * sides as `before` and `after`, or `stable` and `canary`.
 */
export function verificationView(answer: VerificationAnswer) {
  const period = (p: Period) => ({ from: formatTime(p.from), to: formatTime(p.to) });
  const side = (s: SloVerification['baseline']) => ({ ...period(s), errors: s.errors, total: s.total, errorRatio: s.ratio, burnRate: s.burnRate });
  const names = sidesOf(answer);
  return {
    verdict: answer.verdict,
    complete: answer.complete,
    service: answer.service,
    deploy: answer.deploy && deployView(answer.deploy),
    since: formatTime(answer.since),
    at: formatTime(answer.at),
    watchedSeconds: answer.watched,
    periodSeconds: answer.period,
    baseline: answer.baseline,
    reasons: answer.reasons,
    slos: answer.slos.map((s) => ({
      slo: s.slo,
      objective: s.objective,
      verdict: s.verdict,
      reason: s.reason,
      [names.baseline]: side(s.baseline),
      [names.candidate]: side(s.candidate),
      pValue: s.pValue,
      confidence: s.confidence,
      exact: s.exact,
    })),
  };
}

const deployView = (d: DeployEvent) => ({
  id: d.id,
  service: d.service,
  environment: d.environment,
  version: d.version,
  commit: d.commit,
  author: d.author,
  finishedAt: formatTime(d.finishedAt),
  url: d.url,
});

const percent = (ratio: number | null): string => (ratio === null ? '-' : `${(ratio * 100).toPrecision(3)}%`);
const events = (errors: number, total: number): string => `${Math.round(errors).toLocaleString('en-US')}/${Math.round(total).toLocaleString('en-US')}`;
/** How sure the ratio after is higher; nothing to say where it is not higher at all. */
const sure = (s: SloVerification): string =>
  s.confidence === null || s.candidate.ratio === null || s.baseline.ratio === null || s.candidate.ratio <= s.baseline.ratio ? '-' : formatConfidence(s.confidence);

function headline(answer: VerificationAnswer, now: number): string {
  const d = answer.deploy;
  const what = d
    ? `${answer.service} ${d.version ?? d.id} (deploy ${d.id}${d.author ? ` by ${d.author}` : ''}, ${humanizeSeconds(now - d.finishedAt)} ago)`
    : `${answer.service} since ${formatTime(answer.since)}`;
  const span = `${humanizeSeconds(answer.watched)}${answer.complete ? '' : ` of ${humanizeSeconds(answer.period)}`}`;
  const against = { before: 'as long right before it', week: 'the same time a week earlier' } as const;
  const watched = answer.baseline === 'stable' ? `canary against stable over ${span} after it` : `${span} after it against ${against[answer.baseline]}`;
  return `${answer.verdict.toUpperCase()}${answer.verdict === 'pass' && !answer.complete ? ' (so far)' : ''}: ${what}, ${watched}`;
}

/** The human answer: a headline, a table of the SLOs, and the reasons. */
export function formatVerification(answer: VerificationAnswer, now: number): string {
  const width = Math.max(3, ...answer.slos.map((s) => s.slo.length));
  const names = sidesOf(answer);
  const burn = `burn ${names.candidate}`;
  const header = `  ${'SLO'.padEnd(width)}  verdict       ${names.baseline.padEnd(19)}  ${names.candidate.padEnd(19)}  ${burn}  confidence`;
  const rows = answer.slos.map(
    (s) =>
      `  ${s.slo.padEnd(width)}  ${s.verdict.padEnd(12)}  ${`${percent(s.baseline.ratio)} ${events(s.baseline.errors, s.baseline.total)}`.padEnd(19)}  ${`${percent(s.candidate.ratio)} ${events(s.candidate.errors, s.candidate.total)}`.padEnd(19)}  ${(s.candidate.burnRate === null ? '-' : `${s.candidate.burnRate.toFixed(2)}x`).padStart(burn.length)}  ${sure(s)}`,
  );
  return `${[headline(answer, now), header, ...rows, ...answer.reasons.map((r) => `  ${r}`)].join('\n')}\n`;
}
