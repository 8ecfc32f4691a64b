import type { Config } from '../config/config.js';
import { precedingDeploy } from '../deploys/preceding-deploy.js';
import type { DeployStore } from '../deploys/deploy-store.js';
import { costedDeploys, deployCosts } from '../engine/deploy-costs.js';
import type { BucketLedger } from '../ledger/bucket-ledger.js';
import { enrichWith, type Enrich } from '../notify/planned-notification.js';
import { loadRunbook } from '../runbooks/load-runbook.js';
import type { Slo } from '../slo/model.js';

/** Fills `{{slo}}`, `{{service}}` and `{{severity}}` in a configured link, URL-encoded. */
export function fillLink(template: string | null, values: Readonly<Record<string, string>>): string | null {
  if (template === null) return null;
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => (values[name] === undefined ? whole : encodeURIComponent(values[name])));
}

/**
 * What is read at send time: the runbook's current content, the deploy that preceded the burn (the SLO's
 * service and its related services, within the lookback), the budget the service's recent deploys have cost the
 * SLO up to the alert's figures, and the configured links.
 */
export function notificationEnricher(config: Config, slos: readonly Slo[], deploys: DeployStore, ledger: Pick<BucketLedger, 'windowCounts' | 'sumsAt'>): Enrich {
  const byName = new Map(slos.map((slo) => [slo.name, slo]));
  const { alerting } = config;
  return enrichWith(({ alert, figures }) => {
    const slo = byName.get(alert.slo);
    const runbookPath = slo?.alerting.tiers[alert.severity]?.runbook ?? slo?.alerting.tiers.page?.runbook ?? slo?.alerting.tiers.ticket?.runbook;
    const service = slo?.service ?? alert.labels['service'] ?? '';
    const values = { slo: alert.slo, service, severity: alert.severity };
    return {
      runbook: runbookPath === undefined ? null : loadRunbook(config.runbooks, runbookPath, alerting.runbookBaseUrl),
      deploy: precedingDeploy(deploys, { service, related: config.deploys.related[service] ?? [], burnStart: alert.activeAt, lookback: config.deploys.lookback }),
      deployCosts: slo === undefined ? [] : deployCosts(slo, deploys.list({ service, to: figures.at, limit: costedDeploys }), ledger, figures.at, config.evaluation.bucket),
      links: { dashboard: fillLink(alerting.links.dashboard, values), query: fillLink(alerting.links.query, values) },
    };
  });
}
