import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadRunbook } from '../../src/runbooks/load-runbook.js';
import { runbookDir } from './fixtures.js';

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'burnrate-runbooks-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

describe('loadRunbook', () => {
  test('the shipped checkout runbook has its front matter split off', () => {
    const runbook = loadRunbook(runbookDir, 'checkout-availability.md', 'https://git.example/rb/');
    expect(runbook.meta.owner).toBe('payments');
    expect(runbook.meta.escalation).toContain('incident commander');
    expect(runbook.markdown.startsWith('# Checkout availability\n')).toBe(true);
    expect(runbook.url).toBe('https://git.example/rb/checkout-availability.md');
  });

  test('front matter values become strings', () => {
    const dir = dirWith({ 'a.md': '---\nowner: team-a\nsla: 15\ncontacts: [alice, bob]\npaging: true\n---\nBody\n' });
    expect(loadRunbook(dir, 'a.md', null)).toEqual({
      path: 'a.md',
      url: null,
      meta: { owner: 'team-a', sla: '15', contacts: 'alice, bob', paging: 'true' },
      markdown: 'Body\n',
    });
  });

  test('a file without front matter is all body', () => {
    const dir = dirWith({ 'b.md': '# Only body\n\n---\n\ntext' });
    expect(loadRunbook(dir, 'b.md', null)).toMatchObject({ meta: {}, markdown: '# Only body\n\n---\n\ntext' });
  });

  test('broken front matter is reported and the body still shown', () => {
    const dir = dirWith({ 'c.md': '---\nowner: [unclosed\n---\nBody' });
    const runbook = loadRunbook(dir, 'c.md', null);
    expect(runbook.meta).toEqual({});
    expect(runbook.markdown).toMatch(/^_Runbook front matter is not valid YAML: .*_\n\nBody$/);
  });

  test('the current content is read at send time', () => {
    const dir = dirWith({ 'd.md': 'first' });
    expect(loadRunbook(dir, 'd.md', null).markdown).toBe('first');
    writeFileSync(join(dir, 'd.md'), 'second');
    expect(loadRunbook(dir, 'd.md', null).markdown).toBe('second');
  });

  test('a runbook missing at send time yields a statement, not an exception', () => {
    const dir = dirWith({});
    const runbook = loadRunbook(dir, 'gone.md', 'https://git.example/rb');
    expect(runbook.meta).toEqual({});
    expect(runbook.url).toBe('https://git.example/rb/gone.md');
    expect(runbook.markdown).toContain('The runbook file `gone.md` is missing');
    expect(runbook.markdown).toContain('<https://git.example/rb/gone.md>');
  });

  test('a path leaving the runbook directory is refused', () => {
    const dir = dirWith({ 'e.md': 'x' });
    expect(loadRunbook(join(dir, 'sub'), '../e.md', null).markdown).toContain('points outside the runbook directory');
  });

  test('a directory in place of the file is reported as unreadable', () => {
    const dir = dirWith({ 'f.md/inner': 'x' });
    expect(loadRunbook(dir, 'f.md', null).markdown).toContain('could not be read when this notification was sent: it is a directory, expected a file.');
  });
});
