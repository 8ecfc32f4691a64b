import * as z from 'zod';
import { formatTime } from '../core/time.js';
import { formatPath } from '../spec/diagnostic.js';
import { findingsFromIssues } from '../spec/wire-issues.js';
import { dnsLabel, expecting, show } from '../spec/wire-values.js';
import { parseTimeText } from './deploy-time.js';

/** A deploy as recorded: validated, times in unix seconds, tags as `key:value` (or bare) strings. */
export interface DeployInput {
  service: string;
  environment?: string | null;
  version?: string | null;
  commit?: string | null;
  repositoryUrl?: string | null;
  author?: string | null;
  startedAt?: number | null;
  finishedAt: number;
  url?: string | null;
  rollbackUrl?: string | null;
  summary?: string | null;
  tags?: readonly string[];
}

/** One problem with one field; `path` is empty for problems about the whole input. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** `finishTimeDefaulted`: the sender gave no finish time, so `input.finishedAt` is `now` (see the store's dedup window). */
export type DeployInputResult = { ok: true; input: DeployInput; finishTimeDefaulted: boolean } | { ok: false; issues: FieldIssue[] };

/** How far in the future a deploy time may be (clock skew between CI runners and the engine). */
export const maxFutureSeconds = 300;
export const maxSummaryLength = 2000;
const maxTags = 50;
const maxTagLength = 200;

const timeText = 'an RFC 3339 time with offset (e.g. 2026-11-22T09:00:00Z) or unix seconds';
// Unix seconds pass this in the year 5138; anything larger is almost certainly milliseconds.
const millisecondsThreshold = 1e11;

const text = (what: string, max: number) =>
  z
    .string({ error: expecting(what) })
    .trim()
    .min(1, { error: `expected ${what}, got an empty string` })
    .max(max, { error: (issue) => `expected ${what} of at most ${max} characters, got ${String((issue.input as string).length)}` });

const httpUrl = (what: string) =>
  z.string({ error: expecting(what) }).superRefine((value, ctx) => {
    let ok = false;
    try {
      const url = new URL(value);
      ok = (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
    } catch {
      ok = false;
    }
    if (!ok) ctx.addIssue({ code: 'custom', message: `expected ${what}, got ${show(value)}` });
    else if (value.length > 2000) ctx.addIssue({ code: 'custom', message: `expected ${what} of at most 2000 characters, got ${value.length}` });
  });

const commitText = 'a commit hash of 7 to 40 hexadecimal digits';
const commit = z
  .string({ error: expecting(commitText) })
  .regex(/^[0-9a-fA-F]{7,40}$/, { error: (issue) => `expected ${commitText}, got ${show(issue.input)}` })
  .transform((value) => value.toLowerCase());

const time = z.union([z.number(), z.string()], { error: expecting(timeText) }).transform((value, ctx): number => {
  const seconds = typeof value === 'number' ? value : parseTimeText(value);
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) {
    ctx.addIssue({ code: 'custom', message: `expected ${timeText}, got ${show(value)}` });
    return z.NEVER;
  }
  if (seconds >= millisecondsThreshold) {
    ctx.addIssue({ code: 'custom', message: `expected unix seconds, got ${show(value)}, which looks like milliseconds` });
    return z.NEVER;
  }
  return seconds;
});

const tagsText = 'a list of tags ("key:value" or a bare word) or a mapping of tag names to values';
const tags = z.unknown().transform((value, ctx): string[] => {
  const out: string[] = [];
  const check = (tag: string, path: PropertyKey[]) => {
    if (tag.trim() === '') ctx.addIssue({ code: 'custom', message: 'expected a non-empty tag', path });
    else if (tag.length > maxTagLength) ctx.addIssue({ code: 'custom', message: `expected a tag of at most ${maxTagLength} characters, got ${tag.length}`, path });
    else out.push(tag.trim());
  };
  if (Array.isArray(value)) {
    value.forEach((tag: unknown, index) => {
      if (typeof tag === 'string') check(tag, [index]);
      else ctx.addIssue({ code: 'custom', message: `expected a tag string such as "team:payments", got ${show(tag)}`, path: [index] });
    });
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, tagValue] of Object.entries(value)) {
      if (key === '' || key.includes(':')) {
        ctx.addIssue({ code: 'custom', message: `expected a tag name without ":", got ${show(key)}`, path: [key] });
      } else if (typeof tagValue === 'string' || typeof tagValue === 'number' || typeof tagValue === 'boolean') {
        check(`${key}:${String(tagValue)}`, [key]);
      } else {
        ctx.addIssue({ code: 'custom', message: `expected a string tag value, got ${show(tagValue)}`, path: [key] });
      }
    }
  } else {
    ctx.addIssue({ code: 'custom', message: `expected ${tagsText}, got ${show(value)}` });
  }
  if (out.length > maxTags) ctx.addIssue({ code: 'custom', message: `expected at most ${maxTags} tags, got ${out.length}` });
  return [...new Set(out)];
});

const shape = {
  service: dnsLabel,
  environment: text('an environment name', 100).nullish(),
  version: text('a version string', 200).nullish(),
  commit: commit.nullish(),
  repositoryUrl: httpUrl('an http(s) URL of the repository').nullish(),
  author: text('an author name', 200).nullish(),
  startedAt: time.nullish(),
  finishedAt: time.nullish(),
  url: httpUrl('an http(s) URL of the deploy (pipeline run, release page)').nullish(),
  rollbackUrl: httpUrl('an http(s) URL that rolls the deploy back (a rollback job, a release page)').nullish(),
  summary: text('a summary', maxSummaryLength).nullish(),
  tags: tags.optional(),
};

/** The wire form of a deploy (API body, CLI flags): every field as a client may send it. */
export const deployInputSchema = z.strictObject(shape, {
  error: (issue) => {
    if (issue.code === 'unrecognized_keys') return `allowed fields: ${Object.keys(shape).join(', ')}`;
    return expecting('a JSON object with the deploy fields (service required)')(issue);
  },
});

/** Validates a deploy as sent; `now` fills in a missing finish time and bounds times in the future. */
export function parseDeployInput(raw: unknown, now: number): DeployInputResult {
  const parsed = deployInputSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      issues: findingsFromIssues(parsed.error.issues).map((finding) => ({ path: formatPath(finding.path), message: finding.message })),
    };
  }
  const wire = parsed.data;
  const finishedAt = wire.finishedAt ?? now;
  const issues: FieldIssue[] = [];
  const latest = now + maxFutureSeconds;
  for (const [path, value] of [['startedAt', wire.startedAt], ['finishedAt', wire.finishedAt]] as const) {
    if (value !== undefined && value !== null && value > latest) {
      issues.push({ path, message: `expected a time at most ${maxFutureSeconds / 60} minutes in the future, got ${Math.round(value - now)} seconds ahead of the server's clock` });
    }
  }
  if (wire.startedAt !== undefined && wire.startedAt !== null && wire.startedAt > finishedAt) {
    issues.push({ path: 'startedAt', message: `expected a start at or before the finish (${formatTime(finishedAt)}), got ${formatTime(wire.startedAt)}` });
  }
  if (issues.length > 0) return { ok: false, issues };
  const input: DeployInput = { service: wire.service, finishedAt };
  for (const key of ['environment', 'version', 'commit', 'repositoryUrl', 'author', 'startedAt', 'url', 'rollbackUrl', 'summary'] as const) {
    const value = wire[key];
    if (value !== undefined && value !== null) Object.assign(input, { [key]: value });
  }
  if (wire.tags !== undefined && wire.tags.length > 0) input.tags = wire.tags;
  return { ok: true, input, finishTimeDefaulted: wire.finishedAt === undefined || wire.finishedAt === null };
}
