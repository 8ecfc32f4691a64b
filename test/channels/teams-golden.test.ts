import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { teamsRenderer } from '../../src/render/render-teams.js';
import { pageNotification, resolveNotification } from '../render/fixtures.js';

// Reviewed like code. Regenerate with UPDATE_GOLDEN=1 npx vitest run test/channels/teams-golden.test.ts
const goldenDir = fileURLToPath(new URL('../golden/', import.meta.url));
const update = process.env.UPDATE_GOLDEN === '1';
const render = teamsRenderer();
const page = render(pageNotification(), null);
const pageRef = { incident: pageNotification().id, ...page.page };

const goldenOutputs: Record<string, () => string> = {
  'page.teams.json': () => `${JSON.stringify(page.message, null, 2)}\n`,
  'resolved.teams.json': () => `${JSON.stringify(render(resolveNotification(), pageRef).message, null, 2)}\n`,
};

describe('Teams golden cards', () => {
  test.each(Object.keys(goldenOutputs))('%s matches byte for byte', (name) => {
    const rendered = goldenOutputs[name]!();
    const file = `${goldenDir}${name}`;
    if (update) writeFileSync(file, rendered);
    expect(existsSync(file), `${name} is missing: run with UPDATE_GOLDEN=1`).toBe(true);
    expect(rendered).toBe(readFileSync(file, 'utf8'));
  });
});
