import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The folders of src/ in one order (docs/architecture.md, rules in .dependency-cruiser.mjs): no import from a lower
 * layer to a higher one, none sideways but in the declared directions, no cycle between folders, nothing from test/.
 */
describe('dependency direction', () => {
  it('src/ has no import against the layer order', async () => {
    const options = await extractDepcruiseOptions(`${root}.dependency-cruiser.mjs`);
    const tsConfig = extractTSConfig(`${root}tsconfig.json`);
    const { output } = await cruise(['src'], { ...options, baseDir: root, validate: true }, {}, { tsConfig });
    const result = output as ICruiseResult;
    // One line per violation, imports first, then the folder cycles they close: from → to (rule).
    const violations = [...result.summary.violations]
      .sort((a, b) => Number(a.cycle !== undefined) - Number(b.cycle !== undefined))
      .map((v) => `${[v.from, ...(v.cycle ? v.cycle.map((step) => step.name) : [v.to])].join(' → ')} (${v.rule.name})`);
    expect(violations.join('\n')).toBe('');
    // The cruise did see the sources: every folder and its imports.
    expect(result.summary.totalCruised).toBeGreaterThan(250);
    expect(result.summary.totalDependenciesCruised).toBeGreaterThan(1000);
  }, 60_000);
});
