import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { distinctWindows } from '../../src/core/windows.js';
import { fillWindow } from '../../src/promql/fill-window.js';
import { formatDiagnostic, loadSlos } from '../../src/slo/index.js';

const root = join(import.meta.dirname, '..', '..');

describe('the example SLOs in slos/', () => {
  const result = loadSlos([join(root, 'slos')], { runbookDir: join(root, 'runbooks') });
  const byName = new Map(result.slos.map((slo) => [slo.name, slo]));

  test('load without any diagnostic', () => {
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect([...byName.keys()].sort()).toEqual([
      'catalog-availability',
      'checkout-availability',
      'ledger-availability',
      'search-availability',
      'search-latency',
    ]);
  });

  test('carry the settings the demo relies on', () => {
    const summary = result.slos.map((slo) => ({
      name: slo.name,
      service: slo.service,
      team: slo.labels['team'],
      objective: slo.objective,
      days: slo.window / 86_400,
      minEvents: slo.alerting.minEvents,
      units: `${slo.indicator.numeratorKind}:${slo.indicator.numerator.unit}/${slo.indicator.total.unit}`,
    }));
    expect(summary.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'catalog-availability', service: 'catalog', team: 'discovery', objective: 99.9, days: 30, minEvents: 0, units: 'errors:events/events' },
      { name: 'checkout-availability', service: 'checkout', team: 'payments', objective: 99.9, days: 30, minEvents: 100, units: 'errors:per_second/per_second' },
      { name: 'ledger-availability', service: 'ledger', team: 'payments', objective: 99.9, days: 30, minEvents: 50, units: 'errors:per_second/per_second' },
      { name: 'search-availability', service: 'search', team: 'discovery', objective: 99.5, days: 30, minEvents: 100, units: 'errors:per_second/per_second' },
      { name: 'search-latency', service: 'search', team: 'discovery', objective: 99, days: 28, minEvents: 0, units: 'good:per_second/per_second' },
    ]);
  });

  test('every filled query of every window is accepted by promtool (Prometheus’ own parser)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'burnrate-promtool-'));
    try {
      const rules = result.slos.flatMap((slo) =>
        distinctWindows(slo.alerting.pairs).flatMap((window) =>
          [slo.indicator.numerator, slo.indicator.total].map((query, index) => ({
            record: `check:${slo.name.replaceAll('-', '_')}:${index}:${window}`,
            expr: fillWindow(query.template, window),
          })),
        ),
      );
      const file = join(dir, 'rules.yml');
      writeFileSync(file, JSON.stringify({ groups: [{ name: 'check', rules }] }));
      const run = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
      expect(run.error, 'promtool must be installed (Debian package prometheus)').toBeUndefined();
      expect(`${run.stdout}${run.stderr}`).toContain(`SUCCESS: ${rules.length} rules found`);
      expect(run.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
