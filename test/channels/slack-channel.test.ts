import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackChannel, slackEventType } from '../../src/channels/slack-channel.js';
import { DeliveryError, type Channel, type DeliveryReceipt, type ThreadRef } from '../../src/notify/channel.js';
import type { Notification } from '../../src/notify/notification.js';
import type { RenderSlack } from '../../src/notify/rendering.js';
import { startFakeSlack, type FakeSlack, type FakeSlackFailure } from '../support/fake-slack.js';
import { notification, renderSlack } from './notification-fixture.js';

const CHANNEL = 'C0ALERTS';
let slack: FakeSlack;
let channel: Channel;

function open(overrides: { token?: string; timeoutMs?: number; render?: RenderSlack; apiUrl?: string } = {}): Channel {
  return createSlackChannel({ token: overrides.token ?? slack.token, channel: CHANNEL, render: overrides.render ?? renderSlack, apiUrl: overrides.apiUrl ?? slack.url, timeoutMs: overrides.timeoutMs ?? 2000 });
}

/** The thread a Slack receipt opens, as the outbox would store it. */
function thread(receipt: DeliveryReceipt): ThreadRef {
  if (!receipt.slack) throw new Error('no Slack receipt');
  return { slack: receipt.slack };
}

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

beforeEach(async () => {
  slack = await startFakeSlack({ channels: [CHANNEL] });
  channel = open();
});
afterEach(async () => {
  await channel.close();
  await slack.close();
});

describe('Slack channel delivery', () => {
  it('posts the first message of an incident with fallback text, blocks, no unfurling and the notification id in metadata', async () => {
    const receipt = await channel.deliver(notification('n-1'), null);

    expect(slack.messages).toHaveLength(1);
    const posted = slack.messages[0]!;
    expect(receipt).toEqual({ slack: { channel: CHANNEL, ts: posted.ts } });
    expect(posted.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(posted.text).toBe('firing: checkout-availability');
    expect(posted.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: '*firing* n-1' } }]);
    expect(posted.unfurl_links).toBe(false);
    expect(posted.thread_ts).toBeUndefined();
    expect(posted.metadata).toEqual({ event_type: slackEventType, event_payload: { id: 'n-1' } });
  });

  it('updates the original message and replies in its thread when the incident changes', async () => {
    const first = await channel.deliver(notification('n-1'), null);
    const receipt = await channel.deliver(notification('n-2', { status: 'resolved' }), thread(first));

    expect(receipt).toEqual(first);
    const [original, reply, ...rest] = slack.messages;
    expect(rest).toEqual([]);
    expect(original!.ts).toBe(first.slack!.ts);
    expect(original!.text).toBe('resolved: checkout-availability');
    expect(original!.history).toEqual([{ text: 'firing: checkout-availability', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*firing* n-1' } }] }]);
    expect(original!.metadata?.event_payload).toEqual({ id: 'n-1' });
    expect(reply!.thread_ts).toBe(first.slack!.ts);
    expect(reply!.text).toBe('now resolved (n-2)');
    expect(reply!.metadata).toEqual({ event_type: slackEventType, event_payload: { id: 'n-2' } });
    expect(slack.calls.map((c) => c.method)).toEqual(['chat.postMessage', 'chat.update', 'chat.postMessage']);
  });

  it('only updates the original when the rendering has no reply', async () => {
    const first = await channel.deliver(notification('n-1'), null);
    const quiet = open({ render: (n) => ({ message: renderSlack(n, true).message, reply: null }) });
    await quiet.deliver(notification('n-2', { status: 'resolved' }), thread(first));

    expect(slack.messages).toHaveLength(1);
    expect(slack.messages[0]!.text).toBe('resolved: checkout-availability');
  });

  it('reports a 429 as rate_limited with Retry-After, and the client did not retry by itself', async () => {
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    const error = await failure(channel.deliver(notification('n-1'), null));

    expect(error).toMatchObject({ code: 'rate_limited', retryable: true, retryAfter: 7 });
    expect(slack.calls).toHaveLength(1);
    expect(slack.messages).toEqual([]);
  });

  const failures: Array<{ when: string; failure: FakeSlackFailure; code: string; retryable: boolean; message: RegExp }> = [
    { when: 'Slack answers HTTP 500', failure: { status: 500 }, code: 'server_error', retryable: true, message: /HTTP 500/ },
    { when: 'Slack answers HTTP 503', failure: { status: 503 }, code: 'server_error', retryable: true, message: /HTTP 503/ },
    { when: 'Slack answers ok:false channel_not_found', failure: { ok: false, error: 'channel_not_found' }, code: 'rejected', retryable: false, message: /chat\.postMessage answered ok:false: channel_not_found/ },
    { when: 'Slack answers ok:false msg_too_long', failure: { ok: false, error: 'msg_too_long' }, code: 'rejected', retryable: false, message: /msg_too_long/ },
    { when: 'the connection drops without an answer', failure: { dropConnection: true }, code: 'network', retryable: true, message: /chat\.postMessage: .*(socket|closed)/i },
  ];
  it.each(failures)('maps the failure when $when to $code', async ({ failure: f, code, retryable, message }) => {
    slack.failNext('chat.postMessage', f);
    const error = await failure(channel.deliver(notification('n-1'), null));

    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
    expect(error.message).toMatch(message);
    expect(slack.calls).toHaveLength(1);
  });

  it('reports a slow answer as a timeout within about the timeout, and findDelivered then finds the message Slack did post', async () => {
    const slow = open({ timeoutMs: 300 });
    slack.failNext('chat.postMessage', { delayMs: 5000 });
    const n = notification('n-slow');
    const started = performance.now();
    const error = await failure(slow.deliver(n, null));
    const elapsed = performance.now() - started;

    expect(error).toMatchObject({ code: 'timeout', retryable: true });
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(1500);
    expect(slack.calls).toHaveLength(1);
    expect(await slow.findDelivered(n, null)).toEqual({ slack: { channel: CHANNEL, ts: slack.messages[0]!.ts } });
  });

  it('reports a refused connection as a network error', async () => {
    const url = slack.url;
    await slack.close();
    const error = await failure(open({ apiUrl: url }).deliver(notification('n-1'), null));

    expect(error).toMatchObject({ code: 'network', retryable: true });
    expect(error.message).toMatch(/ECONNREFUSED/);
    slack = await startFakeSlack();
  });

  it('reports a wrong token as a permanent rejection naming invalid_auth', async () => {
    const error = await failure(open({ token: 'xoxb-wrong' }).deliver(notification('n-1'), null));

    expect(error).toMatchObject({ code: 'rejected', retryable: false });
    expect(error.message).toMatch(/invalid_auth/);
  });

  it('reports blocks over Slack limits as a permanent rejection naming invalid_blocks', async () => {
    const tooMany: RenderSlack = () => ({ message: { text: 'x', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) }, reply: null });
    const error = await failure(open({ render: tooMany }).deliver(notification('n-1'), null));

    expect(error).toMatchObject({ code: 'rejected', retryable: false });
    expect(error.message).toMatch(/invalid_blocks/);
  });

  it('reports an update of a deleted original as a permanent rejection and posts no reply', async () => {
    const error = await failure(channel.deliver(notification('n-2', { status: 'resolved' }), { slack: { channel: CHANNEL, ts: '1700000000.000100' } }));

    expect(error).toMatchObject({ code: 'rejected', retryable: false });
    expect(error.message).toMatch(/chat\.update answered ok:false: message_not_found/);
    expect(slack.messages).toEqual([]);
  });
});

describe('Slack channel escalation notes', () => {
  const note = (id: string, page: { channel: string; ts: string }) => notification(id, { escalation: { slos: ['checkout-availability'], at: 1000, pageId: 'page', page: { slack: page } } });

  it('renders the note with the permalink Slack gives for the page', async () => {
    const rendered: Notification[] = [];
    const spy = open({ render: (n, threaded) => (rendered.push(n), renderSlack(n, threaded)) });
    const ticket = await spy.deliver(notification('ticket'), null);
    const page = await spy.deliver(notification('page'), null);
    await spy.deliver(note('note', page.slack!), thread(ticket));
    expect(slack.calls.map((c) => c.method)).toEqual(['chat.postMessage', 'chat.postMessage', 'chat.getPermalink', 'chat.update', 'chat.postMessage']);
    expect(rendered[2]!.escalation).toMatchObject({ page: { slack: { ...page.slack, permalink: `https://burnrate-test.slack.com/archives/${CHANNEL}/p${page.slack!.ts.replace('.', '')}` } } });
  });

  it('still delivers the note, without a permalink, when Slack refuses one', async () => {
    const rendered: Notification[] = [];
    const spy = open({ render: (n, threaded) => (rendered.push(n), renderSlack(n, threaded)) });
    const ticket = await spy.deliver(notification('ticket'), null);
    slack.failNext('chat.getPermalink', { ok: false, error: 'channel_not_found' });
    await spy.deliver(note('note', { channel: 'C0ELSEWHERE', ts: '1700000000.000100' }), thread(ticket));
    expect(rendered[1]!.escalation).toEqual({ slos: ['checkout-availability'], at: 1000, pageId: 'page', page: { slack: { channel: 'C0ELSEWHERE', ts: '1700000000.000100' } } });
    expect(slack.messages[0]!.history).toHaveLength(1);
  });
});

describe('Slack channel findDelivered', () => {
  it('finds the message carrying the notification id and not another', async () => {
    const a = notification('n-a');
    const receiptA = await channel.deliver(a, null);
    await channel.deliver(notification('n-b'), null);

    expect(await channel.findDelivered(a, null)).toEqual(receiptA);
    expect(await channel.findDelivered(notification('n-never-sent'), null)).toBeUndefined();
    const history = slack.calls.find((c) => c.method === 'conversations.history')!;
    expect(history.body).toMatchObject({ channel: CHANNEL, include_all_metadata: 'true' });
  });

  it('finds a thread reply by id and answers with the original message', async () => {
    const first = await channel.deliver(notification('n-1'), null);
    const resolve = notification('n-2', { status: 'resolved' });

    expect(await channel.findDelivered(resolve, thread(first))).toBeUndefined();
    await channel.deliver(resolve, thread(first));
    expect(await channel.findDelivered(resolve, thread(first))).toEqual(first);
    // The original carries n-1, so a search for n-1 in its own thread does not count the parent.
    expect(await channel.findDelivered(notification('n-1'), thread(first))).toBeUndefined();
  });

  it('looks back from a minute before the notification was planned', async () => {
    const n = notification('n-1');
    await channel.deliver(n, null);
    await channel.findDelivered(n, null);
    const history = slack.calls.find((c) => c.method === 'conversations.history')!;

    expect(Number(history.body['oldest'])).toBeCloseTo(n.createdAt - 60, 3);
    expect(await channel.findDelivered({ ...n, createdAt: Date.now() / 1000 + 3600 }, null)).toBeUndefined();
  });

  it('pages through a busy channel to find an older message', async () => {
    const early = notification('n-early');
    const receipt = await channel.deliver(early, null);
    for (let i = 0; i < 210; i += 1) await channel.deliver(notification(`n-${i}`), null);

    expect(await channel.findDelivered(early, null)).toEqual(receipt);
    expect(slack.calls.filter((c) => c.method === 'conversations.history')).toHaveLength(2);
  });

  it('maps a failing history lookup like a delivery', async () => {
    slack.failNext('conversations.history', { status: 429, retryAfter: 3 });
    const error = await failure(channel.findDelivered(notification('n-1'), null));

    expect(error).toMatchObject({ code: 'rate_limited', retryAfter: 3 });
  });
});
