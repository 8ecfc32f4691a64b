import { describe, expect, it } from 'vitest';
import { parseDeployInput } from '../../src/deploys/deploy-input.js';

const now = Date.parse('2026-11-02T12:00:00Z') / 1000;

describe('parseDeployInput', () => {
  it('accepts a full deploy: RFC 3339 and unix-second times, a tag map, a mixed-case commit', () => {
    const result = parseDeployInput(
      {
        service: 'checkout',
        environment: 'production',
        version: 'v1.4.0',
        commit: 'ABCDEF1234',
        repositoryUrl: 'https://git.example.com/shop/checkout',
        author: 'ana',
        startedAt: '2026-11-02T11:58:00+01:00',
        finishedAt: now - 30,
        url: 'https://ci.example.com/runs/7',
        summary: 'new payment provider',
        tags: { team: 'payments', canary: true },
      },
      now,
    );
    expect(result).toEqual({
      ok: true,
      input: {
        service: 'checkout',
        environment: 'production',
        version: 'v1.4.0',
        commit: 'abcdef1234',
        repositoryUrl: 'https://git.example.com/shop/checkout',
        author: 'ana',
        startedAt: now - 3600 - 120,
        finishedAt: now - 30,
        url: 'https://ci.example.com/runs/7',
        summary: 'new payment provider',
        tags: ['team:payments', 'canary:true'],
      },
      finishTimeDefaulted: false,
    });
  });

  it('defaults the finish time to now, drops nulls, takes a tag list and digit-string times', () => {
    expect(parseDeployInput({ service: 'cart', version: null, tags: ['canary', 'team:web'], startedAt: String(now - 60) }, now)).toEqual({
      ok: true,
      input: { service: 'cart', finishedAt: now, startedAt: now - 60, tags: ['canary', 'team:web'] },
      finishTimeDefaulted: true,
    });
    expect(parseDeployInput({ service: 'cart', finishedAt: null }, now)).toMatchObject({ ok: true, finishTimeDefaulted: true });
  });

  it.each<[string, unknown, Array<{ path: string; message: string | RegExp }>]>([
    ['the body is not an object', 'deploy!', [{ path: '', message: /^expected a JSON object with the deploy fields \(service required\), got "deploy!"$/ }]],
    ['the service is missing', {}, [{ path: 'service', message: /^required field missing: expected a lowercase name/ }]],
    ['the service has capitals', { service: 'Checkout' }, [{ path: 'service', message: /^expected a lowercase name of a-z, 0-9 and "-".*got "Checkout"$/ }]],
    ['the commit is not hex', { service: 'a', commit: 'main' }, [{ path: 'commit', message: 'expected a commit hash of 7 to 40 hexadecimal digits, got "main"' }]],
    ['the commit is too short', { service: 'a', commit: 'abc12' }, [{ path: 'commit', message: 'expected a commit hash of 7 to 40 hexadecimal digits, got "abc12"' }]],
    ['the repository URL is not http(s)', { service: 'a', repositoryUrl: 'git@github.com:a/b.git' }, [{ path: 'repositoryUrl', message: 'expected an http(s) URL of the repository, got "git@github.com:a/b.git"' }]],
    ['the url is ftp', { service: 'a', url: 'ftp://x/y' }, [{ path: 'url', message: /^expected an http\(s\) URL of the deploy .*got "ftp:\/\/x\/y"$/ }]],
    ['a time has no offset', { service: 'a', finishedAt: '2026-11-02T11:00:00' }, [{ path: 'finishedAt', message: 'expected an RFC 3339 time with offset (e.g. 2026-11-22T09:00:00Z) or unix seconds, got "2026-11-02T11:00:00"' }]],
    ['a time is in milliseconds', { service: 'a', finishedAt: now * 1000 }, [{ path: 'finishedAt', message: `expected unix seconds, got ${now * 1000}, which looks like milliseconds` }]],
    ['the finish is more than 5 minutes ahead', { service: 'a', finishedAt: now + 301 }, [{ path: 'finishedAt', message: "expected a time at most 5 minutes in the future, got 301 seconds ahead of the server's clock" }]],
    ['the start is after the finish', { service: 'a', startedAt: now - 10, finishedAt: now - 20 }, [{ path: 'startedAt', message: 'expected a start at or before the finish (2026-11-02T11:59:40Z), got 2026-11-02T11:59:50Z' }]],
    ['the summary is too long', { service: 'a', summary: 'x'.repeat(2001) }, [{ path: 'summary', message: 'expected a summary of at most 2000 characters, got 2001' }]],
    ['a tag is not a string', { service: 'a', tags: ['ok', 3] }, [{ path: 'tags[1]', message: 'expected a tag string such as "team:payments", got 3' }]],
    ['a tag name has a colon', { service: 'a', tags: { 'a:b': 'c' } }, [{ path: 'tags.a:b', message: 'expected a tag name without ":", got "a:b"' }]],
    ['tags are a string', { service: 'a', tags: 'x' }, [{ path: 'tags', message: /^expected a list of tags .* or a mapping of tag names to values, got "x"$/ }]],
    ['a field is misspelt', { service: 'a', repository_url: 'https://x' }, [{ path: 'repository_url', message: /^unknown field "repository_url" \(did you mean "repositoryUrl"\?\): allowed fields: service, / }]],
  ])('rejects input where %s, naming the field and what was expected', (_name, raw, issues) => {
    const result = parseDeployInput(raw, now);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.issues).toEqual(issues.map((issue) => ({ path: issue.path, message: typeof issue.message === 'string' ? issue.message : expect.stringMatching(issue.message) })));
  });

  it('reports every bad field at once', () => {
    const result = parseDeployInput({ service: 'a', commit: 'zz', url: 'nope', summary: '' }, now);
    expect(result.ok ? [] : result.issues.map((i) => i.path)).toEqual(['commit', 'url', 'summary']);
  });
});
