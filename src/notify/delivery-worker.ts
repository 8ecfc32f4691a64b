import type { Logger } from '../log.js';
import { writeAtOnce, type WriteTurn } from '../store/write-turn.js';
import { retryDelay, type BackoffPolicy } from './backoff.js';
import { DeliveryError, type Channel, type DeliveryReceipt } from './channel.js';
import type { Notification } from './notification.js';
import type { NotifyStore, OutboxRow } from './notify-store.js';
import type { Enrich } from './planned-notification.js';

export interface DeliveryEvents {
  sent(integration: string): void;
  retried(integration: string, error: DeliveryError): void;
  failed(integration: string, error: string): void;
}

export interface DeliverySettings {
  backoff: BackoffPolicy;
  /** A notification still undelivered this long after it was planned is given up. Seconds. */
  giveUpAfter: number;
  /**
   * Seconds an attempt holds its row: if the process dies mid-attempt, the row is taken up again (and first
   * looked for at the receiver) only after this, when a request it had already sent has arrived or died.
   */
  lease: number;
}

/**
 * Delivers the outbox. Each row is marked `sending` before the attempt and its outcome is written in one
 * transaction after it; a row found `sending` was interrupted by a crash or by a timeout whose outcome is
 * unknown, and is first looked for at the receiver (Slack keeps the id in message metadata) before it is
 * sent again. Lanes (group × integration)
 * deliver in order, so a resolve never overtakes its page; different lanes proceed independently. Its writes (the
 * lease, the outcome) take the database's write turn, so they wait for the ingest worker without blocking.
 */
export class DeliveryWorker {
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly store: NotifyStore,
    private readonly channels: ReadonlyMap<string, Channel>,
    private readonly enrich: Enrich,
    private readonly settings: DeliverySettings,
    private readonly log: Logger,
    private readonly events: DeliveryEvents,
    private readonly random: () => number = Math.random,
    private readonly writeTurn: WriteTurn = writeAtOnce,
  ) {}

  /** Attempts every due row once. Resolves when those attempts have finished. */
  async deliverDue(now: number): Promise<number> {
    const rows = this.store.due(now).filter((row) => !this.inFlight.has(row.id) && this.pageSettled(row));
    await Promise.all(rows.map((row) => this.attempt(row, now)));
    return rows.length;
  }

  private async attempt(row: OutboxRow, now: number): Promise<void> {
    this.inFlight.add(row.id);
    try {
      const channel = this.channels.get(row.integration);
      if (!channel) {
        await this.fail(row, now, `no integration ${row.integration} is configured any more`);
        return;
      }
      if (now - row.createdAt >= this.settings.giveUpAfter) {
        await this.fail(row, now, `undelivered after ${row.attempts} attempts: ${row.lastError ?? 'no attempt succeeded'}`);
        return;
      }
      const notification = this.withPage(this.enrich(row.notification));
      const thread = row.incident === row.id ? null : this.store.thread(row.incident, row.integration);
      const interrupted = row.state === 'sending';
      await this.write(() => this.store.markSending(row.id, Math.ceil(now + this.settings.lease)));
      let receipt: DeliveryReceipt | undefined;
      if (interrupted) {
        receipt = await channel.findDelivered(notification, thread).catch(() => undefined);
        if (receipt) this.log.warn({ id: row.id, integration: row.integration }, 'interrupted delivery had arrived: not sending again');
      }
      receipt ??= await channel.deliver(notification, thread);
      const sent = receipt;
      await this.write(() => this.store.markSent(row, sent, channel.nextThread(thread, sent), now));
      this.events.sent(row.integration);
      this.log.info({ id: row.id, integration: row.integration, reason: row.reason, attempts: row.attempts + 1 }, 'notification delivered');
    } catch (error) {
      const failure = error instanceof DeliveryError ? error : new DeliveryError('network', error instanceof Error ? error.message : String(error), { cause: error });
      if (!failure.retryable) {
        await this.fail(row, now, `${failure.code}: ${failure.message}`);
        return;
      }
      const delay = retryDelay(row.attempts + 1, this.settings.backoff, this.random(), failure.retryAfter);
      const uncertain = failure.code === 'timeout' || failure.code === 'network';
      await this.write(() => this.store.markRetry(row.id, Math.ceil(now + delay), `${failure.code}: ${failure.message}`, uncertain));
      this.events.retried(row.integration, failure);
      this.log.warn({ id: row.id, integration: row.integration, error: failure.message, retryIn: Math.round(delay) }, 'delivery failed, will retry');
    } finally {
      this.inFlight.delete(row.id);
    }
  }

  private write(work: () => void): Promise<void> {
    return this.writeTurn.run(work);
  }

  /** An escalation note waits for its page: it links to where the page landed, and must never arrive first. */
  private pageSettled(row: OutboxRow): boolean {
    const pageId = row.notification.escalation?.pageId;
    if (pageId === undefined) return true;
    const state = this.store.outcome(pageId)?.state;
    return state === undefined || state === 'sent' || state === 'failed';
  }

  private withPage(notification: Notification): Notification {
    const escalation = notification.escalation;
    const receipt = escalation && this.store.outcome(escalation.pageId)?.receipt;
    if (!escalation || !receipt) return notification;
    return { ...notification, escalation: { ...escalation, page: receipt } };
  }

  private async fail(row: OutboxRow, now: number, error: string): Promise<void> {
    await this.write(() => this.store.markFailed(row.id, now, error));
    this.events.failed(row.integration, error);
    this.log.error({ id: row.id, integration: row.integration, error }, 'notification given up');
  }
}
