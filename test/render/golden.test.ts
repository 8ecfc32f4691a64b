import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { createRenderer } from '../../src/render/create-renderer.js';
import { escalationNotification, pageNotification, resolveNotification } from './fixtures.js';

// Reviewed like code. Regenerate with UPDATE_GOLDEN=1 npx vitest run test/render/golden.test.ts
const goldenDir = fileURLToPath(new URL('../golden/', import.meta.url));
const update = process.env.UPDATE_GOLDEN === '1';

const { renderSlack, renderEmail } = createRenderer();

function emailText(rendered: { subject: string; text: string }): string {
  return `Subject: ${rendered.subject}\n\n${rendered.text}`;
}

const goldenOutputs: Record<string, () => string> = {
  'page.slack.json': () => `${JSON.stringify(renderSlack(pageNotification(), false), null, 2)}\n`,
  'page.email.txt': () => emailText(renderEmail(pageNotification(), false)),
  'page.email.html': () => renderEmail(pageNotification(), false).html,
  'resolved.slack.json': () => `${JSON.stringify(renderSlack(resolveNotification(), true), null, 2)}\n`,
  'resolved.email.txt': () => emailText(renderEmail(resolveNotification(), true)),
  'resolved.email.html': () => renderEmail(resolveNotification(), true).html,
  'escalated.slack.json': () => `${JSON.stringify(renderSlack(escalationNotification(), true), null, 2)}\n`,
  'escalated.email.txt': () => emailText(renderEmail(escalationNotification(), true)),
};

describe('golden files', () => {
  test.each(Object.keys(goldenOutputs))('%s matches byte for byte', (name) => {
    const rendered = goldenOutputs[name]!();
    const file = `${goldenDir}${name}`;
    if (update) {
      mkdirSync(goldenDir, { recursive: true });
      writeFileSync(file, rendered);
    }
    expect(existsSync(file), `${name} is missing: run with UPDATE_GOLDEN=1`).toBe(true);
    expect(rendered).toBe(readFileSync(file, 'utf8'));
  });

  test('rendering is stable: the same notification renders the same bytes twice', () => {
    expect(goldenOutputs['page.email.html']!()).toBe(goldenOutputs['page.email.html']!());
  });
});
