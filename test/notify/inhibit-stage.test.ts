import { describe, expect, it } from 'vitest';
import type { StoredAlert } from '../../src/alerting/alert-store.js';
import { inhibitStage } from '../../src/notify/inhibit-stage.js';
import { stored } from './stage-fixtures.js';

const pendingPage = stored('a', 'page', 'pending');
const noDataTicket: StoredAlert = { ...stored('a', 'ticket'), fingerprint: 'a/no_data', kind: 'no_data' };
const regression = (state: 'firing' | 'resolved' = 'firing'): StoredAlert => ({ ...stored('a', 'page', state), fingerprint: 'a/regression', kind: 'deploy_regression' });

describe('inhibit stage', () => {
  it.each([
    ['a firing ticket whose page fires', [stored('a', 'ticket')], stored('a', 'page'), ['a/ticket']],
    ['a firing ticket whose page is pending', [stored('a', 'ticket')], pendingPage, ['a/ticket']],
    ['a firing ticket without a page', [stored('a', 'ticket')], undefined, []],
    ['a resolved ticket, even under a firing page', [stored('a', 'ticket', 'resolved')], stored('a', 'page'), []],
    ['the page itself', [stored('a', 'page')], stored('a', 'page'), []],
    ['a no-data ticket', [noDataTicket], stored('a', 'page'), []],
    ['a DeployRegression whose SLO pages for its burn', [regression()], stored('a', 'page'), ['a/regression']],
    ['a DeployRegression whose SLO’s page is pending', [regression()], pendingPage, ['a/regression']],
    ['a DeployRegression below every page tier', [regression()], undefined, []],
    ['a resolved DeployRegression', [regression('resolved')], stored('a', 'page'), []],
  ] as const)('%s', (_sentence, alerts, page, expected) => {
    expect([...inhibitStage({ alerts, pageOf: (slo) => (slo === 'a' ? page : undefined) })]).toEqual(expected);
  });

  it('asks for the page of the ticket’s own SLO', () => {
    const asked: string[] = [];
    inhibitStage({ alerts: [stored('a', 'ticket'), stored('b', 'ticket'), stored('c', 'page')], pageOf: (slo) => void asked.push(slo) });
    expect(asked).toEqual(['a', 'b']);
  });
});
