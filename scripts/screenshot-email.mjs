#!/usr/bin/env node
// Renders the golden page and resolve emails (test/golden/*.email.html) to docs/email-*.png with a headless
// Chromium (Debian: apt-get install chromium). Regenerate the golden files first if the templates changed:
//   UPDATE_GOLDEN=1 npx vitest run test/render/golden.test.ts && node scripts/screenshot-email.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');
const browser = process.env.CHROMIUM ?? 'chromium';
// Window heights fit each email's length at 800 px wide; headless screenshots capture the window only.
const shots = [
  { html: 'test/golden/page.email.html', png: 'docs/email-page.png', height: 2420 },
  { html: 'test/golden/resolved.email.html', png: 'docs/email-resolved.png', height: 900 },
];

for (const shot of shots) {
  const profile = mkdtempSync(join(tmpdir(), 'burnrate-chromium-'));
  try {
    execFileSync(
      browser,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--hide-scrollbars',
        `--user-data-dir=${profile}`,
        `--screenshot=${join(root, shot.png)}`,
        `--window-size=800,${shot.height}`,
        pathToFileURL(join(root, shot.html)).href,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    process.stdout.write(`${shot.png}\n`);
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}
