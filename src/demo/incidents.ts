import { alignDown } from '../core/time.js';

export const incidentKinds = ['fast-burn', 'minor-burn', 'slow-burn', 'latency-regression', 'failure-burst', 'counter-reset'] as const;
export type IncidentKind = (typeof incidentKinds)[number];

export const scenarioServices = ['checkout', 'search', 'ledger', 'catalog'] as const;
export type ScenarioService = (typeof scenarioServices)[number];

/** A planned deviation from a service's baseline. Times are unix seconds, `[start, end)`. */
export interface IncidentPlan {
  service: ScenarioService;
  kind: IncidentKind;
  start: number;
  end: number;
  /** Fraction of bad events while it lasts: errors, or requests slower than 0.3 s for `latency-regression`. */
  errorRatio: number;
}

/** An incident as generated, with the events the generator counted in it. */
export interface Incident extends IncidentPlan {
  /** Events in scrape intervals attributed to the incident (those whose midpoint lies in `[start, end)`). */
  events: { total: number; bad: number };
}

const hour = 3600;
const day = 24 * hour;

/** The incident timeline, relative to the scenario's end; boundaries fall on the scrape grid. */
export function planIncidents(end: number, scrapeInterval: number): IncidentPlan[] {
  const at = (secondsBeforeEnd: number) => alignDown(end - secondsBeforeEnd, scrapeInterval);
  const plan = (service: ScenarioService, kind: IncidentKind, before: number, duration: number, errorRatio: number): IncidentPlan => {
    const start = at(before);
    return { service, kind, start, end: start + duration, errorRatio };
  };
  return [
    plan('checkout', 'minor-burn', 9 * day, hour, 0.2),
    // 15% of searches slower than 0.3 s for two hours: a 15x burn of the 99% latency SLO, enough to page.
    plan('search', 'latency-regression', 6 * day, 2 * hour, 0.15),
    // A 5x burn of the 99.5% availability SLO for 18 hours: a ticket after about 13.5 hours, never a page.
    plan('search', 'slow-burn', 4 * day + 12 * hour, 18 * hour, 0.025),
    plan('catalog', 'counter-reset', 3 * day, 0, 0),
    plan('checkout', 'fast-burn', 2 * day, 25 * 60, 1),
    // Sixteen requests over sixteen scrape intervals, every other one failing.
    plan('ledger', 'failure-burst', day, 16 * scrapeInterval, 0.5),
  ];
}
