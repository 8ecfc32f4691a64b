/**
 * Evaluation cycles and delivery beats share the running parts and may overlap one another; a reload swaps
 * those parts and must run alone: it waits for running work to finish, and new work waits for it.
 */
export class CycleGate {
  private active = 0;
  private drained: (() => void) | undefined;
  private exclusiveRun: Promise<void> | undefined;

  async shared<T>(work: () => Promise<T>): Promise<T> {
    while (this.exclusiveRun) await this.exclusiveRun;
    this.active += 1;
    try {
      return await work();
    } finally {
      this.active -= 1;
      if (this.active === 0) this.drained?.();
    }
  }

  async exclusive<T>(work: () => Promise<T> | T): Promise<T> {
    while (this.exclusiveRun) await this.exclusiveRun;
    let release = () => undefined as void;
    this.exclusiveRun = new Promise<void>((resolve) => (release = resolve));
    try {
      while (this.active > 0) await new Promise<void>((resolve) => (this.drained = resolve));
      return await work();
    } finally {
      this.drained = undefined;
      this.exclusiveRun = undefined;
      release();
    }
  }
}
