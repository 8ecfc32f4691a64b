import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DeliveryWorker } from '../../src/notify/delivery-worker.js';
import { MemoryChannel } from '../../src/notify/memory-channel.js';
import type { NotifyPlan, OutboxInsert } from '../../src/notify/notify-plan.js';
import { NotifyStore } from '../../src/notify/notify-store.js';
import { enrichWith } from '../../src/notify/planned-notification.js';
import { routingPort } from '../../src/notify/routing-adapter.js';
import { rootDefaults, type Receiver } from '../../src/routing/routing-model.js';
import { silentLogger } from '../../src/log.js';
import type { WriteTurn } from '../../src/store/write-turn.js';

const group = (groupId: string, nextFlushAt: number) => ({ groupId, routeId: 'root', groupKey: groupId, receiver: 'payments', labels: {}, createdAt: 1000, nextFlushAt });
const outbox = (id: string): OutboxInsert => ({ id, incident: id, reason: 'first', notification: { id, receiver: 'payments', groupKey: 'g', groupLabels: {}, status: 'firing', createdAt: 1000, alerts: [] }, at: 1000 });
const entry = { firing: ['a'], resolved: [], sentAt: 1000, incident: 'n1' };

describe('applying a plan', () => {
  const plan: NotifyPlan = {
    opened: [group('g1', 1030), group('g2', 1030)],
    dropped: ['gone'],
    flushes: [
      { groupId: 'g1', groupKey: 'g1', decisions: [{ groupId: 'g1', integration: 'payments/slack', reason: 'first', entry, outbox: outbox('n1') }], escalations: [{ groupId: 'old', integration: 'payments/slack', outbox: { ...outbox('note'), reason: 'escalated' } }], nextFlushAt: 1300 },
      { groupId: 'g2', groupKey: 'g2', decisions: [], escalations: [], nextFlushAt: null },
    ],
  };

  it('writes the groups, the log and the outbox rows in the plan order', () => {
    const store = new NotifyStore(new Database(':memory:'));
    store.addGroup(group('gone', 900));
    store.apply(plan);
    expect(store.groups().map((g) => [g.groupId, g.nextFlushAt])).toEqual([['g1', 1300]]);
    expect(store.nflog('g1', 'payments/slack')).toEqual(entry);
    expect(store.outbox().map((row) => [row.id, row.reason, row.state])).toEqual([['n1', 'first', 'pending'], ['note', 'escalated', 'pending']]);
  });

  it('writes all of it or none', () => {
    const store = new NotifyStore(new Database(':memory:'));
    const broken: NotifyPlan = { ...plan, flushes: [...plan.flushes, { groupId: 'g3', groupKey: 'g3', decisions: [{ groupId: 'g3', integration: 'x', reason: 'first', entry, outbox: outbox('n1') }], escalations: [], nextFlushAt: null }] };
    expect(() => store.apply(broken)).toThrow(/UNIQUE/);
    expect([store.groups(), store.outbox()]).toEqual([[], []]);
  });
});

describe('the delivery worker’s writes', () => {
  it('take the write turn: the lease before the attempt, the outcome after it', async () => {
    const store = new NotifyStore(new Database(':memory:'));
    store.apply({ opened: [], dropped: [], flushes: [{ groupId: 'g', groupKey: 'g', decisions: [{ groupId: 'g', integration: 'payments/slack', reason: 'first', entry, outbox: outbox('n1') }], escalations: [], nextFlushAt: null }] });
    const seen: string[] = [];
    const channel = new MemoryChannel('slack');
    const deliver = channel.deliver.bind(channel);
    channel.deliver = (n, thread) => {
      seen.push(`deliver while ${store.outcome(n.id)?.state}`);
      return deliver(n, thread);
    };
    const turn: WriteTurn = { run: async (work) => (seen.push('turn'), work()) };
    const worker = new DeliveryWorker(store, new Map([['payments/slack', channel]]), enrichWith(() => ({ runbook: null, deploy: { found: false, lookback: 86_400 }, links: { dashboard: null, query: null } })), { backoff: { initial: 5, max: 300 }, giveUpAfter: 600, lease: 21 }, silentLogger, { sent: () => undefined, retried: () => undefined, failed: () => undefined }, () => 0.5, turn);
    await worker.deliverDue(1000);
    expect(seen).toEqual(['turn', 'deliver while sending', 'turn']);
    expect(store.outcome('n1')?.state).toBe('sent');
  });
});

describe('a receiver’s integrations', () => {
  const receiver = (targets: Partial<Receiver>): Receiver => ({ name: 'payments', slack: undefined, email: undefined, ...targets });
  const slack = { channel: 'C1', token: 't', apiUrl: undefined };
  const email = { to: ['a@example.com'], from: 'b@example.com', smtp: { host: 'h', port: 25, tls: 'none' as const, auth: undefined } };
  it.each([
    ['Slack and email, in that order', receiver({ slack, email }), ['payments/slack', 'payments/email']],
    ['email only', receiver({ email }), ['payments/email']],
    ['no target: nothing', receiver({}), []],
    ['a kind the pipeline was never told of', { ...receiver({}), webhook: { url: 'https://example.com' } } as Receiver, ['payments/webhook']],
  ] as const)('%s', (_sentence, r, expected) => {
    const port = routingPort({ receivers: new Map([['payments', r]]), route: { ...rootDefaults, id: 'root', matchers: [], continue: false, receiver: 'payments', groupBy: 'all', routes: [] } });
    expect(port.integrations('payments')).toEqual(expected);
    expect(port.integrations('nobody')).toEqual([]);
  });
});
