import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../../src/notify/channel.js';
import { pipelineHarness } from '../support/pipeline-harness.js';

const t0 = Date.parse('2026-11-02T00:00:00Z') / 1000;
const minute = 60;
const hour = 3600;
const settings = { groupWait: 30, groupInterval: 300, repeatInterval: 4 * hour, sendResolved: true };
const names = (count: number) => Array.from({ length: count }, (_, i) => `svc-${String(i).padStart(2, '0')}`);

describe('grouping, dedup and delivery', () => {
  it('50 SLOs of one team burning together page once, grouped, after group_wait; updates wait for group_interval; repeats after repeat_interval', async () => {
    const slos = names(51);
    const burn = (slo: string, from: number) => ({ slo, from, to: t0 + 10 * hour, ratio: 1 });
    const h = pipelineHarness({
      start: t0,
      sloNames: slos,
      settings,
      traffic: { rate: 10, episodes: [...slos.slice(0, 50).map((slo) => burn(slo, t0 + 10 * minute)), burn('svc-50', t0 + 12 * minute)] },
    });
    await h.runUntil(t0 + 11 * minute + 29);
    expect(h.channel.deliveries).toHaveLength(0);
    await h.runUntil(t0 + 11 * minute + 30);
    expect(h.channel.deliveries).toHaveLength(1);
    const first = h.channel.deliveries[0]!.notification;
    expect(first.alerts).toHaveLength(50);
    expect(first.alerts.every((a) => a.alert.severity === 'page')).toBe(true); // tickets inhibited by the page
    expect(first.groupLabels).toEqual({ team: 'payments' });

    // svc-50 fires at 12:00; the group may update only at 11:30 + 5m = 16:30.
    await h.runUntil(t0 + 16 * minute + 29);
    expect(h.channel.deliveries).toHaveLength(1);
    await h.runUntil(t0 + 16 * minute + 30);
    expect(h.channel.deliveries).toHaveLength(2);
    expect(h.channel.deliveries[1]!.notification.alerts).toHaveLength(51);
    expect(h.channel.deliveries[1]!.thread?.slack).toEqual(h.channel.deliveries[0]!.receipt.slack);

    // Nothing new until the repeat interval has passed since the last notification (16:30 + 4h).
    await h.runUntil(t0 + 4 * hour + 16 * minute + 29);
    expect(h.channel.deliveries).toHaveLength(2);
    await h.runUntil(t0 + 4 * hour + 21 * minute + 30);
    expect(h.channel.deliveries).toHaveLength(3);
  }, 60_000);

  it('an alert that resolves inside group_wait is never sent', async () => {
    // One minute of 100% errors fires the 1h/5m page pair for five minutes; group_wait is ten.
    const h = pipelineHarness({
      start: t0,
      sloNames: ['a'],
      settings: { ...settings, groupWait: 600 },
      traffic: { rate: 10, episodes: [{ slo: 'a', from: t0 + 10 * minute, to: t0 + 11 * minute, ratio: 1 }] },
    });
    await h.runUntil(t0 + 12 * minute);
    expect(h.alerts.all().map((a) => [a.severity, a.state])).toEqual([['page', 'firing']]);
    await h.runUntil(t0 + hour);
    expect(h.alerts.all().map((a) => [a.severity, a.state])).toEqual([['page', 'resolved']]);
    expect(h.channel.deliveries).toHaveLength(0);
  });

  it('the resolve threads onto the page, and a restart neither re-pages nor forgets the pending resolve', async () => {
    const h = pipelineHarness({
      start: t0,
      sloNames: ['a'],
      settings,
      traffic: { rate: 10, episodes: [{ slo: 'a', from: t0 + 10 * minute, to: t0 + 20 * minute, ratio: 1 }] },
    });
    await h.runUntil(t0 + 12 * minute);
    expect(h.channel.deliveries).toHaveLength(1);
    h.restart();
    await h.runUntil(t0 + 50 * minute);
    expect(h.channel.deliveries).toHaveLength(1);
    h.restart();
    await h.runUntil(t0 + 7 * hour);
    // The page resolves when the 6h/30m pair cools (t=50m). The ticket tier keeps burning until its 3d/6h pair's
    // short window cools (t=6h20m), but it is the same incident, already paged: it stays quiet, and so does its
    // resolve.
    const shown = h.channel.deliveries.map((d) => [d.notification.status, d.notification.alerts.map((a) => `${a.alert.severity}:${a.alert.state}`)]);
    expect(shown).toEqual([
      ['firing', ['page:firing']],
      ['resolved', ['page:resolved']],
    ]);
    const [page, resolve] = h.channel.deliveries;
    expect(resolve!.thread?.slack).toEqual(page!.receipt.slack);
    expect(h.notify.outbox().map((row) => row.reason)).toEqual(['first', 'resolved']);
    expect(h.alerts.all().map((a) => `${a.severity}:${a.state}`)).toEqual(['page:resolved', 'ticket:resolved']);
  });

  it('a separate, later burn that only reaches the ticket tier is ticketed', async () => {
    const h = pipelineHarness({
      start: t0,
      sloNames: ['a'],
      settings,
      // 0.5% errors: a 5x burn, below both page factors (14.4, 6), above the 1d/2h ticket factor (3) after ~14.4 h.
      traffic: { rate: 10, episodes: [{ slo: 'a', from: t0 + 10 * minute, to: t0 + 30 * hour, ratio: 0.005 }] },
    });
    await h.runUntil(t0 + 16 * hour);
    expect(h.channel.deliveries.map((d) => d.notification.alerts.map((a) => `${a.alert.severity}:${a.alert.state}`))).toEqual([['ticket:firing']]);
  }, 60_000);

  it('retries a retryable failure with backoff, honouring Retry-After, and sends exactly once', async () => {
    const h = pipelineHarness({
      start: t0,
      sloNames: ['a'],
      settings,
      stepSeconds: 1,
      traffic: { rate: 10, episodes: [{ slo: 'a', from: t0 + 10 * minute, to: t0 + 5 * hour, ratio: 1 }] },
    });
    h.channel.failNext(new DeliveryError('rate_limited', 'ratelimited', { retryAfter: 40 }), new DeliveryError('server_error', 'HTTP 500'));
    await h.runUntil(t0 + 11 * minute + 30);
    expect(h.channel.deliveries).toHaveLength(0);
    // First retry no earlier than Retry-After (40 s); the second after a backoff of 5–10 s.
    await h.runUntil(t0 + 11 * minute + 69);
    expect(h.channel.deliveries).toHaveLength(0);
    await h.runUntil(t0 + 11 * minute + 90);
    expect(h.channel.deliveries).toHaveLength(1);
    expect(h.notify.outbox('sent')[0]?.attempts).toBe(3);
  });

  it('a permanent failure is given up at once and listed as failed', async () => {
    const h = pipelineHarness({
      start: t0,
      sloNames: ['a'],
      settings,
      traffic: { rate: 10, episodes: [{ slo: 'a', from: t0 + 10 * minute, to: t0 + 5 * hour, ratio: 1 }] },
    });
    h.channel.failNext(new DeliveryError('rejected', 'channel_not_found'));
    await h.runUntil(t0 + 13 * minute);
    expect(h.channel.deliveries).toHaveLength(0);
    expect(h.notify.outbox('failed').map((row) => row.lastError)).toEqual(['rejected: channel_not_found']);
  });

  it('a silenced alert is not paged, but its resolve is delivered when its page was', async () => {
    let silenced = false;
    const h = pipelineHarness({
      start: t0,
      sloNames: ['a'],
      settings,
      silenced: () => silenced,
      traffic: { rate: 10, episodes: [{ slo: 'a', from: t0 + 10 * minute, to: t0 + 30 * minute, ratio: 1 }] },
    });
    await h.runUntil(t0 + 12 * minute);
    expect(h.channel.deliveries).toHaveLength(1);
    silenced = true;
    await h.runUntil(t0 + 2 * hour);
    expect(h.channel.deliveries.map((d) => d.notification.status)).toEqual(['firing', 'resolved']);
  });
});
