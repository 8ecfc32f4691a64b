import type { SeriesSpace } from './bench-slos.js';

export interface BenchSizes {
  /** SLOs evaluated against Prometheus, by the engine and as recording rules. */
  prometheusSlos: number;
  space: SeriesSpace;
  historyDays: number;
  scrapeInterval: number;
  steadyCycles: number;
  ruleRounds: number;
  /** SLOs for the engine alone (memory backend, SQLite ledger). */
  memorySlos: number;
  naiveCycles: number;
}

export const fullSizes: BenchSizes = {
  prometheusSlos: 1000,
  space: { services: 20, routes: 5 },
  historyDays: 4,
  scrapeInterval: 30,
  steadyCycles: 5,
  ruleRounds: 3,
  memorySlos: 10_000,
  naiveCycles: 3,
};

export const quickSizes: BenchSizes = {
  prometheusSlos: 100,
  space: { services: 10, routes: 2 },
  historyDays: 4,
  scrapeInterval: 30,
  steadyCycles: 3,
  ruleRounds: 2,
  memorySlos: 1000,
  naiveCycles: 2,
};
