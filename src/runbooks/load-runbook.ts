import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import type { RunbookRef } from '../notify/notification.js';
import { splitFrontMatter } from './front-matter.js';

/**
 * Reads a runbook at send time, so a page carries the file's current content. Never throws: a page must go
 * out even when its runbook is missing or unreadable, and then says so in place of the runbook.
 */
export function loadRunbook(dir: string, path: string, baseUrl: string | null): RunbookRef {
  const url = runbookUrl(baseUrl, path);
  const file = resolve(dir, path);
  const inside = relative(resolve(dir), file);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    return problemRef(path, url, `The runbook path \`${path}\` points outside the runbook directory.`);
  }
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? `The runbook file \`${path}\` is missing: it was not found in \`${dir}\` when this notification was sent.`
        : `The runbook file \`${path}\` could not be read (${code ?? 'error'}) when this notification was sent.`;
    return problemRef(path, url, message);
  }
  const { meta, body, problem } = splitFrontMatter(source);
  const markdown = problem === null ? body : `_Runbook ${problem}; it is shown without it._\n\n${body}`;
  return { path, url, meta, markdown };
}

/** The configured base URL joined with the runbook's path, each path segment encoded. */
export function runbookUrl(baseUrl: string | null, path: string): string | null {
  if (baseUrl === null || baseUrl === '') return null;
  const segments = path.split(/[\\/]/).filter((part) => part !== '' && part !== '.');
  return `${baseUrl.replace(/\/+$/, '')}/${segments.map(encodeURIComponent).join('/')}`;
}

function problemRef(path: string, url: string | null, sentence: string): RunbookRef {
  const where = url === null ? '' : ` The published copy may still be at <${url}>.`;
  return { path, url, meta: {}, markdown: `**${sentence}**${where}` };
}
