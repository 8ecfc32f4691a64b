import { describe, expect, it } from 'vitest';
import { dedupDecision, type NflogEntry } from '../../src/notify/dedup-decision.js';

const options = { sendResolved: true, repeatInterval: 4 * 3600 };
const entry = (firing: string[], resolved: string[] = [], sentAt = 1000): NflogEntry => ({ firing, resolved, sentAt });
const set = (...ids: string[]) => new Set(ids);

describe('dedup decision', () => {
  it.each([
    ['nothing sent yet and something fires: first', undefined, set('a'), set(), options, 1060, 'first'],
    ['nothing sent yet and only resolved alerts (resolved inside group_wait): nothing', undefined, set(), set('a'), options, 1060, 'none'],
    ['a new alert joins a notified group: new-alerts', entry(['a']), set('a', 'b'), set(), options, 1060, 'new-alerts'],
    ['the same alerts still firing before the repeat interval: nothing', entry(['a', 'b']), set('a'), set(), options, 1060, 'none'],
    ['one of two notified alerts resolved, resolves wanted: resolved', entry(['a', 'b']), set('a'), set('b'), options, 1060, 'resolved'],
    ['one of two resolved but resolves not wanted: nothing yet', entry(['a', 'b']), set('a'), set('b'), { ...options, sendResolved: false }, 1060, 'none'],
    ['every notified alert resolved: resolved, even without send_resolved (to clear the log)', entry(['a']), set(), set('a'), { ...options, sendResolved: false }, 1060, 'resolved'],
    ['fired and resolved between two flushes after an all-clear: nothing', entry([], ['a']), set(), set(), options, 1060, 'none'],
    ['still firing after the repeat interval: repeat-elapsed', entry(['a']), set('a'), set(), options, 1000 + 4 * 3600, 'repeat-elapsed'],
    ['firing again after an all-clear starts a new incident: first', entry([], ['a']), set('a'), set(), options, 1060, 'first'],
    ['a resolve already notified is not sent again', entry(['a'], ['b']), set('a'), set('b'), options, 1060, 'none'],
  ] as const)('%s', (_sentence, log, firing, resolved, opts, now, expected) => {
    expect(dedupDecision(log, firing, resolved, opts, now)).toBe(expected);
  });
});
