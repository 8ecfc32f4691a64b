import { describe, expect, it } from 'vitest';
import { groupIdOf, routeStage } from '../../src/notify/route-stage.js';
import type { RoutedGroup } from '../../src/notify/routing-port.js';
import { settings, stored } from './stage-fixtures.js';

const routed = (routeId: string, key: string): RoutedGroup => ({ routeId, receiver: 'payments', groupKey: key, groupLabels: { team: key }, settings });
// Pages go to route r0 by team; with `continue`, every alert also goes to r1 by SLO.
const route = (labels: Readonly<Record<string, string>>): RoutedGroup[] => [
  ...(labels['severity'] === 'page' ? [routed('r0', labels['team'] ?? '')] : []),
  routed('r1', labels['slo'] ?? ''),
];

describe('route stage', () => {
  it.each([
    ['no alerts: no groups', [], []],
    ['one page: its team group and its SLO group', [stored('a', 'page')], [[groupIdOf('r0', 'payments'), ['a/page']], [groupIdOf('r1', 'a'), ['a/page']]]],
    [
      'two pages of one team share the team group, in the alerts order',
      [stored('a', 'page'), stored('b', 'page')],
      [[groupIdOf('r0', 'payments'), ['a/page', 'b/page']], [groupIdOf('r1', 'a'), ['a/page']], [groupIdOf('r1', 'b'), ['b/page']]],
    ],
    ['a ticket and the page of one SLO: both in its SLO group, only the page by team', [stored('a', 'ticket'), stored('a', 'page')], [[groupIdOf('r1', 'a'), ['a/ticket', 'a/page']], [groupIdOf('r0', 'payments'), ['a/page']]]],
  ] as const)('%s', (_sentence, alerts, expected) => {
    const groups = routeStage({ alerts, route });
    expect([...groups].map(([id, group]) => [id, group.alerts.map((a) => a.fingerprint)])).toEqual(expected);
  });

  it('keeps the route each group came from', () => {
    const group = [...routeStage({ alerts: [stored('a', 'page')], route }).values()][0];
    expect(group?.routed).toEqual(routed('r0', 'payments'));
  });
});
