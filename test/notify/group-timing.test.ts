import { describe, expect, it } from 'vitest';
import { groupTiming, nextFlushAt } from '../../src/notify/group-timing.js';
import type { GroupRow } from '../../src/notify/notify-plan.js';
import type { GroupMembers } from '../../src/notify/route-stage.js';
import { settings, stored } from './stage-fixtures.js';

const routed = { routeId: 'r0', receiver: 'payments', groupKey: 'team=payments', groupLabels: { team: 'payments' }, settings };
const members = (...alerts: ReturnType<typeof stored>[]): Map<string, GroupMembers> => new Map([['g', { routed, alerts }]]);
const row = (nextFlushAt: number, routeId = 'r0'): GroupRow => ({ groupId: 'g', routeId, groupKey: 'team=payments', receiver: 'payments', labels: { team: 'payments' }, createdAt: 900, nextFlushAt });
const timing = (known: GroupRow[], routedNow: Map<string, GroupMembers>, muted: string[] = [], routes = ['r0']) =>
  groupTiming({ known, members: routedNow, muted: new Set(muted), settingsOf: (id) => (routes.includes(id) ? settings : undefined) }, 1000);

describe('group timing', () => {
  it.each([
    ['a firing alert opens a group, first flushed group_wait later', [], members(stored('a', 'page')), [], [1030], [], []],
    ['a muted firing alert opens nothing', [], members(stored('a', 'page')), ['a/page'], [], [], []],
    ['a resolved alert opens nothing', [], members(stored('a', 'page', 'resolved')), [], [], [], []],
    ['an open group before its flush time waits', [row(1001)], members(stored('a', 'page')), [], [], [], []],
    ['an open group at its flush time flushes', [row(1000)], members(stored('a', 'page')), [], [], [], ['g']],
    ['an open group without alerts now still flushes (its resolves, its closing)', [row(990)], new Map(), [], [], [], ['g']],
    ['a group whose route is gone is dropped, not flushed', [row(990, 'r9')], new Map(), [], [], ['g'], []],
  ] as const)('%s', (_sentence, known, routedNow, muted, opened, dropped, due) => {
    const answer = timing([...known], routedNow, [...muted]);
    expect(answer.opened.map((g) => g.nextFlushAt)).toEqual(opened);
    expect(answer.dropped).toEqual(dropped);
    expect(answer.due.map((d) => d.group.groupId)).toEqual(due);
  });

  it('a group opened with group_wait 0 flushes at once', () => {
    const answer = groupTiming({ known: [], members: new Map([['g', { routed: { ...routed, settings: { ...settings, groupWait: 0 } }, alerts: [stored('a', 'page')] }]]), muted: new Set(), settingsOf: () => settings }, 1000);
    expect(answer.due.map((d) => d.group.groupId)).toEqual(['g']);
  });

  it('hands a due group its alerts firing first, then by SLO and severity', () => {
    const [due] = timing([row(1000)], members(stored('b', 'page', 'resolved'), stored('b', 'ticket'), stored('a', 'ticket'), stored('a', 'page'))).due;
    expect(due?.alerts.map((a) => a.fingerprint)).toEqual(['a/page', 'a/ticket', 'b/ticket', 'b/page']);
  });

  it.each([
    ['an alert still fires: the next flush is group_interval on', true, 1300],
    ['nothing fires: the group closes', false, null],
  ] as const)('after a flush: %s', (_sentence, open, expected) => {
    expect(nextFlushAt(open, settings, 1000)).toBe(expected);
  });
});
