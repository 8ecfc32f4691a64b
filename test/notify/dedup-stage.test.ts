import { describe, expect, it } from 'vitest';
import { dedupStage, type LaneLog } from '../../src/notify/dedup-stage.js';
import { settings, stored } from './stage-fixtures.js';

const log = (firing: string[], resolved: string[] = [], sentAt = 1000): LaneLog => ({ firing, resolved, sentAt, incident: 'inc' });
const page = stored('a', 'page');
const resolvedPage = stored('a', 'page', 'resolved');

describe('dedup stage', () => {
  it.each([
    ['a first firing alert', [page], [], undefined, 'first', ['a/page'], [], true],
    ['a resolve the receiver was told of', [resolvedPage], [], log(['a/page']), 'resolved', [], ['a/page'], false],
    ['a resolve the receiver never heard of is not news', [resolvedPage], [], undefined, 'none', [], [], false],
    ['every firing alert muted, nothing to resolve: no decision, the log stays', [page], ['a/page'], log(['a/page']), 'none', [], [], true],
    ['muted but one notified alert resolved: the resolve is told', [page, stored('b', 'page', 'resolved')], ['a/page'], log(['a/page', 'b/page']), 'resolved', [], ['b/page'], true],
    ['the same alert before the repeat interval', [page], [], log(['a/page'], [], 1000), 'none', ['a/page'], [], true],
    ['the same alert after the repeat interval', [page], [], log(['a/page'], [], 1000 - settings.repeatInterval), 'repeat-elapsed', ['a/page'], [], true],
  ] as const)('%s', (_sentence, alerts, muted, entry, reason, firing, resolved, open) => {
    const lane = dedupStage({ alerts, muted: new Set(muted), entry, settings }, 1000);
    expect([lane.reason, lane.firing.map((a) => a.fingerprint), lane.resolved.map((a) => a.fingerprint), lane.open]).toEqual([reason, firing, resolved, open]);
  });

  it('passes its input on to the next stage', () => {
    const lane = dedupStage({ alerts: [page], muted: new Set<string>(), entry: undefined, settings, integration: 'payments/slack' }, 1000);
    expect(lane.integration).toBe('payments/slack');
    expect([...lane.notified]).toEqual([]);
  });
});
