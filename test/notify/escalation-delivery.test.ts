import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { DeliveryError } from '../../src/notify/channel.js';
import { DeliveryWorker } from '../../src/notify/delivery-worker.js';
import { MemoryChannel } from '../../src/notify/memory-channel.js';
import { NotifyStore } from '../../src/notify/notify-store.js';
import { enrichWith, type PlannedNotification } from '../../src/notify/planned-notification.js';

const planned = (id: string, escalation?: PlannedNotification['escalation']): PlannedNotification => ({
  id,
  receiver: 'payments',
  groupKey: id,
  groupLabels: {},
  status: 'firing',
  createdAt: 1000,
  alerts: [],
  ...(escalation ? { escalation } : {}),
});

function setup() {
  const store = new NotifyStore(new Database(':memory:'));
  const pager = new MemoryChannel('slack');
  const tickets = new MemoryChannel('slack');
  const worker = new DeliveryWorker(
    store,
    new Map([['pager/slack', pager], ['payments/slack', tickets]]),
    enrichWith(() => ({ runbook: null, deploy: { found: false, lookback: 86_400 }, links: { dashboard: null, query: null } })),
    { backoff: { initial: 5, max: 300 }, giveUpAfter: 600, lease: 21 },
    silentLogger,
    { sent: () => undefined, retried: () => undefined, failed: () => undefined },
    () => 0.5,
  );
  // The ticket was sent earlier; now the page and the note on the ticket's thread are planned together.
  store.plan({ groupId: 'ticket', integration: 'payments/slack', entry: { firing: ['t'], resolved: [], sentAt: 900, incident: 'inc-ticket' }, outbox: { id: 'inc-ticket', incident: 'inc-ticket', reason: 'first', notification: planned('inc-ticket'), at: 900 } });
  store.atomically(() => {
    store.plan({ groupId: 'page', integration: 'pager/slack', entry: { firing: ['p'], resolved: [], sentAt: 1000, incident: 'inc-page' }, outbox: { id: 'inc-page', incident: 'inc-page', reason: 'first', notification: planned('inc-page'), at: 1000 } });
    store.enqueue([{ groupId: 'ticket', integration: 'payments/slack', outbox: { id: 'note', incident: 'inc-ticket', reason: 'escalated', notification: planned('note', { slos: ['checkout'], at: 1000, pageId: 'inc-page' }), at: 1000 } }]);
  });
  return { store, pager, tickets, worker };
}

describe('delivering an escalation note', () => {
  it('waits while its page is undelivered, then threads onto the ticket carrying where the page landed', async () => {
    const { pager, tickets, worker } = setup();
    await worker.deliverDue(900);
    pager.failNext(new DeliveryError('server_error', 'Slack 503'));
    await worker.deliverDue(1000);
    await worker.deliverDue(1001);
    expect(tickets.deliveries.map((d) => d.notification.id)).toEqual(['inc-ticket']);
    await worker.deliverDue(1010);
    expect(pager.deliveries.map((d) => d.notification.id)).toEqual(['inc-page']);
    await worker.deliverDue(1011);
    const note = tickets.deliveries[1]!;
    expect(note.notification.id).toBe('note');
    expect(note.thread?.slack).toEqual(tickets.deliveries[0]!.receipt.slack);
    expect(note.notification.escalation?.page).toEqual(pager.deliveries[0]!.receipt);
  });

  it('goes out without a link once its page was given up', async () => {
    const { store, pager, tickets, worker } = setup();
    await worker.deliverDue(900);
    pager.failNext(new DeliveryError('rejected', 'channel_not_found'));
    await worker.deliverDue(1000);
    expect(store.outcome('inc-page')?.state).toBe('failed');
    await worker.deliverDue(1001);
    expect(tickets.deliveries.map((d) => [d.notification.id, d.notification.escalation?.page])).toEqual([['inc-ticket', undefined], ['note', undefined]]);
  });
});
