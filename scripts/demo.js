#!/usr/bin/env node
// The quickstart: five weeks of metrics for four services in the embedded store, the daemon's own cycle run over
// the last days of them (alerts, alert history, deploys, evaluations), then eval, backtest and the gate on the
// result. No server, no network. Everything stays in .demo/burnrate.db for the commands printed at the end.
import { performance } from 'node:perf_hooks';
import { run } from '../dist/cli/main.js';
import { buildDemo } from '../dist/demo/index.js';
import { weekAt, weekBounds, formatIsoWeek } from '../dist/report/iso-week.js';

const dir = '.demo';
const db = `${dir}/burnrate.db`;
const io = { stdout: process.stdout, stderr: process.stderr, env: process.env };
const day = 86_400;
const started = performance.now();
const end = Math.floor(Date.now() / 1000 / 60) * 60;
const iso = (t) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');
const ago = (t) => {
  const hours = Math.round((end - t) / 3600);
  return hours >= 48 ? `${Math.round(hours / 24)} days ago` : `${hours} hours ago`;
};
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

console.log('burnrate demo: 35 days of synthetic traffic for checkout, search, ledger and catalog\n');
let daemonShown = false;
const result = await buildDemo({
  root: process.cwd(),
  dir,
  end,
  onStage(stage) {
    if (stage.stage === 'loaded') {
      console.log("What happened (the generator's own account):");
      for (const incident of stage.incidents) {
        const minutes = Math.round((incident.end - incident.start) / 60);
        const what =
          incident.kind === 'counter-reset'
            ? 'process restart, counters reset to zero'
            : `${incident.kind} for ${minutes >= 120 ? `${minutes / 60} h` : `${minutes} min`}, ${(incident.errorRatio * 100).toFixed(1)}% bad`;
        console.log(`  ${incident.service.padEnd(9)} ${ago(incident.start).padEnd(13)} ${what}`);
      }
      console.log(`\nLoaded ${stage.samples.toLocaleString('en')} samples into the embedded store ${db} (${seconds(stage.ms)}).`);
    } else if (stage.stage === 'deploys') {
      console.log('Recorded deploys (as `burnrate deploy record` would):');
      for (const d of stage.deploys) console.log(`  ${d.service.padEnd(9)} ${d.version.padEnd(8)} ${ago(d.finishedAt).padEnd(13)} ${d.author}: ${d.summary}`);
    } else if (stage.stage === 'cycle' && !daemonShown) {
      daemonShown = true;
      console.log(`Running the daemon's cycle from ${iso(stage.from)} to now on a simulated clock (every 1-minute step, alerts and their history stored)…`);
    } else if (stage.stage === 'replayed') {
      console.log(`  ${stage.progress.evaluations.toLocaleString('en')} evaluations, ${stage.progress.transitions} alert state changes (${seconds(stage.ms)}).`);
    }
  },
});

const show = async (comment, args) => {
  console.log(`\n$ burnrate ${args.join(' ')}${comment ? `      # ${comment}` : ''}`);
  return run(args, io);
};

let code = await show('every SLO now, with the alert state the daemon left', ['eval', '--db', db]);
if (code !== 0) process.exit(code);

const from = end - 30 * day;
console.log(`\n$ burnrate backtest --db ${db} --from ${iso(from)} --to ${iso(end)}      # alert conditions over the last 30 days`);
code = await run(['backtest', '--db', db, '--from', String(from), '--to', String(end)], io);
if (code !== 0) process.exit(code);

// The gate exits 1 when it denies: that is an answer, not a failure of the demo.
code = await show('may checkout deploy now?', ['gate', '--service', 'checkout', '--db', db]);
if (code !== 0 && code !== 1) process.exit(code);

const fastBurn = result.incidents.find((i) => i.kind === 'fast-burn');
const week = formatIsoWeek(weekAt(fastBurn.start, 'UTC'));
const weekEnd = weekBounds(weekAt(fastBurn.start, 'UTC'), 'UTC').end;
console.log(`\nDone in ${seconds(performance.now() - started)}. The database stays in ${db}, as a daemon running since ${iso(result.daemon.from)} left it. From this directory:`);
console.log(`  npx burnrate report --week ${week} --db ${db}${weekEnd > end ? ' ' : ''}      # the week of checkout's fast burn${weekEnd > end ? ' (still running)' : ''}`);
console.log(`  npx burnrate gate --service checkout --db ${db}      # reads the daemon's evaluations: they count for 5 minutes (gate.policy.maxEvaluationAge)`);
console.log(`  npx burnrate eval --db ${db} --format json`);
console.log(`  npx burnrate run --db ${db}      # the daemon carries on from here: curl http://127.0.0.1:9464/api/v1/slos`);
