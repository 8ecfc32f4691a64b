import { describe, expect, it } from 'vitest';
import { messageIdDomain, notificationMessageId, threadHeaders } from '../../src/channels/email-threading.js';

describe('notificationMessageId', () => {
  const cases: Array<{ when: string; id: string; expected: string }> = [
    { when: 'a plain id is used as is', id: 'n-17', expected: '<n-17@example.org>' },
    { when: 'a numeric id is used as is', id: '42', expected: '<42@example.org>' },
    { when: 'spaces, angle brackets and @ are percent-encoded', id: 'a b<c>@d', expected: '<a%20b%3Cc%3E%40d@example.org>' },
    { when: 'a percent sign is encoded so encodings cannot collide', id: '%20', expected: '<%2520@example.org>' },
    { when: 'non-ASCII is encoded as UTF-8 bytes', id: 'é', expected: '<%C3%A9@example.org>' },
    { when: 'leading, trailing and doubled dots are encoded', id: '.a..b.', expected: '<%2Ea.%2Eb%2E@example.org>' },
  ];
  it.each(cases)('$when', ({ id, expected }) => {
    expect(notificationMessageId(id, 'example.org')).toBe(expected);
  });
});

describe('messageIdDomain', () => {
  const cases: Array<{ when: string; from: string; configured?: string; expected: string }> = [
    { when: 'the configured domain wins', from: 'alerts@example.org', configured: 'mail.example.net', expected: 'mail.example.net' },
    { when: 'a bare sender gives its domain', from: 'alerts@example.org', expected: 'example.org' },
    { when: 'a named sender gives its domain', from: 'burnrate <alerts@example.org>', expected: 'example.org' },
    { when: 'a sender without a domain falls back to a reserved name', from: 'alerts', expected: 'burnrate.invalid' },
  ];
  it.each(cases)('$when', ({ from, configured, expected }) => {
    expect(messageIdDomain(from, configured)).toBe(expected);
  });
});

describe('threadHeaders', () => {
  const cases: Array<{ when: string; root: string; references: string[]; inReplyTo: string; expected: string[] }> = [
    { when: 'a first follow-up refers to the root alone', root: '<r@x>', references: [], inReplyTo: '<r@x>', expected: ['<r@x>'] },
    { when: 'earlier references come first and the root last', root: '<r@x>', references: ['<a@x>', '<b@x>'], inReplyTo: '<r@x>', expected: ['<a@x>', '<b@x>', '<r@x>'] },
    { when: 'the root is not repeated', root: '<r@x>', references: ['<r@x>', '<a@x>'], inReplyTo: '<r@x>', expected: ['<a@x>', '<r@x>'] },
    { when: 'ids without angle brackets get them', root: 'r@x', references: ['a@x'], inReplyTo: '<r@x>', expected: ['<a@x>', '<r@x>'] },
  ];
  it.each(cases)('$when', ({ root, references, inReplyTo, expected }) => {
    expect(threadHeaders(root, references)).toEqual({ inReplyTo, references: expected });
  });
});
