import { describe, expect, test } from 'vitest';
import { endsInsideFence, splitMrkdwn, trimMrkdwn } from '../../src/runbooks/trim.js';

const paragraphs = Array.from({ length: 40 }, (_, i) => `Paragraph ${i} says something useful about the checkout.`).join('\n\n');
const withCode = `Intro line.\n\n\`\`\`\n${Array.from({ length: 60 }, (_, i) => `query_${i}{a="b"}`).join('\n')}\n\`\`\`\n\nAfter the code.`;

describe('trimMrkdwn', () => {
  test('text under the limit is unchanged', () => {
    expect(trimMrkdwn('short', 100, 'https://x.example/rb.md')).toBe('short');
  });

  test.each([
    ['with a URL, it links the full runbook', 'https://x.example/rb.md', '… <https://x.example/rb.md|full runbook>'],
    ['without a URL, it names the file', null, '… (runbook continues in checkout.md)'],
  ])('%s', (_name, url, suffix) => {
    const trimmed = trimMrkdwn(paragraphs, 500, url, 'checkout.md');
    expect(trimmed.length).toBeLessThanOrEqual(500);
    expect(trimmed.endsWith(`\n${suffix}`)).toBe(true);
    // Cut at a paragraph boundary: the kept text ends with a whole paragraph.
    expect(trimmed.slice(0, -suffix.length - 1)).toMatch(/checkout\.$/);
  });

  test('a cut inside a code block closes the block', () => {
    const trimmed = trimMrkdwn(withCode, 300, null, 'rb.md');
    expect(trimmed.length).toBeLessThanOrEqual(300);
    expect(endsInsideFence(trimmed)).toBe(false);
    expect(trimmed).toMatch(/\n```\n… \(runbook continues in rb\.md\)$/);
  });

  test.each([50, 120, 999, 2999, 3000])('the result never exceeds a limit of %i', (limit) => {
    expect(trimMrkdwn(paragraphs + withCode, limit, 'https://x.example/a|b').length).toBeLessThanOrEqual(limit);
  });
});

describe('splitMrkdwn', () => {
  test('pieces fit, close their code blocks, and keep every line', () => {
    const pieces = splitMrkdwn(withCode + '\n\n' + paragraphs, 400);
    expect(pieces.length).toBeGreaterThan(3);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(400);
      expect(endsInsideFence(piece)).toBe(false);
    }
    const joined = pieces.join('\n');
    for (let i = 0; i < 60; i += 1) expect(joined).toContain(`query_${i}{a="b"}`);
    expect(joined).toContain('Paragraph 39');
  });
});
