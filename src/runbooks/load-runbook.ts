import { splitFrontMatter } from './front-matter.js';
import { readRunbook, type RunbookProblem } from './resolve-runbook.js';

/** A runbook as found at send time. */
export interface RunbookRef {
  /** Path relative to the runbook directory, as the SLO names it. */
  path: string;
  /** Where readers find the full file (configured base URL + path), if configured. */
  url: string | null;
  /** Front matter (owner, escalation, …). */
  meta: Readonly<Record<string, string>>;
  /** The Markdown body without front matter. */
  markdown: string;
}

/**
 * Reads a runbook at send time, so a page carries the file's current content. Never throws: a page must go
 * out even when its runbook is missing or unreadable, and then says so in place of the runbook.
 */
export function loadRunbook(dir: string, path: string, baseUrl: string | null): RunbookRef {
  const url = runbookUrl(baseUrl, path);
  const read = readRunbook(dir, path);
  if (read.problem !== undefined) return problemRef(path, url, problemSentence(path, dir, read.problem));
  const { meta, body, problem } = splitFrontMatter(read.source);
  const markdown = problem === null ? body : `_Runbook ${problem}; it is shown without it._\n\n${body}`;
  return { path, url, meta, markdown };
}

/** What a page says in place of a runbook it could not read: which file, and why, never the file's content. */
function problemSentence(path: string, dir: string, problem: RunbookProblem): string {
  switch (problem.kind) {
    case 'missing':
      return `The runbook file \`${path}\` is missing: it was not found in \`${dir}\` when this notification was sent.`;
    case 'bad-path':
      return `The runbook \`${path}\` could not be read: the path points outside the runbook directory, so nothing was read.`;
    case 'outside':
      return `The runbook \`${path}\` could not be read: it is a symbolic link that points outside the runbook directory, so nothing was read.`;
    default:
      return `The runbook file \`${path}\` could not be read when this notification was sent: it ${problem.reason}.`;
  }
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
