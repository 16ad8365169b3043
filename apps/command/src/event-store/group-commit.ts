import { Logger } from '@nestjs/common';
import { InfrastructureError } from '@of/platform';
import { type EventPublisher, type EventRecord, type OpenTransaction, PublishError } from './event-publisher';
import { IDEMPOTENCY_HEADERS } from '../command-handling/idempotency.store';
import type { StateWriter } from './state-writer';
import type { StateChange, StreamRegistry } from './stream-registry';

/** One command's records, and the state changes they make durable (one per record, in order). */
interface PendingCommit {
  records: EventRecord[];
  marks: StateChange[];
  resolve(): void;
  reject(error: Error): void;
}

/** The commands of one Kafka transaction. */
interface Batch {
  commits: PendingCommit[];
  records: EventRecord[];
  /** Set once its commands were rejected: it must never commit. */
  failed: boolean;
}

/** Told about every Kafka transaction, for metrics. */
export interface CommitObserver {
  transaction(
    outcome: 'committed' | 'failed',
    commands: number,
    records: readonly EventRecord[],
    seconds: number,
  ): void;
}

const UNOBSERVED: CommitObserver = { transaction: () => undefined };

export interface GroupCommitOptions {
  observer?: CommitObserver;
  /**
   * Under concurrent load, how long after one Kafka transaction began the
   * next waits for as many commands as it carried (group commit linger); 0
   * starts the next at once.
   */
  lingerMs?: number;
}

/** Largest number of records in one Kafka transaction. */
const MAX_BATCH_RECORDS = 2000;

/**
 * Group commit with pipelined transactions. Every command staged while one
 * transaction is in flight goes into the next one. Once as many commands
 * wait as the committing batch carried, the next batch is sent while it
 * commits, and commits only after it did. A command is acknowledged only when
 * its batch committed. If a batch fails, it and every batch staged after it
 * are rejected (one already sent is aborted) and their streams roll back to
 * what Kafka holds, because a later decision may rest on an earlier one's events.
 */
export class GroupCommit {
  private readonly logger = new Logger('EventStore');
  private queue: PendingCommit[] = [];
  /** Batches taken from the queue and not yet settled, oldest first (at most two). */
  private inFlight: Batch[] = [];
  private flushing = false;
  /** Set when a commit's outcome was unknown: the resync starts once nothing is in flight. */
  private resyncDue = false;
  private unsynced: string | null = null;
  private readonly observer: CommitObserver;
  private readonly lingerMs: number;
  /** When the last transaction began, and how many commands it carried. */
  private lastCommit = { startedAt: 0, commands: 0 };
  /** Set while the flush loop pauses: ends the pause once `wakeAt` commands wait. */
  private wake: (() => void) | null = null;
  private wakeAt = 1;

  /** Called when a commit's outcome is unknown and memory must be rebuilt from Kafka. */
  onOutcomeUnknown: () => void = () => undefined;

  constructor(
    private readonly publisher: EventPublisher,
    private readonly registry: StreamRegistry,
    private readonly writer: StateWriter,
    options: GroupCommitOptions = {},
  ) {
    this.observer = options.observer ?? UNOBSERVED;
    this.lingerMs = options.lingerMs ?? 0;
  }

  /** Commands staged and waiting for their Kafka commit. */
  get pendingCommits(): number {
    return this.queue.length + this.inFlight.reduce((count, batch) => count + batch.commits.length, 0);
  }

  /** Set while memory may differ from Kafka; commands are refused until a resync clears it. */
  get unsyncedReason(): string | null {
    return this.unsynced;
  }

  markSynced(): void {
    this.unsynced = null;
  }

  /** Queues one command's records; resolves once Kafka holds them, rejects (rolled back) when it cannot. */
  enqueue(records: EventRecord[], marks: PendingCommit['marks']): Promise<void> {
    const durable = new Promise<void>((resolve, reject) => this.queue.push({ records, marks, resolve, reject }));
    this.kick();
    return durable;
  }

  /** Resolves once nothing is waiting for Kafka (graceful shutdown). */
  async drain(): Promise<void> {
    while (this.flushing || this.queue.length > 0) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  private kick(): void {
    if (!this.flushing && this.queue.length > 0) void this.flush();
    else if (this.wake && this.queue.length >= this.wakeAt) this.wake();
  }

  /** Resolves when `until` settles, after `ms`, or once `wakeAt` commands wait, whichever is first. */
  private pause(wakeAt: number, until: Promise<void> | null, ms?: number): Promise<void> {
    return new Promise((resolve) => {
      const end = () => {
        if (timer) clearTimeout(timer);
        if (this.wake === end) this.wake = null;
        resolve();
      };
      const timer = ms === undefined ? null : setTimeout(end, ms);
      this.wake = end;
      this.wakeAt = wakeAt;
      void until?.then(end);
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    /** The previous batch's commit, while in flight; settles (never rejects) when done. */
    let committing: Promise<void> | null = null;
    try {
      for (;;) {
        if (this.queue.length === 0 && !committing) break;
        // While a commit is in flight, the next batch is sent at once only if
        // as many commands wait as the committing one carried (at least two):
        // else it waits for the commit, and takes what came meanwhile.
        // Sending each command at once, at 500 commands/s, made transactions
        // of one command, twice as many as Kafka could take.
        const worth = Math.max(2, this.lastCommit.commands);
        if (committing && this.queue.length < worth) {
          await this.pause(worth, committing);
          if (this.queue.length < worth) committing = null; // it settled
          continue;
        }
        // Commands that arrive together (the last transaction carried more
        // than one) wait until `lingerMs` after it began, so that more share
        // the next: Kafka's cost is per transaction far more than per event.
        // The wait ends early once as many commands wait as it carried: a
        // client keeping a few commands in flight is not slowed, and a lone
        // client's commands never wait. (While a commit is in flight, see above.)
        if (!committing && this.lastCommit.commands > 1 && this.queue.length < this.lastCommit.commands) {
          const wait = this.lastCommit.startedAt + this.lingerMs - performance.now();
          if (wait >= 1) await this.pause(this.lastCommit.commands, null, wait);
        }
        const commits = this.takeBatch();
        if (commits.length === 0) continue;
        const batch: Batch = { commits, records: commits.flatMap((commit) => commit.records), failed: false };
        this.lastCommit = { startedAt: performance.now(), commands: commits.length };
        this.inFlight.push(batch);
        const { sent, settled } = this.transact(batch, committing);
        // At most one batch commits while the next is sent.
        await sent;
        await committing;
        committing = settled;
      }
    } finally {
      this.flushing = false;
      if (this.resyncDue) {
        this.resyncDue = false;
        this.onOutcomeUnknown();
      }
    }
  }

  /**
   * Sends one batch, then commits it once the batch before (`previous`) has
   * settled. `sent` resolves when the next batch may be sent: its records
   * will follow this one's in every partition.
   */
  private transact(batch: Batch, previous: Promise<void> | null): { sent: Promise<void>; settled: Promise<void> } {
    let markSent = (): void => undefined;
    const sent = new Promise<void>((resolve) => (markSent = resolve));
    const settled = (async () => {
      const started = performance.now();
      const seconds = () => (performance.now() - started) / 1000;
      let open: OpenTransaction;
      try {
        open = await this.publisher.begin(batch.records);
      } catch (error) {
        // The batch before may still commit: roll back only once Kafka's truth is known.
        await previous;
        this.fail(batch, error, seconds());
        markSent();
        return;
      }
      markSent();
      await previous;
      if (batch.failed) {
        // Rejected with the batch before it.
        await open.abort();
        this.settle(batch);
        this.observer.transaction('failed', batch.commits.length, batch.records, seconds());
        return;
      }
      try {
        await open.commit();
      } catch (error) {
        this.fail(batch, error, seconds());
        return;
      }
      this.settle(batch);
      this.observer.transaction('committed', batch.commits.length, batch.records, seconds());
      this.persist(batch, open.positions);
      for (const commit of batch.commits) commit.resolve();
    })();
    return { sent, settled };
  }

  /** Moves the committed streams on, and hands what changed to the state writer, in commit order. */
  private persist(batch: Batch, positions: OpenTransaction['positions']): void {
    const changes = this.writer.batch;
    const at = Date.now();
    // Marks and records are in the same order: the position of each event in Kafka.
    let index = 0;
    for (const commit of batch.commits) {
      for (const mark of commit.marks) {
        const position = positions[index];
        const record = batch.records[index];
        this.registry.commit(mark, position ? { topic: record.topic, ...position } : null, changes);
        index += 1;
      }
      const last = commit.records[commit.records.length - 1];
      const key = last?.headers[IDEMPOTENCY_HEADERS.key];
      if (key !== undefined) {
        changes.responses.push({
          key,
          fingerprint: last.headers[IDEMPOTENCY_HEADERS.fingerprint],
          response: last.headers[IDEMPOTENCY_HEADERS.response],
          at,
        });
      }
    }
  }

  private settle(batch: Batch): void {
    this.inFlight = this.inFlight.filter((other) => other !== batch);
  }

  private takeBatch(): PendingCommit[] {
    let count = 0;
    let size = 0;
    while (size < this.queue.length && (size === 0 || count + this.queue[size].records.length <= MAX_BATCH_RECORDS)) {
      count += this.queue[size].records.length;
      size += 1;
    }
    return this.queue.splice(0, size);
  }

  /**
   * Rejects the failed batch and everything staged after it (a batch already
   * sent is aborted by its own transact), and rolls memory back to Kafka's
   * truth. Called once every batch before this one has settled.
   */
  private fail(batch: Batch, error: unknown, seconds: number): void {
    this.settle(batch);
    this.observer.transaction('failed', batch.commits.length, batch.records, seconds);
    if (batch.failed) return; // already rejected with the batch before it
    const batches = this.inFlight.filter((other) => !other.failed);
    for (const other of [batch, ...batches]) other.failed = true;
    const failed = [batch, ...batches].flatMap((other) => other.commits).concat(this.queue.splice(0));
    const touched = new Set(failed.flatMap((commit) => commit.marks.map((mark) => mark.stream)));
    for (const stream of touched) this.registry.rollback(stream);
    const unknown = error instanceof PublishError && error.outcomeUnknown;
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.error(`Kafka did not take ${failed.length} command(s): ${reason}`);
    if (unknown) {
      // The commit may have happened after all: memory must be rebuilt from
      // Kafka, once the batch sent after this one has been aborted.
      this.unsynced = `a Kafka commit had an unknown outcome (${reason})`;
      this.resyncDue = true;
    }
    const answer = new InfrastructureError(
      'EVENT_BUS_UNAVAILABLE',
      'The event bus cannot take events right now; nothing was recorded.',
    );
    for (const commit of failed) commit.reject(answer);
  }
}
