import { describe, expect, it } from 'vitest';
import { groupKey, groupLabels } from '../../src/routing/group-key.js';
import { matchRoutes } from '../../src/routing/match-routes.js';
import { toRoutingConfig } from '../../src/routing/to-routing-config.js';
import type { RouteWire } from '../../src/routing/routing-schema.js';

// The tree of Alertmanager's dispatch/route_test.go, in burnrate's syntax.
const tree: RouteWire = {
  receiver: 'notify-def',
  group_by: ['alertname'],
  routes: [
    { matchers: ['owner="team-A"'], receiver: 'notify-A', group_by: ['alertname', 'cluster'], group_wait: '1m' },
    {
      matchers: ['owner="team-B"'],
      receiver: 'notify-B',
      routes: [{ matchers: ['env="testing"'], receiver: 'notify-testing', group_by: ['...'] }],
    },
    { matchers: ['owner=~"team-(B|C)"'], receiver: 'notify-BC', group_wait: '2m', continue: true },
    { matchers: ['owner="team-C"'], receiver: 'notify-C', send_resolved: false },
    {
      matchers: ['group_by="role"'],
      group_by: ['role'],
      routes: [
        {
          matchers: ['env="testing"'],
          receiver: 'notify-testing',
          routes: [{ matchers: ['wait="long"'], group_wait: '2m' }],
        },
      ],
    },
    { matchers: ['env!="prod"', 'owner="team-D"'], receiver: 'notify-D', continue: true },
    { matchers: ['owner="team-D"', 'region=~""'], receiver: 'notify-D-noregion' },
  ],
};

const receivers = ['notify-def', 'notify-A', 'notify-B', 'notify-BC', 'notify-C', 'notify-testing', 'notify-D', 'notify-D-noregion'].map((name) => ({ name }));
const route = toRoutingConfig({ receivers, route: tree }, {})!.route;

describe('matchRoutes', () => {
  const cases: Array<[string, Record<string, string>, string[]]> = [
    ['an alert no child matches stays at the root', { owner: 'nobody' }, ['root:notify-def']],
    ['the first matching child is taken', { owner: 'team-A' }, ['0:notify-A']],
    ['a nested child is taken when it matches', { owner: 'team-B', env: 'testing' }, ['1.0:notify-testing']],
    ['a parent that matches with no matching child is the result', { owner: 'team-B', env: 'prod' }, ['1:notify-B']],
    ['the first match without continue stops the search: team-B never reaches the regex route', { owner: 'team-B' }, ['1:notify-B']],
    ['continue lets later siblings match too', { owner: 'team-C' }, ['2:notify-BC', '3:notify-C']],
    ['a route without its own receiver inherits its parent’s', { group_by: 'role', env: 'testing', wait: 'long' }, ['4.0.0:notify-testing']],
    ['regexes are anchored: team-CC does not match team-(B|C)', { owner: 'team-CC' }, ['root:notify-def']],
    ['!= matches a missing label and =~ "" matches a missing label', { owner: 'team-D' }, ['5:notify-D', '6:notify-D-noregion']],
    ['!= fails on the excluded value; =~ "" fails on a present label', { owner: 'team-D', env: 'prod', region: 'eu' }, ['root:notify-def']],
  ];
  it.each(cases)('%s', (_, labels, expected) => {
    expect(matchRoutes(route, labels).map((r) => `${r.id}:${r.receiver}`)).toEqual(expected);
  });

  it('matched routes carry inherited group settings', () => {
    const [bc, c] = matchRoutes(route, { owner: 'team-C' });
    expect(bc).toMatchObject({ groupBy: ['alertname'], groupWait: 120, groupInterval: 300, repeatInterval: 14_400, sendResolved: true });
    expect(c).toMatchObject({ groupBy: ['alertname'], groupWait: 30, sendResolved: false });
    const [deep] = matchRoutes(route, { group_by: 'role', env: 'testing', wait: 'long' });
    expect(deep).toMatchObject({ groupBy: ['role'], groupWait: 120 });
  });
});

describe('groupKey', () => {
  it('is the route id and the values of its group_by labels, whatever the label order', () => {
    const [a] = matchRoutes(route, { owner: 'team-A', alertname: 'SLOBurnRate', cluster: 'eu', slo: 'x' });
    expect(groupKey(a!, { owner: 'team-A', alertname: 'SLOBurnRate', cluster: 'eu', slo: 'x' })).toBe('0:{alertname="SLOBurnRate",cluster="eu"}');
    expect(groupKey(a!, { slo: 'y', cluster: 'eu', alertname: 'SLOBurnRate', owner: 'team-A' })).toBe('0:{alertname="SLOBurnRate",cluster="eu"}');
    expect(groupKey(a!, { alertname: 'SLOBurnRate', cluster: 'us' })).not.toBe(groupKey(a!, { alertname: 'SLOBurnRate', cluster: 'eu' }));
  });

  it('leaves out group_by labels the alert lacks, and escapes values', () => {
    const [a] = matchRoutes(route, { owner: 'team-A' });
    expect(groupKey(a!, { owner: 'team-A', alertname: 'a"b' })).toBe('0:{alertname="a\\"b"}');
    expect(groupLabels(a!, { owner: 'team-A' })).toEqual({});
  });

  it("groups by every label with '...'", () => {
    const labels = { owner: 'team-B', env: 'testing', slo: 'checkout' };
    const [testing] = matchRoutes(route, labels);
    expect(groupKey(testing!, labels)).toBe('1.0:{env="testing",owner="team-B",slo="checkout"}');
  });

  it('always separates severities, whatever group_by says: a page never joins a ticket group', () => {
    const page = { owner: 'team-A', alertname: 'SLOBurnRate', cluster: 'eu', slo: 'x', severity: 'page' };
    const [a] = matchRoutes(route, page);
    expect(groupKey(a!, page)).toBe('0:{alertname="SLOBurnRate",cluster="eu",severity="page"}');
    expect(groupKey(a!, { ...page, severity: 'ticket' })).toBe('0:{alertname="SLOBurnRate",cluster="eu",severity="ticket"}');
    expect(groupLabels(a!, page)).toEqual({ alertname: 'SLOBurnRate', cluster: 'eu', severity: 'page' });
  });

  it('by default groups by SLO, so an SLO page and its ticket are two groups and two SLOs never share one', () => {
    const routing = toRoutingConfig({ receivers: [{ name: 'oncall' }], route: { receiver: 'oncall' } }, {})!;
    const labels = (slo: string, severity: string) => ({ alertname: 'SLOBurnRate', slo, service: 'checkout', severity, team: 'payments' });
    const keys = [labels('checkout', 'page'), labels('checkout', 'ticket'), labels('search', 'page')].map((l) => groupKey(routing.route, l));
    expect(keys).toEqual(['root:{severity="page",slo="checkout"}', 'root:{severity="ticket",slo="checkout"}', 'root:{severity="page",slo="search"}']);
  });

  it('the same labels on two routes make two groups', () => {
    const labels = { owner: 'team-C', alertname: 'x' };
    const keys = matchRoutes(route, labels).map((r) => groupKey(r, labels));
    expect(keys).toEqual(['2:{alertname="x"}', '3:{alertname="x"}']);
  });
});
