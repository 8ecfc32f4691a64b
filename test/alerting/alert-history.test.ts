import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alerting/alert.js';
import { alertChanges } from '../../src/alerting/alert-history.js';
import type { EvaluationFigures } from '../../src/alerting/evaluation-figures.js';

const figures: EvaluationFigures = { at: 600, status: 'ok', budgetRemaining: 0.5, timeToExhaustion: null, errorRatio: 0.001, pairs: [] };
const alert = (state: Alert['state'], activeAt: number, firedAt: number | null = null, resolvedAt: number | null = null): Alert => ({
  fingerprint: 'f',
  labels: {},
  kind: 'burn',
  slo: 's',
  severity: 'page',
  state,
  activeAt,
  firedAt,
  resolvedAt,
  updatedAt: 600,
});
const one = (a: Alert | undefined) => new Map(a ? [[a.fingerprint, a]] : []);

describe('alert history: the state changes of one evaluation', () => {
  it.each([
    ['a new alert waiting out `for` enters pending', undefined, alert('pending', 600), ['pending']],
    ['a new alert without `for` enters firing, not pending first', undefined, alert('firing', 600, 600), ['firing']],
    ['pending turning firing is one change', alert('pending', 480), alert('firing', 480, 600), ['firing']],
    ['pending staying pending is none', alert('pending', 480), alert('pending', 480), []],
    ['firing staying firing is none', alert('firing', 480, 480), alert('firing', 480, 480), []],
    ['firing resolving is resolved', alert('firing', 480, 480), alert('resolved', 480, 480, 600), ['resolved']],
    ['resolved staying resolved is none', alert('resolved', 480, 480, 540), alert('resolved', 480, 480, 540), []],
    ['a pending alert whose burn stops goes inactive (never sent)', alert('pending', 480), undefined, ['inactive']],
    ['a resolved alert that burns again starts over as pending', alert('resolved', 120, 240, 480), alert('pending', 600), ['pending']],
    ['nothing before and after is none', undefined, undefined, []],
  ] as const)('%s', (_sentence, before, after, states) => {
    const changes = alertChanges(one(before), one(after), 600, figures);
    expect(changes.map((c) => c.state)).toEqual(states);
    for (const change of changes) expect(change).toMatchObject({ fingerprint: 'f', slo: 's', kind: 'burn', severity: 'page', at: 600, figures });
  });
});
