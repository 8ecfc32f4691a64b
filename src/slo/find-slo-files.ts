import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const sloFile = /\.ya?ml$/;

/**
 * The files to load for each path: a file as given, a directory searched recursively for `*.yaml`/`*.yml`
 * (dot-directories skipped), sorted so the order, and so which of two duplicates is "first", is stable.
 * Paths that cannot be read are returned in `unreadable` with the reason.
 */
export function findSloFiles(paths: readonly string[]): { files: string[]; unreadable: { path: string; reason: string }[] } {
  const files: string[] = [];
  const unreadable: { path: string; reason: string }[] = [];
  for (const path of paths) {
    try {
      if (statSync(path).isDirectory()) files.push(...walk(path));
      else files.push(path);
    } catch (cause) {
      unreadable.push({ path, reason: reasonOf(cause) });
    }
  }
  return { files: [...new Set(files)], unreadable };
}

function walk(dir: string): string[] {
  const found: string[] = [];
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && !entry.name.startsWith('.')) found.push(...walk(path));
    else if (entry.isFile() && sloFile.test(entry.name)) found.push(path);
  }
  return found;
}

export function reasonOf(cause: unknown): string {
  const code = (cause as { code?: unknown }).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  return cause instanceof Error ? cause.message : String(cause);
}
