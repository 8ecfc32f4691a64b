import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseTsMicros, startFakeSlack, type FakeSlack } from '../support/fake-slack.js';

let slack: FakeSlack;

beforeEach(async () => {
  slack = await startFakeSlack({ channels: ['C1'] });
});
afterEach(async () => {
  await slack.close();
});

/** A raw call as Slack's clients send it: form-encoded with nested values as JSON strings, or JSON. */
async function call(method: string, args: Record<string, unknown>, as: 'form' | 'json' = 'form', token = slack.token): Promise<Record<string, unknown>> {
  const form = new URLSearchParams(Object.entries(args).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  const response = await fetch(slack.url + method, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': as === 'json' ? 'application/json; charset=utf-8' : 'application/x-www-form-urlencoded' },
    body: as === 'json' ? JSON.stringify(args) : form.toString(),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

describe('fake Slack wire format', () => {
  it('accepts form and JSON bodies alike and answers ok with channel, ts and message', async () => {
    const a = await call('chat.postMessage', { channel: 'C1', text: 'form', blocks: [section('a')], metadata: { event_type: 't', event_payload: { id: 'x' } } });
    const b = await call('chat.postMessage', { channel: 'C1', text: 'json', blocks: [section('b')], metadata: { event_type: 't', event_payload: { id: 'y' } } }, 'json');

    expect(a).toMatchObject({ ok: true, channel: 'C1', message: { text: 'form', blocks: [section('a')] } });
    expect(b).toMatchObject({ ok: true, channel: 'C1', message: { text: 'json', blocks: [section('b')] } });
    expect(slack.messages.map((m) => m.metadata?.event_payload)).toEqual([{ id: 'x' }, { id: 'y' }]);
  });

  it('hands out unique, increasing ts values shaped like Slack’s', async () => {
    const ts: string[] = [];
    for (let i = 0; i < 20; i += 1) ts.push(String((await call('chat.postMessage', { channel: 'C1', text: `m${i}` }))['ts']));

    for (const t of ts) expect(t).toMatch(/^\d{10}\.\d{6}$/);
    const micros = ts.map(parseTsMicros);
    expect(micros).toEqual([...micros].sort((x, y) => x - y));
    expect(new Set(ts).size).toBe(20);
  });

  const rejections: Array<{ when: string; args: Record<string, unknown>; error: string; token?: string }> = [
    { when: 'the token is wrong', args: { channel: 'C1', text: 'x' }, error: 'invalid_auth', token: 'xoxb-wrong' },
    { when: 'no token is sent', args: { channel: 'C1', text: 'x' }, error: 'not_authed', token: '' },
    { when: 'the channel does not exist', args: { channel: 'C404', text: 'x' }, error: 'channel_not_found' },
    { when: 'neither text nor blocks are sent', args: { channel: 'C1' }, error: 'no_text' },
    { when: 'there are 51 blocks', args: { channel: 'C1', text: 'x', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) }, error: 'invalid_blocks' },
    { when: 'a section text has 3001 characters', args: { channel: 'C1', text: 'x', blocks: [section('a'.repeat(3001))] }, error: 'invalid_blocks' },
    { when: 'a section has 11 fields', args: { channel: 'C1', text: 'x', blocks: [{ type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) }] }, error: 'invalid_blocks' },
    { when: 'a header has 151 characters', args: { channel: 'C1', text: 'x', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] }, error: 'invalid_blocks' },
    { when: 'a block type is unknown', args: { channel: 'C1', text: 'x', blocks: [{ type: 'banner' }] }, error: 'invalid_blocks' },
    { when: 'blocks are not JSON', args: { channel: 'C1', text: 'x', blocks: '[{' }, error: 'invalid_blocks_format' },
    { when: 'text exceeds 40000 characters', args: { channel: 'C1', text: 'x'.repeat(40_001) }, error: 'msg_too_long' },
    { when: 'a reply names a thread that does not exist', args: { channel: 'C1', text: 'x', thread_ts: '1700000000.000100' }, error: 'thread_not_found' },
  ];
  it.each(rejections)('answers ok:false $error when $when, storing nothing', async ({ args, error, token }) => {
    const answer = await call('chat.postMessage', args, 'form', token ?? slack.token);

    expect(answer).toMatchObject({ ok: false, error });
    expect(slack.messages).toEqual([]);
  });

  it('accepts exactly 50 blocks and a 3000-character section', async () => {
    const blocks = [section('a'.repeat(3000)), ...Array.from({ length: 49 }, () => ({ type: 'divider' }))];
    expect(await call('chat.postMessage', { channel: 'C1', text: 'x', blocks })).toMatchObject({ ok: true });
  });

  it('names the offending block in response_metadata like Slack', async () => {
    const answer = await call('chat.postMessage', { channel: 'C1', text: 'x', blocks: [section('ok'), section('a'.repeat(3001))] });
    expect(answer['response_metadata']).toEqual({ messages: ['[ERROR] must be less than 3001 characters [json-pointer:/blocks/1/text/text]'] });
  });

  it('updates a message, keeping earlier versions and metadata, and refuses an unknown ts', async () => {
    const posted = await call('chat.postMessage', { channel: 'C1', text: 'v1', metadata: { event_type: 't', event_payload: { id: 'x' } } });
    const updated = await call('chat.update', { channel: 'C1', ts: posted['ts'], text: 'v2' });
    const missing = await call('chat.update', { channel: 'C1', ts: '1600000000.000100', text: 'v2' });

    expect(updated).toMatchObject({ ok: true, channel: 'C1', ts: posted['ts'], text: 'v2' });
    expect(slack.messages[0]).toMatchObject({ text: 'v2', history: [{ text: 'v1' }], metadata: { event_payload: { id: 'x' } } });
    expect(missing).toMatchObject({ ok: false, error: 'message_not_found' });
  });

  it('lists history newest first without replies, and metadata only with include_all_metadata', async () => {
    const parent = await call('chat.postMessage', { channel: 'C1', text: 'parent', metadata: { event_type: 't', event_payload: { id: 'p' } } });
    await call('chat.postMessage', { channel: 'C1', text: 'reply', thread_ts: parent['ts'], metadata: { event_type: 't', event_payload: { id: 'r' } } });
    await call('chat.postMessage', { channel: 'C1', text: 'later' });

    const plain = (await call('conversations.history', { channel: 'C1' }))['messages'] as Array<Record<string, unknown>>;
    const withMetadata = (await call('conversations.history', { channel: 'C1', include_all_metadata: true }))['messages'] as Array<Record<string, unknown>>;
    const thread = (await call('conversations.replies', { channel: 'C1', ts: parent['ts'], include_all_metadata: true }))['messages'] as Array<Record<string, unknown>>;

    expect(plain.map((m) => m['text'])).toEqual(['later', 'parent']);
    expect(plain.some((m) => 'metadata' in m)).toBe(false);
    expect(withMetadata[1]).toMatchObject({ text: 'parent', reply_count: 1, metadata: { event_type: 't', event_payload: { id: 'p' } } });
    expect(thread.map((m) => [m['text'], (m['metadata'] as { event_payload: unknown }).event_payload])).toEqual([
      ['parent', { id: 'p' }],
      ['reply', { id: 'r' }],
    ]);
  });

  it('filters history by oldest and latest, and pages with a cursor', async () => {
    const ts: string[] = [];
    for (let i = 0; i < 5; i += 1) ts.push(String((await call('chat.postMessage', { channel: 'C1', text: `m${i}` }))['ts']));

    const after = (await call('conversations.history', { channel: 'C1', oldest: ts[1] }))['messages'] as Array<{ text: string }>;
    expect(after.map((m) => m.text)).toEqual(['m4', 'm3', 'm2']);
    const between = (await call('conversations.history', { channel: 'C1', oldest: ts[1], latest: ts[3], inclusive: true }))['messages'] as Array<{ text: string }>;
    expect(between.map((m) => m.text)).toEqual(['m3', 'm2', 'm1']);

    const first = await call('conversations.history', { channel: 'C1', limit: 2 });
    const cursor = (first['response_metadata'] as { next_cursor: string }).next_cursor;
    const second = await call('conversations.history', { channel: 'C1', limit: 2, cursor });
    expect(first['has_more']).toBe(true);
    expect((second['messages'] as Array<{ text: string }>).map((m) => m.text)).toEqual(['m2', 'm1']);
  });

  it('answers auth.test and refuses unknown methods', async () => {
    expect(await call('auth.test', {})).toMatchObject({ ok: true, user_id: 'U0BURNRATE' });
    expect(await call('chat.delete', { channel: 'C1', ts: '1' })).toMatchObject({ ok: false, error: 'unknown_method' });
  });
});

describe('fake Slack failure injection', () => {
  it('serves scripted failures once each, in order, then behaves again', async () => {
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 12 });
    slack.failNext('chat.postMessage', { status: 500 });
    const post = () => fetch(slack.url + 'chat.postMessage', { method: 'POST', headers: { authorization: `Bearer ${slack.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ channel: 'C1', text: 'x' }) });

    const limited = await post();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('12');
    expect((await post()).status).toBe(500);
    expect((await post()).status).toBe(200);
    expect(slack.messages).toHaveLength(1);
    expect(slack.calls).toHaveLength(3);
  });

  it('drops the connection without storing the message', async () => {
    slack.failNext('chat.postMessage', { dropConnection: true });
    await expect(call('chat.postMessage', { channel: 'C1', text: 'x' })).rejects.toThrow();
    expect(slack.messages).toEqual([]);
    expect(slack.calls).toHaveLength(1);
  });

  it('applies a delayed call at once and answers later', async () => {
    slack.failNext('chat.postMessage', { delayMs: 200 });
    const started = performance.now();
    const answer = call('chat.postMessage', { channel: 'C1', text: 'slow' });
    const deadline = Date.now() + 150;
    while (slack.messages.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));

    expect(slack.messages).toHaveLength(1);
    expect(await answer).toMatchObject({ ok: true });
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('fails only the named method', async () => {
    slack.failNext('chat.update', { ok: false, error: 'cant_update_message' });
    expect(await call('chat.postMessage', { channel: 'C1', text: 'x' })).toMatchObject({ ok: true });
    const ts = slack.messages[0]!.ts;
    expect(await call('chat.update', { channel: 'C1', ts, text: 'y' })).toMatchObject({ ok: false, error: 'cant_update_message' });
  });
});
