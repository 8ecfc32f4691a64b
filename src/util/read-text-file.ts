import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** Why a file given by a user could not be read, in words fit for a one-line error. */
export class FileReadError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
    readonly code: 'missing' | 'not-a-file' | 'too-large' | 'unreadable' | 'hard-link',
  ) {
    super(`${path}: ${reason}`);
    this.name = 'FileReadError';
  }
}

export interface ReadTextOptions {
  /** Refuse a file larger than this many bytes, without reading it whole. */
  maxBytes: number;
  /** Refuse a symbolic link as the last path component (the caller resolved the path itself). */
  noFollow?: boolean;
  /**
   * Refuse a file with more than one name (hard links): a second name inside a directory may be a file from
   * anywhere on the same file system, which no real-path check can tell.
   */
  singleName?: boolean;
}

/**
 * Reads a regular file as UTF-8, bounded: a directory, a FIFO or a device (`/dev/zero`) is refused instead of
 * read forever, and a file over `maxBytes` is refused after reading at most `maxBytes + 1` bytes.
 * Opened non-blocking, so a FIFO never blocks the open; the checks are made on the open descriptor.
 */
export function readTextFile(path: string, options: ReadTextOptions): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | (options.noFollow ? constants.O_NOFOLLOW : 0));
  } catch (cause) {
    throw openError(path, cause);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new FileReadError(path, 'is a directory, expected a file', 'not-a-file');
    if (!stat.isFile()) throw new FileReadError(path, 'is not a regular file', 'not-a-file');
    if (options.singleName && stat.nlink > 1) {
      throw new FileReadError(path, `has ${stat.nlink} hard links: it may be a file from outside under a second name`, 'hard-link');
    }
    if (stat.size > options.maxBytes) throw tooLarge(path, options.maxBytes);
    // Read to the end rather than trusting the size: the file may grow, and some files report 0.
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(64 * 1024, options.maxBytes + 1 - length));
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      length += read;
      if (length > options.maxBytes) throw tooLarge(path, options.maxBytes);
    }
    return Buffer.concat(chunks).toString('utf8');
  } catch (cause) {
    if (cause instanceof FileReadError) throw cause;
    throw openError(path, cause);
  } finally {
    closeSync(fd);
  }
}

/** "permission denied", "no such file or directory", …: an errno in words. */
export function describeFsError(cause: unknown): string {
  const code = (cause as { code?: unknown }).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory, expected a file';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'ELOOP':
      return 'is a symbolic link (or a loop of links)';
    case 'ENAMETOOLONG':
      return 'the path is too long';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    case 'EIO':
      return 'input/output error';
    default:
      return typeof code === 'string' ? `cannot be read (${code})` : cause instanceof Error ? cause.message : String(cause);
  }
}

function openError(path: string, cause: unknown): FileReadError {
  const code = (cause as { code?: unknown }).code;
  return new FileReadError(path, describeFsError(cause), code === 'ENOENT' ? 'missing' : code === 'EISDIR' ? 'not-a-file' : 'unreadable');
}

function tooLarge(path: string, maxBytes: number): FileReadError {
  return new FileReadError(path, `is larger than ${formatBytes(maxBytes)}`, 'too-large');
}

function formatBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
