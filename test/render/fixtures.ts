import { fileURLToPath } from 'node:url';
import type { Alert } from '../../src/alerting/alert.js';
import type { DeployEvent } from '../../src/deploys/deploy.js';
import type { DeployCost } from '../../src/engine/deploy-costs.js';
import type { EvaluationFigures, PairFigure } from '../../src/alerting/evaluation-figures.js';
import type { AlertDetail, Notification, SloSummary } from '../../src/notify/notification.js';
import { loadRunbook } from '../../src/runbooks/load-runbook.js';

/** Fixed times: a page at 03:12 UTC, resolved at 03:45. */
export const at = (hhmmss: string): number => Date.parse(`2026-03-14T${hhmmss}Z`) / 1000;

export const runbookDir = fileURLToPath(new URL('../../runbooks/', import.meta.url));
export const runbookBaseUrl = 'https://github.com/acme/slo-config/blob/main/runbooks';

export const checkoutSlo: SloSummary = {
  name: 'checkout-availability',
  service: 'checkout',
  description: 'Checkout requests succeed (no 5xx responses).',
  objective: 99.9,
  window: 30 * 86_400,
  labels: { team: 'payments' },
};

const hour = 3600;
const pair = (
  severity: PairFigure['severity'],
  long: number,
  factor: number,
  longBurnRate: number | null,
  shortBurnRate: number | null,
): PairFigure => ({
  severity,
  long,
  short: long / 12,
  factor,
  longBurnRate,
  shortBurnRate,
  firing: longBurnRate !== null && shortBurnRate !== null && longBurnRate >= factor && shortBurnRate >= factor,
});

export const checkoutDeploy: DeployEvent = {
  id: 'dep-4812',
  service: 'checkout',
  environment: 'production',
  version: 'v2.31.0',
  commit: '3f9c2a1d8e7b6c5a4f3e2d1c0b9a8f7e6d5c4b3a',
  repositoryUrl: 'https://github.com/acme/checkout',
  author: 'Dana Kim',
  startedAt: at('02:51:40'),
  finishedAt: at('02:55:10'),
  url: 'https://ci.acme.example/deploys/4812',
  rollbackUrl: null,
  summary: 'Pool payment-gateway HTTP/2 connections (#1932)',
  tags: ['canary:skipped'],
  source: 'api',
};

/** The deploy before it, two days earlier. */
export const previousCheckoutDeploy: DeployEvent = {
  ...checkoutDeploy,
  id: 'dep-4790',
  version: 'v2.30.2',
  commit: '9b1e7c44a0d2f6e8b3c5a7d9e1f3b5c7d9e1f3a5',
  startedAt: at('02:51:40') - 2 * 86_400,
  finishedAt: at('02:55:10') - 2 * 86_400,
  summary: null,
  tags: [],
};

/** What the two deploys have cost the SLO by the figures' time: the live one most of what was spent. */
export function checkoutDeployCosts(now: number): DeployCost[] {
  return [
    { deploy: checkoutDeploy, from: checkoutDeploy.finishedAt, to: now, live: true, errors: 4_212, total: 1_683_000, budgetSpentPercent: 37.96, exact: true },
    { deploy: previousCheckoutDeploy, from: previousCheckoutDeploy.finishedAt, to: checkoutDeploy.finishedAt, live: false, errors: 287, total: 4_512_000, budgetSpentPercent: 2.59, exact: true },
  ];
}

export function checkoutAlert(state: Alert['state']): Alert {
  return {
    fingerprint: '9b1f0c2e4d6a8b31',
    labels: {
      alertname: 'SLOBurnRate',
      slo: 'checkout-availability',
      service: 'checkout',
      severity: 'page',
      team: 'payments',
    },
    kind: 'burn',
    slo: 'checkout-availability',
    severity: 'page',
    state,
    activeAt: at('03:02:30'),
    firedAt: at('03:04:30'),
    resolvedAt: state === 'resolved' ? at('03:45:30') : null,
    updatedAt: state === 'resolved' ? at('03:45:30') : at('03:12:00'),
  };
}

export const firingFigures: EvaluationFigures = {
  at: at('03:12:00'),
  status: 'ok',
  budgetRemaining: 0.62,
  timeToExhaustion: Math.round((0.62 * 30 * 86_400) / 16.2),
  errorRatio: 0.00038,
  pairs: [
    pair('page', hour, 14.4, 16.2, 41.0),
    pair('page', 6 * hour, 6, 4.1, 9.0),
    pair('ticket', 24 * hour, 3, 1.3, 4.6),
    pair('ticket', 72 * hour, 1, 0.9, 1.6),
  ],
};

export const resolvedFigures: EvaluationFigures = {
  at: at('03:45:30'),
  status: 'ok',
  budgetRemaining: 0.597,
  timeToExhaustion: null,
  errorRatio: 0.000403,
  pairs: [
    pair('page', hour, 14.4, 9.4, 0.2),
    pair('page', 6 * hour, 6, 4.9, 0.6),
    pair('ticket', 24 * hour, 3, 1.5, 0.8),
    pair('ticket', 72 * hour, 1, 0.95, 0.9),
  ],
};

export function checkoutDetail(state: Alert['state'], overrides: Partial<AlertDetail> = {}): AlertDetail {
  return {
    alert: checkoutAlert(state),
    slo: checkoutSlo,
    figures: state === 'resolved' ? resolvedFigures : firingFigures,
    runbook: loadRunbook(runbookDir, 'checkout-availability.md', runbookBaseUrl),
    deploy: { found: true, deploy: checkoutDeploy, beforeBurn: at('03:02:30') - checkoutDeploy.finishedAt },
    deployCosts: checkoutDeployCosts(state === 'resolved' ? resolvedFigures.at : firingFigures.at),
    links: {
      dashboard: 'https://grafana.acme.example/d/slo-checkout/checkout-availability?from=now-6h&to=now',
      query: 'https://prometheus.acme.example/graph?g0.expr=slo%3Aerror_ratio%3Arate5m%7Bslo%3D%22checkout-availability%22%7D&g0.range_input=6h',
    },
    ...overrides,
  };
}

export function pageNotification(details: AlertDetail[] = [checkoutDetail('firing')]): Notification {
  return {
    id: 'ntf-20260314-0312-7c1e',
    receiver: 'payments-oncall',
    groupKey: '{}:{team="payments"}',
    groupLabels: { team: 'payments' },
    status: details.some((detail) => detail.alert.state !== 'resolved') ? 'firing' : 'resolved',
    alerts: details,
    createdAt: at('03:12:00'),
  };
}

export function resolveNotification(): Notification {
  return { ...pageNotification([checkoutDetail('resolved')]), id: 'ntf-20260314-0346-d402', createdAt: at('03:46:00') };
}

/** A group of `count` alerts of different SLOs, some resolved, with long descriptions and a long deploy summary. */
export function bigGroup(count: number): Notification {
  const details = Array.from({ length: count }, (_, i): AlertDetail => {
    const state: Alert['state'] = i % 4 === 3 ? 'resolved' : 'firing';
    const base = checkoutDetail(state);
    const name = `service-${String(i).padStart(2, '0')}-availability`;
    return {
      ...base,
      alert: { ...base.alert, slo: name, fingerprint: `fp-${i}`, severity: i % 3 === 0 ? 'ticket' : 'page' },
      slo: { ...checkoutSlo, name, service: `service-${i}`, description: `${'Requests succeed. '.repeat(150)}<!here>` },
      figures: { ...base.figures, budgetRemaining: 0.9 - i / 100 },
      runbook: loadRunbook(runbookDir, i % 2 === 0 ? 'checkout-availability.md' : `missing-${i}.md`, null),
      deploy:
        i % 5 === 0
          ? { found: false, lookback: 24 * 3600 }
          : { found: true, deploy: { ...checkoutDeploy, service: `service-${i}`, summary: 'x'.repeat(2500) }, beforeBurn: 600 },
    };
  });
  return { ...pageNotification(details), groupLabels: { team: 'payments' } };
}

/** The checkout ticket's thread told that its burn now pages: the page landed in Slack at `pageTs`. */
export function escalationNotification(): Notification {
  const figures = { ...firingFigures, pairs: [...firingFigures.pairs.slice(0, 2), pair('ticket', 24 * hour, 3, 4.2, 16.8), pair('ticket', 72 * hour, 1, 1.6, 5.1)] };
  const ticket = checkoutDetail('firing', { figures, deploy: { found: false, lookback: 86_400 } });
  const labels = { ...ticket.alert.labels, severity: 'ticket' };
  const alert: Alert = { ...ticket.alert, fingerprint: '4c7d2a9e0b1f3e58', labels, severity: 'ticket', activeAt: at('02:10:00'), firedAt: at('02:10:00') };
  const page = { channel: 'C0PAYMENTS', ts: '1773457980.000200', permalink: 'https://acme.slack.com/archives/C0PAYMENTS/p1773457980000200' };
  return {
    ...pageNotification([{ ...ticket, alert }]),
    id: 'ntf-20260314-0312-e5a9',
    groupKey: 'root:{severity="ticket",slo="checkout-availability"}',
    groupLabels: { severity: 'ticket', slo: 'checkout-availability' },
    escalation: { slos: ['checkout-availability'], at: at('03:12:00'), pageId: 'ntf-20260314-0312-7c1e', page: { slack: page } },
  };
}
