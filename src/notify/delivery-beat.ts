import type { DeliveryWorker } from './delivery-worker.js';
import type { Dispatcher } from './dispatcher.js';
import type { NotifyStore } from './notify-store.js';

/** One beat of alert delivery: group and plan, then deliver what is due. */
export class DeliveryBeat {
  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly worker: DeliveryWorker,
    private readonly store: NotifyStore,
    private readonly onDepth: (depth: number) => void = () => undefined,
  ) {}

  async run(now: number): Promise<void> {
    await this.dispatcher.planDue(now);
    await this.worker.deliverDue(now);
    this.onDepth(this.store.depth());
  }
}
