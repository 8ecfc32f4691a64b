import type { StoredAlert } from '../../src/alerting/alert-store.js';
import type { EvaluationFigures } from '../../src/alerting/evaluation-figures.js';
import type { GroupSettings } from '../../src/notify/routing-port.js';

export const figures: EvaluationFigures = { at: 2000, status: 'ok', budgetRemaining: 0.9, timeToExhaustion: 3600, errorRatio: 0.002, pairs: [] };
export const settings: GroupSettings = { groupWait: 30, groupInterval: 300, repeatInterval: 14_400, sendResolved: true };

/** A burn alert of `slo` at `severity`, fingerprint `slo/severity`. */
export const stored = (slo: string, severity: 'page' | 'ticket', state: StoredAlert['state'] = 'firing', labels: Record<string, string> = {}): StoredAlert => ({
  fingerprint: `${slo}/${severity}`,
  labels: { slo, severity, team: 'payments', ...labels },
  kind: 'burn',
  slo,
  severity,
  state,
  activeAt: 1000,
  firedAt: state === 'pending' ? null : 1000,
  resolvedAt: state === 'resolved' ? 1900 : null,
  updatedAt: 2000,
  figures,
});
