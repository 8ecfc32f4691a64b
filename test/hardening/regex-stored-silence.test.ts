import { describe, expect, it } from 'vitest';
import { maxRegexLength } from '../../src/labels/re2-regex.js';
import { SilenceStore } from '../../src/silences/silence-store.js';
import { silenceView } from '../../src/silences/silence-view.js';
import { openDatabase } from '../../src/store/database.js';

const t0 = Date.parse('2026-11-02T09:00:00Z') / 1000;

describe('a stored silence whose regex the engine now refuses', () => {
  it.each([
    ['a repetition count over 1000 (accepted by the former translation to JavaScript)', 'a{1001}'],
    ['a pattern over the size bound', 'a'.repeat(maxRegexLength + 1)],
  ])('%s mutes nothing, and the other silences still apply', (_name, value) => {
    const db = openDatabase(':memory:');
    const problems: string[] = [];
    const store = new SilenceStore(db, { onProblem: (silence, problem) => problems.push(`${silence.id}: ${problem}`) });
    const good = store.add({ matchers: ['slo="checkout"'], duration: '1h', createdBy: 'ana', comment: 'ok' }, t0);
    // Written as an older version stored it, past today's validation.
    db.prepare(`INSERT INTO silences (id, matchers, starts_at, ends_at, created_by, comment, created_at, updated_at) VALUES ('old', ?, ?, ?, 'bo', 'old', ?, ?)`).run(
      JSON.stringify([{ name: 'slo', type: '=~', value }]),
      t0,
      t0 + 3600,
      t0,
      t0,
    );
    expect(store.isSilenced({ slo: 'checkout' }, t0 + 1).map((s) => s.id)).toEqual([good.id]);
    expect(store.isSilenced({ slo: 'aaa' }, t0 + 1)).toEqual([]);
    // Said, once (the daemon logs it), and shown wherever the silence is listed.
    expect(problems).toEqual([expect.stringMatching(/^old: mutes nothing: matcher slo=~".*" is refused \(invalid regular expression/)]);
    const listed = store.list({ now: t0 + 1 }).map((silence) => silenceView(silence, t0 + 1));
    expect(listed.find((view) => view.id === 'old')?.problem).toMatch(/^mutes nothing: matcher slo=~/);
    expect(listed.find((view) => view.id === good.id)).not.toHaveProperty('problem');
    db.close();
  });
});
