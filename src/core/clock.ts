/** The only way core code learns the time. Times are unix seconds. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() / 1000 };

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(private current: number) {}
  now(): number {
    return this.current;
  }
  set(seconds: number): void {
    this.current = seconds;
  }
  advance(seconds: number): void {
    this.current += seconds;
  }
}
