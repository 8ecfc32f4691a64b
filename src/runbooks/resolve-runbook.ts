import { realpathSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { describeFsError, FileReadError, readTextFile } from '../util/read-text-file.js';

/** A runbook larger than this is refused rather than read (a page shows a few kilobytes of it at most). */
export const maxRunbookBytes = 256 * 1024;

/** Why a runbook cannot be used, in words for a validation message or a page. */
export interface RunbookProblem {
  kind: 'bad-path' | 'outside' | 'hard-link' | 'missing' | 'not-a-file' | 'too-large' | 'unreadable';
  /** Completes "runbook "x.md" …", e.g. `is a link to /etc/passwd, outside the runbook directory`. */
  reason: string;
}

export type ResolvedRunbook = { file: string; problem?: undefined } | { file?: undefined; problem: RunbookProblem };

/**
 * Where a runbook path from an SLO file really leads. The path must be relative, without `..` segments, and its
 * real path (every symbolic link, of the file or of a directory on the way, resolved) must stay inside the real
 * runbook directory; a link leading out of it, however it is spelled, is refused.
 */
export function resolveRunbook(dir: string, path: string): ResolvedRunbook {
  const spelled = checkSpelling(path);
  if (spelled !== undefined) return { problem: spelled };
  let realDir: string;
  try {
    realDir = realpathSync(dir);
  } catch (cause) {
    const why = (cause as { code?: unknown }).code === 'ENOENT' ? 'does not exist' : `cannot be read: ${describeFsError(cause)}`;
    return { problem: { kind: 'missing', reason: `cannot be looked up: the runbook directory ${dir} ${why}` } };
  }
  let real: string;
  try {
    real = realpathSync(join(realDir, path));
  } catch (cause) {
    const code = (cause as { code?: unknown }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { problem: { kind: 'missing', reason: 'not found in the runbook directory' } };
    return { problem: { kind: 'unreadable', reason: `cannot be read: ${describeFsError(cause)}` } };
  }
  if (!isInside(realDir, real)) {
    return { problem: { kind: 'outside', reason: `is a link to ${real}, outside the runbook directory` } };
  }
  return { file: real };
}

/** Reads a resolved runbook, bounded in size; the real path is opened without following a link. */
export function readRunbook(dir: string, path: string): { source: string; problem?: undefined } | { source?: undefined; problem: RunbookProblem } {
  const resolved = resolveRunbook(dir, path);
  if (resolved.problem !== undefined) return { problem: resolved.problem };
  try {
    return { source: readTextFile(resolved.file, { maxBytes: maxRunbookBytes, noFollow: true, singleName: true }) };
  } catch (cause) {
    if (cause instanceof FileReadError) return { problem: fromReadError(cause) };
    return { problem: { kind: 'unreadable', reason: `cannot be read: ${describeFsError(cause)}` } };
  }
}

/** Why a runbook path from an SLO file cannot be sent (the checks of {@link readRunbook}), or undefined. */
export function checkRunbookFile(dir: string, path: string): RunbookProblem | undefined {
  return readRunbook(dir, path).problem;
}

function fromReadError(error: FileReadError): RunbookProblem {
  if (error.code === 'missing') return { kind: 'missing', reason: 'not found in the runbook directory' };
  if (error.code === 'unreadable') return { kind: 'unreadable', reason: `cannot be read: ${error.reason}` };
  if (error.code === 'hard-link') return { kind: 'hard-link', reason: `${error.reason}; copy it into the runbook directory` };
  return { kind: error.code, reason: error.reason };
}

function checkSpelling(path: string): RunbookProblem | undefined {
  if (path === '' || path.includes('\0')) return { kind: 'bad-path', reason: 'is not a file path' };
  if (isAbsolute(path)) return { kind: 'bad-path', reason: 'is an absolute path: expected a path inside the runbook directory' };
  if (path.split(/[\\/]/).includes('..')) return { kind: 'bad-path', reason: 'has a ".." segment: expected a path inside the runbook directory' };
  return undefined;
}

function isInside(dir: string, file: string): boolean {
  const inside = relative(dir, file);
  return inside !== '' && inside !== '..' && !inside.startsWith(`..${sep}`) && !isAbsolute(inside);
}
