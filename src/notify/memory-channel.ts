import { DeliveryError, type Channel, type DeliveryReceipt, type ThreadRef } from './channel.js';
import type { Notification } from './notification.js';

export interface MemoryDelivery {
  notification: Notification;
  thread: ThreadRef | null;
  receipt: DeliveryReceipt;
}

/** A channel that keeps what it is sent, for tests and demos; it can be told to fail. */
export class MemoryChannel implements Channel {
  readonly deliveries: MemoryDelivery[] = [];
  private failures: DeliveryError[] = [];
  private counter = 0;

  constructor(readonly kind: 'slack' | 'email' = 'slack') {}

  /** The next deliveries throw these, in order. */
  failNext(...errors: DeliveryError[]): void {
    this.failures.push(...errors);
  }

  async deliver(notification: Notification, thread: ThreadRef | null): Promise<DeliveryReceipt> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.counter += 1;
    const receipt: DeliveryReceipt =
      this.kind === 'slack' ? { slack: thread?.slack ?? { channel: 'C1', ts: `1.${String(this.counter).padStart(6, '0')}` } } : { email: { messageId: `<${notification.id}@burnrate.test>` } };
    this.deliveries.push({ notification, thread, receipt });
    return receipt;
  }

  /** As the Slack and email channels do: Slack keeps the thread's first message, email chains the references. */
  nextThread(previous: ThreadRef | null, receipt: DeliveryReceipt): ThreadRef {
    const thread: ThreadRef = { ...previous };
    if (receipt.slack && !previous?.slack) thread.slack = receipt.slack;
    if (receipt.email) {
      const root = previous?.email;
      thread.email = root ? { rootMessageId: root.rootMessageId, references: [...root.references, receipt.email.messageId] } : { rootMessageId: receipt.email.messageId, references: [receipt.email.messageId] };
    }
    return thread;
  }

  async findDelivered(notification: Notification): Promise<DeliveryReceipt | undefined> {
    return this.deliveries.find((d) => d.notification.id === notification.id)?.receipt;
  }

  async close(): Promise<void> {}
}
