import { alertNames, type AlertKind, type AlertState } from '../alerting/alert.js';
import type { RegressionFigures } from '../alerting/evaluation-figures.js';
import { formatDuration } from '../core/duration.js';
import type { AlertDetail, Notification } from '../notify/notification.js';

/** The payload's version: a change that could break a receiver gets a new one. */
export const webhookPayloadVersion = 'burnrate.webhook/v1';

/** RFC 3339 UTC time with seconds, e.g. `2026-03-14T03:12:00Z`. */
export type Timestamp = string;

/**
 * The JSON body of one webhook request: one notification of an alert group, firing first. Field by field in
 * docs/receivers/webhook.md. Times are RFC 3339 UTC; durations are seconds (with a readable `…Text` beside them
 * where it helps); ratios are fractions (0.62 = 62%), the objective is a percentage as in the SLO file.
 */
export interface WebhookPayload {
  version: typeof webhookPayloadVersion;
  /** The notification's id, equal to the `Idempotency-Key` header: a resend carries the same one. */
  notificationId: string;
  /** The id of the incident's first notification (its page): every update and the resolve carry it. */
  incidentId: string;
  receiver: string;
  groupKey: string;
  groupLabels: Record<string, string>;
  /** `firing` while any alert of the group fires. */
  status: 'firing' | 'resolved';
  /** When the notification was planned. */
  createdAt: Timestamp;
  /** Set on the update that tells a ticket's incident its burn now pages. */
  escalation: { slos: string[]; at: Timestamp; pageNotificationId: string } | null;
  alerts: WebhookAlert[];
}

export interface WebhookAlert {
  /** Hash of the labels: the alert's identity. */
  fingerprint: string;
  /** `SLOBurnRate` or `SLONoData`. */
  alertname: string;
  kind: AlertKind;
  severity: string;
  state: AlertState;
  labels: Record<string, string>;
  /** When the condition began (the burn started, or data went missing). */
  startsAt: Timestamp;
  /** When it turned firing; null while pending. */
  firedAt: Timestamp | null;
  /** When it resolved; null while active. */
  endsAt: Timestamp | null;
  slo: {
    name: string;
    service: string;
    description: string;
    /** Percent, e.g. 99.9. */
    objective: number;
    /** Seconds. */
    window: number;
    windowText: string;
    labels: Record<string, string>;
  };
  figures: WebhookFigures;
  /** A DeployRegression's comparison: the deploy, the periods before and after it (times RFC 3339), the rollback. Only on those alerts. */
  regression?: WebhookRegression;
  /** The runbook as read when this request was built; null when the SLO names none. */
  runbook: { path: string; url: string | null; markdown: string; meta: Record<string, string> } | null;
  deploy: WebhookDeploy;
  /** The budget each recent deploy of the service has cost the SLO up to these figures, newest first. */
  deployCosts: WebhookDeployCost[];
  links: { runbook: string | null; dashboard: string | null; query: string | null };
}

export interface WebhookDeployCost {
  id: string;
  version: string | null;
  commit: string | null;
  finishedAt: Timestamp;
  /** Still the live deploy at the figures' time. */
  live: boolean;
  errors: number;
  total: number;
  /** Percent of the SLO window's error budget its errors spent; null without events in the window. */
  budgetSpentPercent: number | null;
  /** False when its split from a neighbouring deploy was interpolated between hourly ledger rows. */
  exact: boolean;
}

export interface WebhookRegression {
  deploy: { id: string; service: string; version: string | null; commit: string | null; author: string | null; finishedAt: Timestamp; url: string | null };
  before: { from: Timestamp; to: Timestamp; errors: number; total: number; ratio: number | null };
  after: { from: Timestamp; to: Timestamp; errors: number; total: number; ratio: number | null };
  burnRate: number | null;
  confidence: number | null;
  reason: string;
  rollback: string | null;
  rollbackUrl: string | null;
}

export interface WebhookFigures {
  /** When the evaluation behind these figures ran. */
  at: Timestamp;
  status: 'ok' | 'insufficient_data' | 'backend_error';
  /** Fraction of the window's budget left; negative once overspent; null without data. */
  budgetRemaining: number | null;
  /** Fraction of the SLO window the budget covers (below 1 while history is shorter); null when unknown. */
  budgetCoverage: number | null;
  /** Seconds until the budget is spent at the current burn; null when not burning; 0 when spent. */
  timeToExhaustion: number | null;
  /** Error ratio over the SLO window. */
  errorRatio: number | null;
  /** One entry per alert window pair: the burn rates of its long and short windows against its factor. */
  burnRates: Array<{
    severity: string;
    longWindow: string;
    shortWindow: string;
    longWindowSeconds: number;
    shortWindowSeconds: number;
    factor: number;
    longBurnRate: number | null;
    shortBurnRate: number | null;
    firing: boolean;
  }>;
}

/** The deploy that preceded the burn, or the statement that none landed in the lookback. */
export type WebhookDeploy =
  | {
      found: true;
      /** Seconds between the deploy landing and the burn beginning. */
      beforeBurn: number;
      id: string;
      service: string;
      environment: string | null;
      version: string | null;
      commit: string | null;
      repositoryUrl: string | null;
      author: string | null;
      startedAt: Timestamp | null;
      finishedAt: Timestamp;
      url: string | null;
      summary: string | null;
      tags: string[];
    }
  | { found: false; /** Seconds looked back from the burn's start. */ lookback: number };

export const isoTime = (seconds: number): Timestamp => new Date(Math.round(seconds) * 1000).toISOString().replace('.000Z', 'Z');
const isoOrNull = (seconds: number | null): Timestamp | null => (seconds === null ? null : isoTime(seconds));

/** The payload of `notification`, which belongs to the incident opened by `incidentId`. */
export function webhookPayload(notification: Notification, incidentId: string): WebhookPayload {
  const { escalation } = notification;
  return {
    version: webhookPayloadVersion,
    notificationId: notification.id,
    incidentId,
    receiver: notification.receiver,
    groupKey: notification.groupKey,
    groupLabels: { ...notification.groupLabels },
    status: notification.status,
    createdAt: isoTime(notification.createdAt),
    escalation: escalation ? { slos: [...escalation.slos], at: isoTime(escalation.at), pageNotificationId: escalation.pageId } : null,
    alerts: notification.alerts.map(webhookAlert),
  };
}

function webhookAlert(detail: AlertDetail): WebhookAlert {
  const { alert, slo, figures, runbook, deploy, links } = detail;
  return {
    fingerprint: alert.fingerprint,
    alertname: alert.labels['alertname'] ?? alertNames[alert.kind],
    kind: alert.kind,
    severity: alert.severity,
    state: alert.state,
    labels: { ...alert.labels },
    startsAt: isoTime(alert.activeAt),
    firedAt: isoOrNull(alert.firedAt),
    endsAt: isoOrNull(alert.resolvedAt),
    slo: { name: slo.name, service: slo.service, description: slo.description, objective: slo.objective, window: slo.window, windowText: formatDuration(slo.window), labels: { ...slo.labels } },
    figures: {
      at: isoTime(figures.at),
      status: figures.status,
      budgetRemaining: figures.budgetRemaining,
      budgetCoverage: figures.budgetCoverage ?? null,
      timeToExhaustion: figures.timeToExhaustion,
      errorRatio: figures.errorRatio,
      burnRates: figures.pairs.map((pair) => ({
        severity: pair.severity,
        longWindow: formatDuration(pair.long),
        shortWindow: formatDuration(pair.short),
        longWindowSeconds: pair.long,
        shortWindowSeconds: pair.short,
        factor: pair.factor,
        longBurnRate: pair.longBurnRate,
        shortBurnRate: pair.shortBurnRate,
        firing: pair.firing,
      })),
    },
    ...(alert.kind === 'deploy_regression' && figures.regression && { regression: webhookRegression(figures.regression) }),
    runbook: runbook && { path: runbook.path, url: runbook.url, markdown: runbook.markdown, meta: { ...runbook.meta } },
    deploy: deploy.found
      ? {
          found: true,
          beforeBurn: deploy.beforeBurn,
          id: deploy.deploy.id,
          service: deploy.deploy.service,
          environment: deploy.deploy.environment,
          version: deploy.deploy.version,
          commit: deploy.deploy.commit,
          repositoryUrl: deploy.deploy.repositoryUrl,
          author: deploy.deploy.author,
          startedAt: isoOrNull(deploy.deploy.startedAt),
          finishedAt: isoTime(deploy.deploy.finishedAt),
          url: deploy.deploy.url,
          summary: deploy.deploy.summary,
          tags: [...deploy.deploy.tags],
        }
      : { found: false, lookback: deploy.lookback },
    deployCosts: (detail.deployCosts ?? []).map((cost) => ({
      id: cost.deploy.id,
      version: cost.deploy.version,
      commit: cost.deploy.commit,
      finishedAt: isoTime(cost.deploy.finishedAt),
      live: cost.live,
      errors: cost.errors,
      total: cost.total,
      budgetSpentPercent: cost.budgetSpentPercent,
      exact: cost.exact,
    })),
    links: { runbook: runbook?.url ?? null, dashboard: links.dashboard, query: links.query },
  };
}

function webhookRegression(r: RegressionFigures): WebhookRegression {
  const side = (p: RegressionFigures['before']) => ({ from: isoTime(p.from), to: isoTime(p.to), errors: p.errors, total: p.total, ratio: p.ratio });
  return {
    deploy: { ...r.deploy, finishedAt: isoTime(r.deploy.finishedAt) },
    before: side(r.before),
    after: side(r.after),
    burnRate: r.burnRate,
    confidence: r.confidence,
    reason: r.reason,
    rollback: r.rollback,
    rollbackUrl: r.rollbackUrl ?? null,
  };
}
