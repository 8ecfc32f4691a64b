import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { compileAnchoredRe2 } from '../../src/labels/re2-regex.js';

/** Literals, alternations of literals and `prefix.*` skip the engine; the answers must be RE2's own. */
describe('regex shortcuts answer exactly as RE2 does', () => {
  const patterns = ['', 'checkout', 'checkout|payments', 'a||b', '|', 'café|naïve', 'svc-.*', '.*', 'a b.*', 'x-y_z:.*', 'a|b.*', 'a.*b'];
  const values = ['', 'checkout', 'payments', 'checkout|payments', 'checkoutx', 'a', 'b', 'ab', 'café', 'naïve', 'svc-', 'svc-1', 'svc-1\nx', 'svc', '\n', 'a b', 'a bc', 'x-y_z:', 'b.', 'bzz', 'a\nb', '😀'];
  it.each(patterns)('%j', (pattern) => {
    const engine = RE2JS.compile(`^(?:${pattern})$`);
    const regex = compileAnchoredRe2(pattern);
    for (const value of values) {
      // Twice: the second answer may come from the memo of recent values.
      expect([regex.test(value), regex.test(value)], JSON.stringify(value)).toEqual([engine.testExact(value), engine.testExact(value)]);
    }
  });
});
