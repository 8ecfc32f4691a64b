import { formatDuration, humanizeSeconds } from '../core/duration.js';
import type { PrecedingDeploy } from '../deploys/preceding-deploy.js';
import type { AlertDetail, Notification } from '../notify/notification.js';
import type { PagerDutyTarget } from '../routing/routing-model.js';

/** PagerDuty Events API v2 limits: `payload.summary` characters, a whole event's bytes, `dedup_key` characters. */
export const pagerDutyLimits = { summary: 1024, eventBytes: 512 * 1024, dedupKey: 255 } as const;
/** Room kept under the event limit, for what PagerDuty counts that we do not (headers, its own encoding). */
const eventBudget = pagerDutyLimits.eventBytes - 4 * 1024;
const trimmedMarker = '\n\n… (trimmed to fit PagerDuty’s 512 KB event limit; the full runbook is at the link)';

export interface PagerDutyLink {
  href: string;
  text: string;
}

export interface PagerDutyEvent {
  routing_key: string;
  event_action: 'trigger' | 'resolve';
  dedup_key: string;
  payload?: {
    summary: string;
    source: string;
    severity: PagerDutyTarget['severity']['page'];
    timestamp: string;
    component: string;
    group: string;
    class: string;
    custom_details: Record<string, unknown>;
  };
  links?: PagerDutyLink[];
  client?: string;
}

/** `dedup_key` of an incident: its first notification's id, the outbox row, stable across crashes and resends. */
export function pagerDutyDedupKey(incident: string): string {
  return incident.slice(0, pagerDutyLimits.dedupKey);
}

/**
 * The event for one notification: `trigger` while any alert of the group fires (a repeat or an update with the
 * same `dedup_key` joins PagerDuty's open alert), `resolve` with the same key once the group resolved. The
 * runbook text is trimmed so the whole event stays under 512 KB.
 */
export function pagerDutyEvent(n: Notification, dedupKey: string, target: Pick<PagerDutyTarget, 'routingKey' | 'severity' | 'client'>): PagerDutyEvent {
  const base = { routing_key: target.routingKey, dedup_key: dedupKey };
  if (n.status === 'resolved') return { ...base, event_action: 'resolve' };
  const firing = n.alerts.filter((a) => a.alert.state === 'firing');
  const lead = firing[0] ?? n.alerts[0];
  const paging = n.alerts.some((a) => a.alert.severity === 'page');
  const slo = lead?.slo;
  const event: PagerDutyEvent = {
    ...base,
    event_action: 'trigger',
    payload: {
      summary: truncate(summaryOf(n, lead, firing.length), pagerDutyLimits.summary),
      source: slo?.name ?? n.groupLabels['slo'] ?? n.receiver,
      severity: paging ? target.severity.page : target.severity.ticket,
      timestamp: new Date(((lead?.alert.firedAt ?? lead?.alert.activeAt ?? n.createdAt) * 1000)).toISOString(),
      component: slo?.service ?? lead?.alert.labels['service'] ?? '',
      group: slo?.labels['team'] ?? slo?.service ?? '',
      class: lead?.alert.labels['alertname'] ?? 'SLOBurnRate',
      custom_details: customDetails(n),
    },
    links: linksOf(n.alerts),
    client: target.client,
  };
  return fitRunbooks(event);
}

function summaryOf(n: Notification, lead: AlertDetail | undefined, firing: number): string {
  if (!lead) return `[FIRING] ${n.groupLabels['slo'] ?? n.groupKey}`;
  const more = firing > 1 ? ` (+${firing - 1} more)` : '';
  const { alert, figures } = lead;
  if (alert.kind === 'no_data') return `[FIRING] ${alert.slo} ${alert.severity}: no data${more}`;
  if (alert.kind === 'deploy_regression' && figures.regression) {
    const r = figures.regression;
    const ratio = (value: number | null) => (value === null ? 'n/a' : `${Number((value * 100).toPrecision(2))}%`);
    return `[FIRING] ${alert.slo} ${alert.severity}: worse since deploy ${r.deploy.version ?? r.deploy.id} of ${r.deploy.service}, error ratio ${ratio(r.before.ratio)} → ${ratio(r.after.ratio)}${more}`;
  }
  const pair = figures.pairs.find((p) => p.severity === alert.severity && p.firing) ?? figures.pairs.find((p) => p.severity === alert.severity);
  const burn = pair?.longBurnRate == null ? '' : ` burning ${rate(pair.longBurnRate)}× over ${formatDuration(pair.long)} (threshold ${rate(pair.factor)}×)`;
  const budget = figures.budgetRemaining === null ? '' : `, ${percent(figures.budgetRemaining)} of budget left`;
  return `[FIRING] ${alert.slo} ${alert.severity}:${burn}${budget}${more}`;
}

function customDetails(n: Notification): Record<string, unknown> {
  const runbooks = new Map<string, { path: string; url: string | null; owner?: string; text: string }>();
  for (const { runbook } of n.alerts) {
    if (runbook && !runbooks.has(runbook.path)) {
      runbooks.set(runbook.path, { path: runbook.path, url: runbook.url, ...(runbook.meta['owner'] !== undefined && { owner: runbook.meta['owner'] }), text: runbook.markdown });
    }
  }
  return {
    receiver: n.receiver,
    group_labels: n.groupLabels,
    notification: n.id,
    alerts: n.alerts.map(alertDetails),
    runbooks: [...runbooks.values()],
  };
}

function alertDetails(d: AlertDetail): Record<string, unknown> {
  const { alert, figures, slo } = d;
  return {
    slo: slo.name,
    description: slo.description,
    service: slo.service,
    severity: alert.severity,
    state: alert.state,
    kind: alert.kind,
    objective: `${slo.objective}% over ${formatDuration(slo.window)}`,
    active_since: new Date(alert.activeAt * 1000).toISOString(),
    burn_rates: figures.pairs.map((p) => ({
      severity: p.severity,
      windows: `${formatDuration(p.long)}/${formatDuration(p.short)}`,
      long: p.longBurnRate === null ? null : round(p.longBurnRate),
      short: p.shortBurnRate === null ? null : round(p.shortBurnRate),
      threshold: round(p.factor),
      firing: p.firing,
    })),
    budget_remaining: figures.budgetRemaining === null ? 'no data' : percent(figures.budgetRemaining),
    time_to_exhaustion: figures.timeToExhaustion === null ? 'not burning' : figures.timeToExhaustion === 0 ? 'spent' : humanizeSeconds(figures.timeToExhaustion),
    error_ratio: figures.errorRatio,
    preceding_deploy: deployDetails(d.deploy),
    recent_deploys_budget_cost: (d.deployCosts ?? []).map((cost) => ({
      deploy: cost.deploy.version ?? cost.deploy.id,
      finished_at: new Date(cost.deploy.finishedAt * 1000).toISOString(),
      live: cost.live,
      budget_spent: cost.budgetSpentPercent === null ? 'no events' : `${cost.exact ? '' : '≈'}${round(cost.budgetSpentPercent)}%`,
    })),
    labels: alert.labels,
    links: d.links,
  };
}

function deployDetails(deploy: PrecedingDeploy): Record<string, unknown> | string {
  if (!deploy.found) return `no deploy in the ${humanizeSeconds(deploy.lookback)} before the burn`;
  const e = deploy.deploy;
  return {
    service: e.service,
    environment: e.environment,
    version: e.version,
    commit: e.commit,
    author: e.author,
    finished_at: new Date(e.finishedAt * 1000).toISOString(),
    before_burn: humanizeSeconds(deploy.beforeBurn),
    url: e.url,
    summary: e.summary,
  };
}

function linksOf(alerts: readonly AlertDetail[]): PagerDutyLink[] {
  const links: PagerDutyLink[] = [];
  const add = (href: string | null | undefined, text: string) => {
    if (href && /^https?:\/\//.test(href) && !links.some((l) => l.href === href)) links.push({ href, text });
  };
  for (const a of alerts) {
    add(a.runbook?.url, `Runbook: ${a.runbook?.path ?? ''}`);
    add(a.links.dashboard, `Dashboard: ${a.slo.name}`);
    const regression = a.alert.kind === 'deploy_regression' && a.alert.state !== 'resolved' ? a.figures.regression : undefined;
    add(regression?.rollbackUrl, `Roll back: ${regression?.deploy.service ?? ''} ${regression?.deploy.version ?? ''}`.trim());
    if (a.deploy.found) add(a.deploy.deploy.url, `Deploy: ${a.deploy.deploy.service} ${a.deploy.deploy.version ?? a.deploy.deploy.commit ?? ''}`.trim());
    add(a.links.query, `Query: ${a.slo.name}`);
  }
  return links;
}

export const eventBytes = (event: unknown): number => Buffer.byteLength(JSON.stringify(event), 'utf8');

/**
 * Cuts the longest runbook text until the event fits, keeping the share of its characters that the room left
 * allows (bytes per character vary with escapes and multi-byte text, so it re-measures and cuts again if needed).
 */
function fitRunbooks(event: PagerDutyEvent): PagerDutyEvent {
  const runbooks = (event.payload?.custom_details['runbooks'] ?? []) as Array<{ text: string }>;
  for (let size = eventBytes(event), round = 0; size > eventBudget; size = eventBytes(event), round += 1) {
    const longest = runbooks.reduce<{ text: string } | undefined>((a, b) => (a && a.text.length >= b.text.length ? a : b), undefined);
    if (!longest || longest.text.length <= trimmedMarker.length || round > 20) {
      for (const r of runbooks) r.text = trimmedMarker.trim();
      break;
    }
    const body = longest.text.endsWith(trimmedMarker) ? longest.text.slice(0, -trimmedMarker.length) : longest.text;
    const bodyBytes = eventBytes(body);
    const room = eventBudget - (size - eventBytes(longest.text)) - eventBytes(trimmedMarker);
    const keep = Math.max(0, Math.min(body.length - 1, Math.floor((body.length * room) / bodyBytes) - 16));
    longest.text = `${cutAt(body, keep)}${trimmedMarker}`;
  }
  return event;
}

/** The first `length` characters, not splitting a surrogate pair. */
function cutAt(text: string, length: number): string {
  const end = length > 0 && /[\uD800-\uDBFF]/.test(text.charAt(length - 1)) ? length - 1 : length;
  return text.slice(0, end);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${cutAt(text, max - 1)}…`;
}

const round = (value: number) => Math.round(value * 100) / 100;
const rate = (value: number) => (value >= 10 ? value.toFixed(1) : value.toFixed(2)).replace(/\.?0+$/, '');
const percent = (fraction: number) => `${(fraction * 100).toFixed(1)}%`;
