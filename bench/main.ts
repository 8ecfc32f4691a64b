import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchSlos, pairCount } from './bench-slos.js';
import { gateBench, gateFullSizes, gateQuickSizes, type GateBenchResult } from './gate-scenario.js';
import { gateTable, gateTarget } from './gate-table.js';
import { engineInMemory } from './memory-scenario.js';
import { engineOnPrometheus, recordingRulesOnPrometheus } from './prometheus-scenarios.js';
import { benchTable, type BenchResults } from './report.js';
import { writeSeriesFile } from './series-file.js';
import { fullSizes, quickSizes } from './sizes.js';
import { regexBench, regexTable, type RegexBenchRow } from './regex-scenario.js';
import { soakBench, type SoakBenchResult } from './soak-scenario.js';
import { storageBench, storageTable, type StorageBenchResult } from './storage-scenario.js';
import { verifyBench, verifyTable, type VerifyBenchRow } from './verify-scenario.js';
import { median } from './stats.js';
import { count, seconds } from './table.js';

const scenarioNames = ['rules', 'engine', 'memory', 'gate', 'regex', 'soak', 'verify', 'storage'] as const;
type ScenarioName = (typeof scenarioNames)[number];

const usage = `usage: npm run bench -- [--quick] [--only rules,engine,memory,gate,regex,soak,verify,storage]
  rules   Sloth-style recording rules evaluated by a real Prometheus
  engine  burnrate against the same Prometheus data
  memory  burnrate alone (memory backend, SQLite ledger) and the naive re-read
  gate    GET /api/v1/gate under load (autocannon), against re-reading stored history
  regex   label regex match time: RE2 against JavaScript's RegExp
  soak    the daemon under pushes at the limit, gate reads, silence churn and a flapping backend, against its targets
  verify  deploy verification on simulated traffic: false alarms and time to fail, beside the burn-rate tiers`;

function parseArgs(argv: readonly string[]): { quick: boolean; only: Set<ScenarioName> } {
  let quick = false;
  let only = new Set<ScenarioName>(scenarioNames);
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--quick') quick = true;
    else if (arg === '--only' || arg.startsWith('--only=')) {
      const list = arg === '--only' ? (argv[++i] ?? '') : arg.slice('--only='.length);
      const names = list.split(',').filter(Boolean);
      const unknown = names.filter((name) => !(scenarioNames as readonly string[]).includes(name));
      if (unknown.length > 0 || names.length === 0) throw new Error(`unknown scenario ${unknown.join(', ') || '(none)'}\n${usage}`);
      only = new Set(names as ScenarioName[]);
    } else throw new Error(`unknown argument ${arg}\n${usage}`);
  }
  return { quick, only };
}

const log = (message: string): void => void process.stderr.write(`[bench] ${message}\n`);

function machine(): string {
  const prometheus = spawnSync('prometheus', ['--version'], { encoding: 'utf8' });
  const version = (prometheus.stdout || prometheus.stderr || '').split('\n')[0]?.trim() || 'prometheus not found';
  return `${availableParallelism()} CPUs (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, ${version}`;
}

async function main(): Promise<void> {
  const { quick, only } = parseArgs(process.argv.slice(2));
  const sizes = quick ? quickSizes : fullSizes;
  const results: BenchResults = { prometheusSlos: sizes.prometheusSlos, memorySlos: sizes.memorySlos };
  const workDir = mkdtempSync(join(tmpdir(), 'burnrate-bench-'));
  const started = performance.now();
  let gate: GateBenchResult | undefined;
  let regex: RegexBenchRow[] | undefined;
  let soak: SoakBenchResult | undefined;
  let verify: VerifyBenchRow[] | undefined;
  let storage: StorageBenchResult | undefined;
  try {
    if (only.has('rules') || only.has('engine')) {
      const slos = benchSlos(sizes.prometheusSlos, sizes.space);
      // Recording rules evaluate at wall-clock time: the history must end now.
      const end = Math.floor(Date.now() / 1000);
      const historyFile = join(workDir, 'history.om');
      const generated = performance.now();
      const summary = await writeSeriesFile(historyFile, {
        space: sizes.space,
        end,
        days: sizes.historyDays,
        scrapeInterval: sizes.scrapeInterval,
        seed: 1,
        ratioHistoryOf: only.has('rules') ? slos : [],
      });
      log(
        `history: ${count(pairCount(sizes.space) * 3)} request series + ${count(summary.series - pairCount(sizes.space) * 3)} recorded ratio series, ` +
          `${count(summary.samples)} samples over ${sizes.historyDays} days, written in ${seconds(performance.now() - generated)}`,
      );
      if (only.has('rules')) {
        log(`rules: ${count(slos.length)} SLOs as Sloth-style rules, waiting for ${sizes.ruleRounds} evaluation rounds`);
        results.rules = await recordingRulesOnPrometheus(historyFile, slos, sizes.ruleRounds, workDir);
        const { rules } = results;
        log(`rules: backfill ${seconds(rules.backfillMillis)}, ${rules.unhealthy} unhealthy rules${rules.firstError ? ` (${rules.firstError})` : ''}, Prometheus CPU ${rules.cpuSecondsPerMinute.toFixed(1)} s per minute`);
      }
      if (only.has('engine')) {
        log(`engine: ${count(slos.length)} SLOs against Prometheus, start-up then ${sizes.steadyCycles} steady cycles`);
        results.engine = await engineOnPrometheus(historyFile, slos, end, sizes.steadyCycles);
        const statuses = results.engine.steady.at(-1)?.statuses;
        log(`engine: backfill ${seconds(results.engine.backfillMillis)}, last cycle statuses ${JSON.stringify(statuses)}`);
      }
      rmSync(historyFile, { force: true });
    }
    if (only.has('memory')) {
      log(`memory: ${count(sizes.memorySlos)} SLOs, start-up then ${sizes.steadyCycles} steady cycles, then ${sizes.naiveCycles} naive cycles`);
      results.memory = await engineInMemory(benchSlos(sizes.memorySlos, { services: 100, routes: 100 }), Math.floor(Date.now() / 1000), sizes.steadyCycles, sizes.naiveCycles);
    }
    if (only.has('gate')) gate = await gateBench(quick ? gateQuickSizes : gateFullSizes, log);
    if (only.has('regex')) regex = regexBench(quick);
    if (only.has('verify')) verify = verifyBench(quick);
    if (only.has('storage')) {
      log(`storage: ${quick ? 20 : 100} SLOs evaluated once a minute for ${quick ? 4 : 30} simulated days, housekeeping hourly`);
      storage = storageBench(quick);
    }
    if (only.has('soak')) {
      log(`soak: ${quick ? 18 : 72} cycles of 5 simulated minutes, one per 2.5 s`);
      soak = await soakBench(quick);
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }

  process.stdout.write(`machine: ${machine()}\n`);
  process.stdout.write(`sizes: ${quick ? 'quick' : 'full'}; total bench time ${seconds(performance.now() - started)}\n\n`);
  if ([...only].some((name) => name !== 'gate' && name !== 'regex' && name !== 'soak' && name !== 'verify' && name !== 'storage')) process.stdout.write(`${benchTable(results)}\n`);
  if (gate) process.stdout.write(`\n${gateTable(gate)}\n\n${gateTarget(gate)}\n`);
  if (regex) process.stdout.write(`\nregex match time per test, RE2 against the former JavaScript RegExp:\n${regexTable(regex)}\n`);
  if (verify) process.stdout.write(`\ndeploy verification, each deploy compared once a minute for 30 minutes (99.9% SLO):\n${verifyTable(verify)}\n`);
  if (storage) process.stdout.write(`\nstorage at the default history settings (full resolution 2 days, hourly after):\n${storageTable(storage)}\n`);
  if (soak) {
    process.stdout.write(`\n${soak.summary}\n`);
    if (soak.missed.length > 0) process.exitCode = 1;
  }
  if (results.memory) {
    const steady = median(results.memory.engine.steady.map((cycle) => cycle.millis));
    process.stdout.write(`\nsteady-state cycle of ${count(sizes.memorySlos)} SLOs under 10 s: ${steady < 10_000 ? 'yes' : 'NO'} (${seconds(steady)})\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
