import type { StoredAlert } from '../alerting/alert-store.js';
import type { PairFigure } from '../alerting/evaluation-figures.js';
import { formatDuration, humanizeSeconds } from '../core/duration.js';
import type { Logger } from '../log.js';
import type { AlertDetail, SloSummary } from '../notify/notification.js';
import { markdownToMrkdwn } from '../runbooks/markdown-to-mrkdwn.js';
import { cutAtBoundary, trimMrkdwn } from '../runbooks/trim.js';

/**
 * Where and how burnrate hands its alerts to Alertmanager. Not a receiver of the routing tree: Alertmanager
 * groups, times, deduplicates, silences and inhibits on its own, so it gets every active alert, as Prometheus
 * sends them.
 */
export interface AlertmanagerSettings {
  /** Every instance of the Alertmanager cluster; each gets every alert (the cluster deduplicates notifications). */
  urls: readonly string[];
  /** Seconds between posts of the active alerts. */
  resendInterval: number;
  /** Seconds a request may take. */
  timeout: number;
  /** Seconds a resolved alert keeps being posted (with its `endsAt`), so every instance learns it. */
  resolvedFor: number;
  /** burnrate's own address as readers reach it: the base of `generatorURL`. */
  externalUrl: string;
  /** The `severity` label per tier (e.g. page → critical); the `tier` label always says page or ticket. */
  severity: Readonly<Record<'page' | 'ticket', string>>;
  /** Also post an always-firing `Watchdog` alert while evaluation succeeds, for a dead man's switch route. */
  watchdog: boolean;
  /** This daemon's shard (`1/3`) when sharded: the Watchdog carries it, so each shard's silence is noticed on its own. */
  shard?: string;
}

/** A firing alert is valid for this many resend intervals (Prometheus's rule): a lost post or two never resolves it. */
export const validityIntervals = 4;

/** An alert in Alertmanager's API v2 (`POST /api/v2/alerts` takes an array of them). */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
}

/** Characters of the runbook's Markdown in the `runbook` annotation; `runbook_text` fits one Slack section. */
export const runbookMarkdownLimit = 16_000;
export const runbookTextLimit = 2_900;

/** The alerts to post at `now`: firing ones, and ones resolved within `resolvedFor` (pending alerts are never sent). */
export function alertsToPost(alerts: readonly StoredAlert[], now: number, resolvedFor: number): StoredAlert[] {
  return alerts.filter((alert) => alert.state === 'firing' || (alert.state === 'resolved' && alert.resolvedAt !== null && now - alert.resolvedAt <= resolvedFor));
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/** One burnrate alert as Alertmanager takes it: labels identify it (two daemons send the same), annotations carry the page. */
export function postableAlert(detail: AlertDetail, now: number, settings: Pick<AlertmanagerSettings, 'resendInterval' | 'externalUrl' | 'severity'>): PostableAlert {
  const { alert, slo } = detail;
  const tier = alert.severity;
  const labels: Record<string, string> = { ...alert.labels, severity: settings.severity[tier], tier };
  const endsAt = alert.state === 'resolved' && alert.resolvedAt !== null ? alert.resolvedAt : now + validityIntervals * settings.resendInterval;
  return {
    labels,
    annotations: annotationsOf(detail),
    startsAt: iso(Math.min(alert.firedAt ?? alert.activeAt, endsAt)),
    endsAt: iso(endsAt),
    generatorURL: `${settings.externalUrl.replace(/\/+$/, '')}/api/v1/slos/${encodeURIComponent(slo.name)}`,
  };
}

function annotationsOf(detail: AlertDetail): Record<string, string> {
  const { alert, slo, figures, runbook, deploy, links } = detail;
  const out: Record<string, string> = {};
  const budget = percent(figures.budgetRemaining);
  const exhaustion = figures.timeToExhaustion === null ? 'not burning' : figures.timeToExhaustion === 0 ? 'spent' : humanizeSeconds(figures.timeToExhaustion);
  if (alert.kind === 'no_data') {
    out['summary'] = `${slo.name} (${slo.service}): no data to judge the SLO by`;
  } else if (alert.kind === 'deploy_regression' && figures.regression) {
    const r = figures.regression;
    out['summary'] = `${slo.name} (${slo.service}) is worse since deploy ${r.deploy.version ?? r.deploy.id}: ${r.reason}`;
    if (r.rollback !== null) out['rollback'] = r.rollback;
    if (r.rollbackUrl) out['rollback_url'] = r.rollbackUrl;
  } else {
    out['summary'] = `${slo.name} (${slo.service}) is burning its error budget (${alert.severity}): ${burnHeadline(figures.pairs, alert.severity)}, ${budget} of the budget left`;
  }
  out['description'] = [slo.description, `Objective ${trimZeros(slo.objective.toFixed(4))}% over ${formatDuration(slo.window)}.`].filter((part) => part !== '').join(' ');
  out['objective'] = `${trimZeros(slo.objective.toFixed(4))}% over ${formatDuration(slo.window)}`;
  out['burn_rates'] = burnLines(figures.pairs.filter((pair) => pair.severity === alert.severity));
  out['budget_remaining'] = budget;
  out['time_to_exhaustion'] = exhaustion;
  if (figures.errorRatio !== null) out['error_ratio'] = percent(figures.errorRatio, 3);
  if (runbook !== null) {
    out['runbook'] = cutAtBoundary(runbook.markdown, runbookMarkdownLimit).text;
    out['runbook_text'] = trimMrkdwn(markdownToMrkdwn(runbook.markdown), runbookTextLimit, runbook.url, runbook.path);
    if (runbook.url !== null) out['runbook_url'] = runbook.url;
  }
  out['deploy'] = deployLine(deploy);
  if (deploy.found && deploy.deploy.url !== null) out['deploy_url'] = deploy.deploy.url;
  if (links.dashboard !== null) out['dashboard_url'] = links.dashboard;
  if (links.query !== null) out['query_url'] = links.query;
  return out;
}

function burnHeadline(pairs: readonly PairFigure[], severity: string): string {
  const firing = pairs.find((pair) => pair.severity === severity && pair.firing) ?? pairs.find((pair) => pair.severity === severity);
  if (firing === undefined) return 'burn rate n/a';
  return `${burn(firing.longBurnRate)} over ${formatDuration(firing.long)} (threshold ${trimZeros(firing.factor.toFixed(2))}×)`;
}

function burnLines(pairs: readonly PairFigure[]): string {
  return pairs
    .map((pair) => `${formatDuration(pair.long)} ${burn(pair.longBurnRate)} / ${formatDuration(pair.short)} ${burn(pair.shortBurnRate)} (threshold ${trimZeros(pair.factor.toFixed(2))}×${pair.firing ? ', firing' : ''})`)
    .join('; ');
}

function deployLine(deploy: AlertDetail['deploy']): string {
  if (!deploy.found) return `no deploy in the ${humanizeSeconds(deploy.lookback)} before the burn`;
  const d = deploy.deploy;
  const what = [d.service, d.version, d.commit === null ? null : `(${d.commit.slice(0, 7)})`].filter((part) => part !== null).join(' ');
  const by = d.author === null ? '' : ` by ${d.author}`;
  const env = d.environment === null ? '' : ` to ${d.environment}`;
  const summary = d.summary === null ? '' : `: ${d.summary}`;
  return `${what}${env}${by}, ${humanizeSeconds(Math.max(0, deploy.beforeBurn))} before the burn began${summary}`;
}

function burn(rate: number | null): string {
  if (rate === null || !Number.isFinite(rate)) return 'n/a';
  return `${rate >= 100 ? Math.round(rate) : rate.toFixed(1)}×`;
}

function percent(fraction: number | null, digits?: number): string {
  if (fraction === null || !Number.isFinite(fraction)) return 'n/a';
  const value = fraction * 100;
  return `${trimZeros(value.toFixed(digits ?? (Math.abs(value) >= 10 || value === 0 ? 0 : 1)))}%`;
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** How one post went: `retry` (5xx, 429, network, timeout) waits for the next interval; `rejected` (4xx) is logged with the reason. */
export type PostOutcome = { kind: 'ok' } | { kind: 'retry'; reason: string } | { kind: 'rejected'; status: number; reason: string };

/** Posts `alerts` to one Alertmanager's `/api/v2/alerts`. Never throws. */
export async function postAlerts(baseUrl: string, alerts: readonly PostableAlert[], timeoutSeconds: number): Promise<PostOutcome> {
  const url = `${baseUrl.replace(/\/+$/, '')}/api/v2/alerts`;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alerts),
      signal: AbortSignal.timeout(timeoutSeconds * 1000),
    });
    const text = (await response.text()).slice(0, 1000).trim();
    if (response.ok) return { kind: 'ok' };
    if (response.status === 429 || response.status >= 500) return { kind: 'retry', reason: `HTTP ${response.status}${text === '' ? '' : `: ${text}`}` };
    return { kind: 'rejected', status: response.status, reason: text === '' ? `HTTP ${response.status}` : text };
  } catch (error) {
    const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    return { kind: 'retry', reason: cause };
  }
}

export interface AlertmanagerPushParts {
  settings: AlertmanagerSettings;
  /** The alert store's active and recently resolved alerts. */
  alerts: () => readonly StoredAlert[];
  /** The SLO an alert names (also a removed one, whose resolve still goes out). */
  slo: (name: string) => SloSummary | undefined;
  /** Runbook, preceding deploy and links, read at send time. */
  enrich: (alert: StoredAlert, slo: SloSummary) => AlertDetail;
  /** Wall-clock time of the last cycle in which the backend answered (the Watchdog's proof of life). */
  lastSuccessfulCycle?: () => number | undefined;
  log: Logger;
}

/** The Watchdog is posted while the last successful cycle is at most this old (seconds). */
export const watchdogStaleAfter = (settings: Pick<AlertmanagerSettings, 'resendInterval'>): number => Math.max(300, 2 * settings.resendInterval);

/**
 * The always-firing alert of a dead man's switch (as Prometheus's `Watchdog`): posted with every push while
 * evaluation succeeds, valid for four intervals, so Alertmanager resolves it, and the switch behind its route
 * pages, once the daemon stops evaluating or posting.
 */
export function watchdogAlert(now: number, settings: Pick<AlertmanagerSettings, 'resendInterval' | 'externalUrl' | 'shard'>): PostableAlert {
  return {
    labels: { alertname: 'Watchdog', severity: 'none', source: 'burnrate', ...(settings.shard !== undefined && { shard: settings.shard }) },
    annotations: {
      summary: 'burnrate is evaluating SLOs: this alert fires for as long as it does',
      description: "Route it to a dead man's switch (a heartbeat service, or a receiver that pages when it stops): its end means burnrate stopped evaluating or cannot reach Alertmanager.",
    },
    startsAt: iso(now),
    endsAt: iso(now + validityIntervals * settings.resendInterval),
    generatorURL: `${settings.externalUrl.replace(/\/+$/, '')}/metrics`,
  };
}

/** What one push did, per Alertmanager URL. */
export interface PushResult {
  alerts: number;
  outcomes: ReadonlyArray<{ url: string; outcome: PostOutcome }>;
}

/**
 * One push: every firing alert and every recently resolved one, to every configured Alertmanager at once. Nothing
 * is queued: the alert store is the truth, so a failed post is simply made again, whole, at the next interval.
 */
export async function pushToAlertmanagers(parts: AlertmanagerPushParts, now: number): Promise<PushResult> {
  const { settings, log } = parts;
  const postable = alertsToPost(parts.alerts(), now, settings.resolvedFor).flatMap((alert) => {
    const slo = parts.slo(alert.slo);
    return slo === undefined ? [] : [postableAlert(parts.enrich(alert, slo), now, settings)];
  });
  const alive = parts.lastSuccessfulCycle?.();
  if (settings.watchdog && alive !== undefined && now - alive <= watchdogStaleAfter(settings)) postable.push(watchdogAlert(now, settings));
  if (postable.length === 0) return { alerts: 0, outcomes: [] };
  const outcomes = await Promise.all(settings.urls.map(async (url) => ({ url, outcome: await postAlerts(url, postable, settings.timeout) })));
  for (const { url, outcome } of outcomes) {
    if (outcome.kind === 'retry') log.warn({ alertmanager: url, reason: outcome.reason, alerts: postable.length }, 'posting alerts to Alertmanager failed; they are posted again at the next interval');
    else if (outcome.kind === 'rejected') log.error({ alertmanager: url, status: outcome.status, reason: outcome.reason, alerts: postable.length }, 'Alertmanager refused the alerts');
    else log.debug({ alertmanager: url, alerts: postable.length }, 'alerts posted to Alertmanager');
  }
  return { alerts: postable.length, outcomes };
}
