import { parseDuration } from '../../core/duration.js';
import { parseSince, parseTimeText } from '../../deploys/deploy-time.js';
import { HttpError, type FieldIssue } from '../http-errors.js';

/**
 * Reads a query string strictly: unknown parameters and repeated ones are problems, each problem is named
 * by its parameter, and `done()` answers all of them at once with `400 invalid_query`.
 */
export class QueryReader {
  readonly issues: FieldIssue[] = [];
  private readonly values = new Map<string, string>();

  constructor(query: unknown, allowed: readonly string[]) {
    for (const [key, raw] of Object.entries((query ?? {}) as Record<string, unknown>)) {
      if (!allowed.includes(key)) this.issues.push({ path: key, message: `unknown parameter "${key}": allowed parameters: ${allowed.join(', ')}` });
      else if (typeof raw !== 'string') this.issues.push({ path: key, message: 'expected one value' });
      else this.values.set(key, raw);
    }
  }

  text(name: string): string | undefined {
    return this.values.get(name);
  }

  oneOf<T extends string>(name: string, choices: readonly T[]): T | undefined {
    const raw = this.values.get(name);
    if (raw === undefined) return undefined;
    if ((choices as readonly string[]).includes(raw)) return raw as T;
    this.issues.push({ path: name, message: `expected one of ${choices.join(', ')}, got "${raw}"` });
    return undefined;
  }

  limit(fallback: number, max: number): number {
    const raw = this.values.get('limit');
    if (raw === undefined) return fallback;
    const limit = /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (limit >= 1 && limit <= max) return limit;
    this.issues.push({ path: 'limit', message: `expected a whole number from 1 to ${max}, got "${raw}"` });
    return fallback;
  }

  /** RFC 3339 with offset, unix seconds, or (when `now` is given) a duration back from now such as `7d`. */
  time(name: string, now?: number): number | undefined {
    const raw = this.values.get(name);
    if (raw === undefined) return undefined;
    const t = now === undefined ? parseTimeText(raw) : parseSince(raw, now);
    if (t !== undefined) return t;
    const ago = now === undefined ? '' : ', or a duration back from now (e.g. 7d)';
    this.issues.push({ path: name, message: `expected an RFC 3339 time with offset or unix seconds${ago}, got "${raw}"` });
    return undefined;
  }

  /** A duration such as `1h`, or whole seconds. */
  duration(name: string): number | undefined {
    const raw = this.values.get(name);
    if (raw === undefined) return undefined;
    const seconds = /^\d+$/.test(raw) ? Number(raw) : parseDuration(raw);
    if (seconds !== undefined && seconds > 0) return seconds;
    this.issues.push({ path: name, message: `expected a duration such as 5m or 1h, or whole seconds, got "${raw}"` });
    return undefined;
  }

  problem(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  /** Throws `400 invalid_query` listing every problem found. */
  done(): void {
    if (this.issues.length === 0) return;
    throw new HttpError(400, 'invalid_query', `invalid query: ${this.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, this.issues);
  }
}
