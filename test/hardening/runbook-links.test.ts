import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadRunbook } from '../../src/runbooks/load-runbook.js';
import { maxRunbookBytes } from '../../src/runbooks/resolve-runbook.js';
import { formatDiagnostic, loadSloText } from '../../src/slo/index.js';

/**
 * A runbook's content goes to Slack and email, so a runbook path must never lead out of the runbook directory:
 * not by a symbolic link (of the file, of a directory on the way, relative or absolute), not by `..`, not by
 * an absolute path. Each is refused when the SLO files are validated, and again when a page is sent.
 */
const scratch = mkdtempSync(join(tmpdir(), 'burnrate-runbook-links-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const secret = 'root:x:0:0:the secret outside the runbook directory';
const outside = join(scratch, 'outside');
mkdirSync(join(outside, 'team'), { recursive: true });
writeFileSync(join(outside, 'secret.md'), secret);
writeFileSync(join(outside, 'team', 'secret.md'), secret);

const dir = join(scratch, 'runbooks');
mkdirSync(join(dir, 'docs'), { recursive: true });
writeFileSync(join(dir, 'real.md'), '# Real runbook\n');
writeFileSync(join(dir, 'docs', 'nested.md'), '# Nested runbook\n');
symlinkSync('/etc/passwd', join(dir, 'passwd.md'));
symlinkSync('../outside/secret.md', join(dir, 'relative.md'));
symlinkSync(join(outside, 'team'), join(dir, 'linked-team'));
symlinkSync('real.md', join(dir, 'alias.md'));
symlinkSync('loop-b.md', join(dir, 'loop-a.md'));
symlinkSync('loop-a.md', join(dir, 'loop-b.md'));
writeFileSync(join(dir, 'huge.md'), 'x'.repeat(maxRunbookBytes + 1));
mkdirSync(join(dir, 'folder.md'));
execFileSync('mkfifo', [join(dir, 'fifo.md')]);
// A hard link is the file's second name: inside the directory by every path, the content from outside.
linkSync(join(outside, 'secret.md'), join(dir, 'hard.md'));
// The runbook directory itself may be a link (a deploy's "current" symlink): inside is judged from its real path.
symlinkSync(dir, join(scratch, 'current'));

const sloFile = (runbook: string): string => `apiVersion: burnrate/v1
kind: SLO
metadata:
  name: api
  service: api
spec:
  objective: 99
  window: 30d
  indicator:
    ratio:
      errors: sum(rate(http_requests_total{code=~"5.."}[{{window}}]))
      total: sum(rate(http_requests_total[{{window}}]))
  alerting:
    page: {runbook: ${JSON.stringify(runbook)}}
`;

const validate = (runbook: string, runbookDir = dir): string[] =>
  loadSloText(sloFile(runbook), 'api.yaml', { runbookDir }).diagnostics.map(formatDiagnostic);

describe('validation refuses a runbook whose real path leaves the runbook directory', () => {
  test.each([
    ['a link to /etc/passwd', 'passwd.md', 'runbook "passwd.md" is a link to /etc/passwd, outside the runbook directory'],
    ['a relative link out of the directory', 'relative.md', `runbook "relative.md" is a link to ${join(outside, 'secret.md')}, outside the runbook directory`],
    ['a file under a linked directory', 'linked-team/secret.md', `runbook "linked-team/secret.md" is a link to ${join(outside, 'team', 'secret.md')}, outside the runbook directory`],
    ['a ".." segment that climbs out', 'docs/../../outside/secret.md', 'expected a path inside the runbook directory, got "docs/../../outside/secret.md"'],
    ['a ".." segment that stays inside', 'docs/../real.md', 'expected a path inside the runbook directory, got "docs/../real.md"'],
    ['an absolute path', '/etc/passwd', 'expected a path inside the runbook directory, got "/etc/passwd"'],
    ['an absolute path into the directory', join(dir, 'real.md'), `expected a path inside the runbook directory, got "${join(dir, 'real.md')}"`],
    ['a loop of links', 'loop-a.md', 'runbook "loop-a.md" cannot be read: is a symbolic link (or a loop of links)'],
    ['a file over the size limit', 'huge.md', 'runbook "huge.md" is larger than 256 KiB'],
    ['a directory', 'folder.md', 'runbook "folder.md" is a directory, expected a file'],
    ['a FIFO (read without blocking)', 'fifo.md', 'runbook "fifo.md" is not a regular file'],
    ['a missing file', 'gone.md', 'runbook "gone.md" not found in the runbook directory'],
    ['a hard link to a file outside', 'hard.md', 'runbook "hard.md" has 2 hard links: it may be a file from outside under a second name; copy it into the runbook directory'],
  ])('%s', (_what, runbook, message) => {
    expect(validate(runbook)).toEqual([`api.yaml:14:21 spec.alerting.page.runbook: ${message}`]);
  });

  test.each([
    ['a plain file', 'real.md'],
    ['a file in a subdirectory', 'docs/nested.md'],
    ['a link to another file inside the directory', 'alias.md'],
    ['"./" in front', './real.md'],
  ])('accepts %s', (_what, runbook) => {
    expect(validate(runbook)).toEqual([]);
  });

  test('accepts a runbook directory that is itself a link', () => {
    expect(validate('real.md', join(scratch, 'current'))).toEqual([]);
    expect(validate('passwd.md', join(scratch, 'current'))).toEqual([
      'api.yaml:14:21 spec.alerting.page.runbook: runbook "passwd.md" is a link to /etc/passwd, outside the runbook directory',
    ]);
  });
});

describe('at send time a runbook that leaves the directory is not read, and the page says why', () => {
  const passwd = readFileSync('/etc/passwd', 'utf8');

  test.each([
    ['a link to /etc/passwd', 'passwd.md', 'it is a symbolic link that points outside the runbook directory'],
    ['a relative link out of the directory', 'relative.md', 'it is a symbolic link that points outside the runbook directory'],
    ['a file under a linked directory', 'linked-team/secret.md', 'it is a symbolic link that points outside the runbook directory'],
    ['a ".." path', 'docs/../../outside/secret.md', 'the path points outside the runbook directory'],
    ['an absolute path', '/etc/passwd', 'the path points outside the runbook directory'],
  ])('%s', (_what, runbook, why) => {
    const ref = loadRunbook(dir, runbook, 'https://git.example/rb/');
    expect(ref.markdown).toContain(`The runbook \`${runbook}\` could not be read: ${why}, so nothing was read.`);
    expect(ref.markdown).not.toContain(secret);
    expect(ref.markdown).not.toContain(passwd.slice(0, 20));
    expect(ref.meta).toEqual({});
  });

  test('a link swapped in after validation is refused when the page is sent', () => {
    const swap = join(scratch, 'swap');
    mkdirSync(swap);
    writeFileSync(join(swap, 'page.md'), '# Fine at validation\n');
    expect(validate('page.md', swap)).toEqual([]);
    rmSync(join(swap, 'page.md'));
    symlinkSync('/etc/passwd', join(swap, 'page.md'));
    expect(loadRunbook(swap, 'page.md', null).markdown).toContain('it is a symbolic link that points outside the runbook directory');
  });

  test.each([
    ['too large', 'huge.md', 'it is larger than 256 KiB.'],
    ['a FIFO', 'fifo.md', 'it is not a regular file.'],
    ['a loop of links', 'loop-a.md', 'it cannot be read: is a symbolic link (or a loop of links).'],
    ['a hard link', 'hard.md', 'it has 2 hard links: it may be a file from outside under a second name; copy it into the runbook directory.'],
  ])('a runbook that is %s is named with the reason, without reading it', (_what, runbook, why) => {
    expect(loadRunbook(dir, runbook, null).markdown).toBe(`**The runbook file \`${runbook}\` could not be read when this notification was sent: ${why}**`);
  });

  test('a link inside the directory is followed', () => {
    expect(loadRunbook(dir, 'alias.md', null).markdown).toBe('# Real runbook\n');
  });
});
