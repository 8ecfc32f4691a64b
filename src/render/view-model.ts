import { coverageText } from '../core/budget-coverage.js';
import type { AlertKind } from '../alerting/alert.js';
import type { PairFigure, RegressionFigures } from '../alerting/evaluation-figures.js';
import type { AlertDetail, Notification } from '../notify/notification.js';
import { isSafeHref } from '../runbooks/slack-escape.js';
import type { Severity } from '../slo/model.js';
import type { DeployCost } from '../engine/deploy-costs.js';
import { formatAgo, formatBurn, formatBurnShort, formatFactor, formatWindow, shortCommit } from './format.js';

/** A notification arranged for templates: alerts in reading order, URLs checked, runbook meta split out. */
export interface NotificationView {
  id: string;
  receiver: string;
  groupKey: string;
  groupLabels: Array<{ name: string; value: string }>;
  status: 'firing' | 'resolved';
  /** `ESCALATED` on the note that tells a ticket's thread its burn now pages. */
  state: 'FIRING' | 'RESOLVED' | 'ESCALATED';
  /** The most severe severity among the alerts that set the state. */
  severity: Severity;
  now: number;
  single: boolean;
  /** `checkout-availability`, or `3 SLOs of team payments`. */
  title: string;
  firingCount: number;
  resolvedCount: number;
  /** 🔴 page firing, 🟠 ticket firing, ⏫ ticket escalated to a page, ✅ resolved. */
  emoji: string;
  alerts: AlertView[];
  escalation: EscalationView | null;
}

export interface EscalationView {
  /** SLOs of this group now paging, e.g. `checkout-availability`. */
  slos: string[];
  at: number;
  /** The page's Slack permalink, when known. */
  link: string | null;
  /** The Slack channel id the page went to, when it went to Slack. */
  channel: string | null;
}

export interface AlertView {
  name: string;
  service: string;
  description: string;
  objective: number;
  window: number;
  severity: Severity;
  kind: AlertKind;
  state: 'firing' | 'pending' | 'resolved';
  stateLabel: 'FIRING' | 'PENDING' | 'RESOLVED';
  firing: boolean;
  emoji: string;
  activeAt: number;
  firedAt: number | null;
  resolvedAt: number | null;
  figuresAt: number;
  figuresStatus: 'ok' | 'insufficient_data' | 'backend_error';
  budgetRemaining: number | null;
  /** `over 2h 10m of 30d` while the history is shorter than the window, else empty. */
  budgetCovers: string;
  timeToExhaustion: number | null;
  errorRatio: number | null;
  /** The long-window burn of the first firing pair, else the highest long-window burn. */
  headlineBurn: number | null;
  pairs: PairView[];
  /** The pairs as aligned text lines: `1h 16.2× / 5m 41.0× ≥ 14.4×  FIRING`. */
  pairLines: string[];
  deploy: DeployView;
  /**
   * The budget each recent deploy of the service has cost this SLO so far, newest first:
   * `v42 (3f2a9c1, 1h ago, live) 2.8% · v41 (1d ago) 0.4%`; empty when no deploy is recorded.
   */
  deployCosts: string;
  /** What a DeployRegression compared; null for other alerts. */
  regression: RegressionView | null;
  runbook: RunbookView | null;
  links: { dashboard: string | null; query: string | null };
}

export interface RegressionView {
  /** `checkout v2.14.0 (abc1234 by ana)`. */
  deployLabel: string;
  deployId: string;
  finishedAt: number;
  deployUrl: string | null;
  /** `error ratio 0.5% (150 of 30,000) after the deploy against 0.1% (30 of 30,000) before it, burning 5×, 99.99% confidence`. */
  comparison: string;
  rollback: string | null;
  /** The deploy's rollback link (http(s) only). */
  rollbackUrl: string | null;
}

export interface PairView {
  long: string;
  short: string;
  longBurn: string;
  shortBurn: string;
  threshold: string;
  firing: boolean;
  status: 'FIRING' | 'ok' | 'no data';
  /** `≥` when firing, `<` otherwise. */
  comparison: string;
}

export type DeployView =
  | {
      found: true;
      service: string;
      environment: string | null;
      version: string | null;
      commit: string | null;
      commitShort: string;
      commitUrl: string | null;
      author: string | null;
      url: string | null;
      summary: string | null;
      finishedAt: number;
      beforeBurn: number;
    }
  | { found: false; service: string; lookback: number };

export interface RunbookView {
  path: string;
  url: string | null;
  owner: string | null;
  escalation: string | null;
  /** Other front matter entries. */
  meta: Array<{ name: string; value: string }>;
  markdown: string;
}

const severityRank: Record<Severity, number> = { page: 0, ticket: 1 };
const stateRank = { firing: 0, pending: 1, resolved: 2 } as const;

export function buildView(notification: Notification): NotificationView {
  const alerts = notification.alerts.map(alertView).sort(readingOrder);
  const firingCount = alerts.filter((alert) => alert.state !== 'resolved').length;
  const deciding = notification.status === 'firing' ? alerts.filter((alert) => alert.state !== 'resolved') : alerts;
  const severity = (deciding.length > 0 ? deciding : alerts).reduce<Severity>(
    (worst, alert) => (severityRank[alert.severity] < severityRank[worst] ? alert.severity : worst),
    'ticket',
  );
  const escalation = escalationView(notification);
  const groupLabels = Object.entries(notification.groupLabels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => ({ name, value }));
  return {
    id: notification.id,
    receiver: notification.receiver,
    groupKey: notification.groupKey,
    groupLabels,
    status: notification.status,
    state: escalation ? 'ESCALATED' : notification.status === 'firing' ? 'FIRING' : 'RESOLVED',
    severity,
    now: notification.createdAt,
    single: alerts.length === 1,
    title: groupTitle(alerts, groupLabels),
    firingCount,
    resolvedCount: alerts.length - firingCount,
    emoji: escalation ? '⏫' : stateEmoji(notification.status === 'firing' ? 'firing' : 'resolved', severity),
    alerts,
    escalation,
  };
}

function escalationView(notification: Notification): EscalationView | null {
  const escalation = notification.escalation;
  if (!escalation) return null;
  const slack = escalation.page?.slack;
  return { slos: escalation.slos, at: escalation.at, link: safeUrl(slack?.permalink), channel: slack?.channel ?? null };
}

function stateEmoji(state: 'firing' | 'pending' | 'resolved', severity: Severity): string {
  if (state === 'resolved') return '✅';
  if (state === 'pending') return '⏳';
  return severity === 'page' ? '🔴' : '🟠';
}

function groupTitle(alerts: AlertView[], labels: Array<{ name: string; value: string }>): string {
  const names = new Set(alerts.map((alert) => alert.name));
  if (names.size === 1) return alerts[0]?.name ?? 'no alerts';
  const of = labels
    .filter((label) => label.name !== 'alertname' && label.name !== 'severity')
    .map((label) => `${label.name} ${label.value}`)
    .join(', ');
  return `${names.size} SLOs${of === '' ? '' : ` of ${of}`}`;
}

function readingOrder(a: AlertView, b: AlertView): number {
  return (
    stateRank[a.state] - stateRank[b.state] ||
    severityRank[a.severity] - severityRank[b.severity] ||
    (a.budgetRemaining ?? Infinity) - (b.budgetRemaining ?? Infinity) ||
    a.name.localeCompare(b.name)
  );
}

function alertView(detail: AlertDetail): AlertView {
  const { alert, slo, figures } = detail;
  const own = figures.pairs.filter((pair) => pair.severity === alert.severity);
  const pairs = own.length > 0 ? own : figures.pairs;
  const firingPair = pairs.find((pair) => pair.firing);
  const longBurns = pairs.map((pair) => pair.longBurnRate).filter((rate): rate is number => rate !== null);
  const headlineBurn = firingPair?.longBurnRate ?? (longBurns.length > 0 ? Math.max(...longBurns) : null);
  return {
    name: slo.name,
    service: slo.service,
    description: slo.description,
    objective: slo.objective,
    window: slo.window,
    severity: alert.severity,
    kind: alert.kind,
    state: alert.state,
    stateLabel: alert.state === 'firing' ? 'FIRING' : alert.state === 'pending' ? 'PENDING' : 'RESOLVED',
    firing: alert.state === 'firing',
    emoji: stateEmoji(alert.state, alert.severity),
    activeAt: alert.activeAt,
    firedAt: alert.firedAt,
    resolvedAt: alert.resolvedAt,
    figuresAt: figures.at,
    figuresStatus: figures.status,
    budgetRemaining: figures.budgetRemaining,
    budgetCovers: figures.budgetCoverage === undefined ? '' : coverageText(figures.budgetCoverage, slo.window),
    timeToExhaustion: figures.timeToExhaustion,
    errorRatio: figures.errorRatio,
    headlineBurn,
    pairs: pairs.map(pairView),
    pairLines: pairLines(pairs),
    deploy: deployView(detail),
    deployCosts: deployCostsText(detail.deployCosts ?? [], figures.at),
    regression: alert.kind === 'deploy_regression' && figures.regression ? regressionView(figures.regression) : null,
    runbook: runbookView(detail),
    links: { dashboard: safeUrl(detail.links.dashboard), query: safeUrl(detail.links.query) },
  };
}

function pairView(pair: PairFigure): PairView {
  const missing = pair.longBurnRate === null || pair.shortBurnRate === null;
  return {
    long: formatWindow(pair.long),
    short: formatWindow(pair.short),
    longBurn: formatBurn(pair.longBurnRate),
    shortBurn: formatBurn(pair.shortBurnRate),
    threshold: formatFactor(pair.factor),
    firing: pair.firing,
    status: pair.firing ? 'FIRING' : missing ? 'no data' : 'ok',
    comparison: pair.firing ? '≥' : '<',
  };
}

/** Pair figures as text lines, columns aligned for a monospace font. */
export function pairLines(pairs: readonly PairFigure[]): string[] {
  const rows = pairs.map(pairView);
  const width = (pick: (row: PairView) => string) => Math.max(0, ...rows.map((row) => pick(row).length));
  const w = {
    long: width((row) => row.long),
    longBurn: width((row) => row.longBurn),
    short: width((row) => row.short),
    shortBurn: width((row) => row.shortBurn),
    threshold: width((row) => row.threshold),
  };
  return rows.map((row) =>
    [
      row.long.padEnd(w.long),
      row.longBurn.padStart(w.longBurn),
      '/',
      row.short.padEnd(w.short),
      row.shortBurn.padStart(w.shortBurn),
      row.comparison,
      `${row.threshold.padEnd(w.threshold)} `,
      row.status,
    ].join(' '),
  );
}

function deployCostsText(costs: readonly DeployCost[], now: number): string {
  return costs
    .map((cost) => {
      const d = cost.deploy;
      const about = [shortCommit(d.commit), formatAgo(d.finishedAt, now), cost.live ? 'live' : ''].filter(Boolean).join(', ');
      const spent = cost.budgetSpentPercent === null ? 'no events' : `${cost.exact ? '' : '≈'}${Number(cost.budgetSpentPercent.toPrecision(2)).toString()}%`;
      return `${d.version ?? d.id} (${about}) ${spent}`;
    })
    .join(' · ');
}

function deployView(detail: AlertDetail): DeployView {
  const preceding = detail.deploy;
  if (!preceding.found) return { found: false, service: detail.slo.service, lookback: preceding.lookback };
  const { deploy } = preceding;
  const repository = safeUrl(deploy.repositoryUrl);
  return {
    found: true,
    service: deploy.service,
    environment: deploy.environment,
    version: deploy.version,
    commit: deploy.commit,
    commitShort: shortCommit(deploy.commit),
    commitUrl: repository && deploy.commit ? `${repository.replace(/\/+$/, '')}/commit/${encodeURIComponent(deploy.commit)}` : null,
    author: deploy.author,
    url: safeUrl(deploy.url),
    summary: deploy.summary,
    finishedAt: deploy.finishedAt,
    beforeBurn: preceding.beforeBurn,
  };
}

const ratioText = (ratio: number | null): string => (ratio === null ? 'n/a' : `${trimmedPercent(ratio)}`);
const trimmedPercent = (ratio: number): string => `${Number((ratio * 100).toPrecision(2))}%`;
const events = (errors: number, total: number): string => `${Math.round(errors).toLocaleString('en-US')} of ${Math.round(total).toLocaleString('en-US')}`;

function regressionView(r: RegressionFigures): RegressionView {
  const d = r.deploy;
  const who = [shortCommit(d.commit), d.author && `by ${d.author}`].filter(Boolean).join(' ');
  const sure = r.confidence === null ? '' : `, ${r.confidence > 0.9999 ? '>99.99' : (r.confidence * 100).toFixed(2)}% confidence`;
  return {
    deployLabel: `${d.service}${d.version ? ` ${d.version}` : ''}${who ? ` (${who})` : ''}`,
    deployId: d.id,
    finishedAt: d.finishedAt,
    deployUrl: safeUrl(d.url),
    comparison:
      `error ratio ${ratioText(r.after.ratio)} (${events(r.after.errors, r.after.total)}) after the deploy against ` +
      `${ratioText(r.before.ratio)} (${events(r.before.errors, r.before.total)}) before it, burning ${formatBurnShort(r.burnRate)}${sure}`,
    rollback: r.rollback,
    rollbackUrl: safeUrl(r.rollbackUrl),
  };
}

function runbookView(detail: AlertDetail): RunbookView | null {
  const runbook = detail.runbook;
  if (runbook === null) return null;
  const { owner = null, escalation = null, ...rest } = runbook.meta;
  return {
    path: runbook.path,
    url: safeUrl(runbook.url),
    owner,
    escalation,
    meta: Object.entries(rest).map(([name, value]) => ({ name, value })),
    markdown: runbook.markdown,
  };
}

function safeUrl(url: string | null | undefined): string | null {
  return url && isSafeHref(url) ? url : null;
}
