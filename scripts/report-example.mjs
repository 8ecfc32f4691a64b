#!/usr/bin/env node
// Regenerates docs/report-example.html and docs/report-example.png: the weekly error-budget report a team gets on
// Monday, from the demo scenario. Needs the build (npm run build) and a headless Chromium (Debian: chromium).
//   npm run build && node scripts/report-example.mjs [team]
// What it does: generates the demo's 35 days of traffic ending at REPORT_NOW (default Monday 23 Nov 2026 09:00
// Europe/Berlin, so the example does not change from one run to the next), ingests it into an embedded store,
// records a handful of deploys (the scenario has none: one shortly before some incidents, the rest harmless),
// replays the evaluation engine (runCycle) over the whole history at 5-minute steps into an EvaluationStore and the
// alert lifecycle, and renders the report of the most recent complete week.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import { AlertStore } from '../dist/alerting/alert-store.js';
import { AlertTracker } from '../dist/alerting/alert-tracker.js';
import { createEmbeddedBackend } from '../dist/backends/embedded/embedded-backend.js';
import { run } from '../dist/cli/main.js';
import { writeScenarioOpenMetrics } from '../dist/demo/index.js';
import { DeployStore } from '../dist/deploys/deploy-store.js';
import { runCycle } from '../dist/engine/evaluation-cycle.js';
import { SqliteLedger } from '../dist/ledger/sqlite-ledger.js';
import { buildReport, collectReportInput, lastCompleteWeek, renderReportPage, slosByTeam, weekBounds } from '../dist/report/index.js';
import { loadSlos } from '../dist/slo/load.js';
import { openDatabase } from '../dist/store/database.js';
import { EvaluationStore } from '../dist/engine/evaluation-store.js';

const root = resolve(import.meta.dirname, '..');
const team = process.argv[2] ?? 'discovery';
const timeZone = 'Europe/Berlin';
const now = Number(process.env.REPORT_NOW ?? Date.parse('2026-11-23T09:00:00+01:00') / 1000);
const step = 300;
const day = 86_400;
const work = mkdtempSync(join(tmpdir(), 'burnrate-report-example-'));
const say = (text) => process.stderr.write(`${text}\n`);

try {
  const dbFile = join(work, 'burnrate.db');
  const samples = join(work, 'scenario.om');
  const end = Math.floor(now / step) * step;
  const scenario = await writeScenarioOpenMetrics(samples, { end, days: 35, scrapeInterval: 30 });
  const io = { stdout: { write: () => true }, stderr: process.stderr, env: process.env };
  if ((await run(['ingest', samples, '--db', dbFile], io)) !== 0) throw new Error('ingest failed');

  const db = openDatabase(dbFile);
  const deploys = new DeployStore(db);
  const authors = ['ana', 'bo', 'chen', 'dara', 'eli'];
  let n = 0;
  const deploy = (service, finishedAt, summary) => {
    n += 1;
    deploys.record({ service, environment: 'production', version: `${service}-v${(2 * n + 40).toString()}`, commit: (0x3a41f00 + n * 7919).toString(16).padStart(7, '0').repeat(2).slice(0, 12), author: authors[n % authors.length], finishedAt, summary }, finishedAt);
  };
  for (const incident of scenario.incidents) {
    if (['fast-burn', 'latency-regression', 'minor-burn'].includes(incident.kind)) deploy(incident.service, incident.start - 600, `release before the ${incident.kind}`);
  }
  // Routine deploys: weekdays around 11:00 and 15:00 UTC, none of them harmful.
  for (let t = end - 34 * day; t < end; t += day) {
    const weekday = new Date(t * 1000).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    const midnight = Math.floor(t / day) * day;
    const services = ['checkout', 'search', 'catalog', 'ledger'];
    deploy(services[weekday % 4], midnight + 11 * 3600 + 17 * 60, 'routine release');
    if (weekday % 2 === 1) deploy(services[(weekday + 1) % 4], midnight + 15 * 3600 + 42 * 60, 'routine release');
  }

  const { slos, diagnostics } = loadSlos([join(root, 'slos')], { runbookDir: join(root, 'runbooks') });
  if (diagnostics.some((d) => d.severity === 'error')) throw new Error('the example SLOs do not load');
  const store = new EvaluationStore(db);
  const alerts = new AlertStore(db);
  const tracker = new AlertTracker(slos, alerts, { noDataAfter: 600, noDataSeverity: 'ticket' });
  const ledger = new SqliteLedger(db);
  const parts = { slos, backend: createEmbeddedBackend(db), ledger, settings: { bucket: step, coarseBucket: 3600, fineSpan: 24 * 3600, lateness: 0 }, concurrency: 4 };
  const first = Math.ceil((end - 35 * day + 3600) / step) * step;
  for (let from = first; from <= end; from += day) {
    const to = Math.min(from + day - step, end);
    const cycle = await runCycle(parts, to, from);
    db.transaction(() => {
      store.recordCycle(cycle.evaluations);
      tracker.apply(cycle.evaluations);
    })();
    say(`replayed to ${new Date(to * 1000).toISOString()}: ${cycle.evaluations.length} evaluations`);
  }

  const bounds = weekBounds(lastCompleteWeek(now, timeZone), timeZone);
  const teamSlos = slosByTeam(slos).get(team);
  if (!teamSlos) throw new Error(`no SLOs of team ${team}`);
  const report = buildReport(collectReportInput({ evaluations: store, alerts, deploys, ledger }, team, teamSlos, bounds, { deployWindow: 4 * 3600, now }));
  mkdirSync(join(root, 'docs'), { recursive: true });
  const html = join(root, 'docs/report-example.html');
  writeFileSync(html, renderReportPage(report));
  db.close();
  say(`docs/report-example.html: ${team}, ${report.week}`);
  for (const slo of report.slos) {
    say(`  ${slo.slo}: budget ${slo.budgetStart?.toFixed(4)} -> ${slo.budgetEnd?.toFixed(4)}, consumed ${slo.consumed?.toFixed(4)}, deploys ${slo.deploys.map((d) => `${d.deploy.version}=${d.consumed.toFixed(4)}`).join(' ')}, not after a deploy ${slo.notAfterDeploy.toFixed(4)}, alerts ${slo.alertSummary.fired}`);
  }

  const profile = mkdtempSync(join(tmpdir(), 'burnrate-chromium-'));
  try {
    execFileSync(
      process.env.CHROMIUM ?? 'chromium',
      ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--hide-scrollbars', `--user-data-dir=${profile}`, `--screenshot=${join(root, 'docs/report-example.png')}`, `--window-size=1000,${process.env.REPORT_HEIGHT ?? 2680}`, pathToFileURL(html).href],
      // Chromium's own stderr is D-Bus noise in a container.
      { stdio: ['ignore', 'ignore', 'ignore'] },
    );
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
  say('docs/report-example.png');
} finally {
  rmSync(work, { recursive: true, force: true });
}
