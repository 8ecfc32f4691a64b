#!/usr/bin/env node
// The quickstart: generates five weeks of metrics for four services, loads them into the embedded store,
// then evaluates the example SLOs now and replays their alerts over the last 30 days. No server, no network.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../dist/cli/main.js';
import { writeScenarioOpenMetrics } from '../dist/demo/index.js';

const dir = '.demo';
const db = join(dir, 'burnrate.db');
const samplesFile = join(dir, 'scenario.om');
const io = { stdout: process.stdout, stderr: process.stderr, env: process.env };
const day = 86_400;
const end = Math.floor(Date.now() / 1000 / 60) * 60;
const iso = (t) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');
const ago = (t) => {
  const hours = Math.round((end - t) / 3600);
  return hours >= 48 ? `${Math.round(hours / 24)} days ago` : `${hours} hours ago`;
};

rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

console.log('burnrate demo: 35 days of synthetic traffic for checkout, search, ledger and catalog\n');
const scenario = await writeScenarioOpenMetrics(samplesFile, { end, days: 35, scrapeInterval: 30 });
console.log('What happened (the generator\'s own account):');
for (const incident of scenario.incidents) {
  const minutes = Math.round((incident.end - incident.start) / 60);
  const what =
    incident.kind === 'counter-reset'
      ? 'process restart, counters reset to zero'
      : `${incident.kind} for ${minutes >= 120 ? `${minutes / 60} h` : `${minutes} min`}, ${(incident.errorRatio * 100).toFixed(1)}% bad`;
  console.log(`  ${incident.service.padEnd(9)} ${ago(incident.start).padEnd(13)} ${what}`);
}

console.log(`\n$ burnrate ingest ${samplesFile} --db ${db}`);
let code = await run(['ingest', samplesFile, '--db', db], io);
rmSync(samplesFile, { force: true });
if (code !== 0) process.exit(code);

console.log(`\n$ burnrate eval --db ${db}      # every SLO now`);
code = await run(['eval', '--db', db], io);
if (code !== 0) process.exit(code);

const from = end - 30 * day;
console.log(`\n$ burnrate backtest --db ${db} --from ${iso(from)} --to ${iso(end)}      # alerts over the last 30 days`);
code = await run(['backtest', '--db', db, '--from', String(from), '--to', String(end)], io);
if (code !== 0) process.exit(code);

console.log(`\nThe samples stay in ${db}: try \`node bin/burnrate.js eval --db ${db} --format json\`, or \`burnrate run --db ${db}\` for the daemon.`);
