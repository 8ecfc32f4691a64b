import { expect } from 'vitest';
import type { Db } from '../../src/store/database.js';
import type { NotifyStore } from '../../src/notify/notify-store.js';
import type { DaemonRun } from './daemon.js';
import { seededRandom } from './prng.js';

/** The promise's value, or 'timeout' after `ms`. */
export async function within<T>(ms: number, promise: Promise<T>): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((ok) => (timer = setTimeout(() => ok('timeout'), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function pollUntil(what: string, probe: () => boolean, deadlineMs: number, detail: () => string): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}: ${detail()}`);
    await new Promise((ok) => setTimeout(ok, 50));
  }
}

/** Outbox rows by state. */
export const outboxStates = (db: Db): Record<string, number> =>
  Object.fromEntries((db.prepare('SELECT state, count(*) AS n FROM outbox GROUP BY state').all() as Array<{ state: string; n: number }>).map((r) => [r.state, r.n]));

export interface KillLoop {
  seed: number;
  kills: number;
  groupsPerBacklog: number;
  /** The share of kills during start-up, and the longest delay before a kill there and during delivery. */
  startupShare: number;
  startupKillMs: number;
  deliveryKillMs: number;
  db: Db;
  store: NotifyStore;
  plan: { plan(groups: number, now: number): Promise<unknown> };
  daemon: () => DaemonRun;
}

export interface KillTally {
  backlogs: number;
  startupKills: number;
  /** Kills that left a row `sending`, and runs that delivered something before their kill. */
  inFlightAtKill: number;
  deliveredInRun: number;
}

/** Delivery attempts ever started (each is counted before it goes out). */
const attemptsStarted = (db: Db): number => (db.prepare('SELECT coalesce(sum(attempts), 0) AS n FROM outbox').get() as { n: number }).n;

/** 'began' once this run started an attempt (more than `attemptsBefore`); the exit if the daemon ended first. */
async function deliveryBegan(db: Db, attemptsBefore: number, exited: DaemonRun['exited'], deadlineMs: number): Promise<'began' | 'timeout' | Awaited<DaemonRun['exited']>> {
  let ended: Awaited<DaemonRun['exited']> | undefined;
  void exited.then((e) => (ended = e));
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    if (attemptsStarted(db) > attemptsBefore) return 'began';
    if (ended) return ended;
    if (Date.now() > deadline) return 'timeout';
    await new Promise((ok) => setTimeout(ok, 20));
  }
}

/**
 * Starts the daemon and SIGKILLs it at a random point, `kills` times, planning a new backlog whenever the outbox
 * has emptied. The kill point is the experiment's variable: a random delay from spawn (start-up kills) or from the
 * run's first delivery attempt (delivery kills).
 */
export async function killRepeatedly(loop: KillLoop): Promise<KillTally> {
  const { db, store } = loop;
  const random = seededRandom(loop.seed);
  const tally: KillTally = { backlogs: 0, startupKills: 0, inFlightAtKill: 0, deliveredInRun: 0 };
  for (let k = 0; k < loop.kills; k++) {
    if (store.depth() === 0) {
      await loop.plan.plan(loop.groupsPerBacklog, Math.floor(Date.now() / 1000));
      tally.backlogs += 1;
    }
    const before = outboxStates(db)['sent'] ?? 0;
    const attemptsBefore = attemptsStarted(db);
    const run = loop.daemon();
    const duringStartup = random() < loop.startupShare;
    const delay = Math.floor(random() * (duringStartup ? loop.startupKillMs : loop.deliveryKillMs));
    const died = (ended: { code: number | null; signal: string | null }) => new Error(`the daemon exited by itself (${JSON.stringify(ended)}) before kill ${k + 1}:\n${run.logs()}`);
    if (!duringStartup) {
      const ended = await within(20_000, Promise.race([run.exited, run.listening.then(() => undefined)]));
      if (ended !== undefined) throw died(ended === 'timeout' ? { code: null, signal: 'not listening after 20 s' } : ended);
      // A delivery kill lands a random time after delivery began, not after listening: on a busy machine the
      // first attempt can start seconds after the port opens, and a kill before it would test start-up again.
      const began = await deliveryBegan(db, attemptsBefore, run.exited, 20_000);
      if (began === 'timeout') throw died({ code: null, signal: 'no delivery began within 20 s of listening' });
      if (began !== 'began') throw died(began);
    }
    const ended = await within(delay, run.exited);
    if (ended !== 'timeout') throw died(ended);
    run.child.kill('SIGKILL');
    if (duringStartup) tally.startupKills += 1;
    expect((await run.exited).signal).toBe('SIGKILL');
    const after = outboxStates(db);
    if ((after['sending'] ?? 0) > 0) tally.inFlightAtKill += 1;
    if ((after['sent'] ?? 0) > before) tally.deliveredInRun += 1;
  }
  return tally;
}
