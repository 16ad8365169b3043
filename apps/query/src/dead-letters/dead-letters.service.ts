import { Injectable, Logger } from '@nestjs/common';
import { MetricsRegistry } from '@of/platform';
import { Gauge } from 'prom-client';
import { parseEvent } from '../projections/parsed-event';
import { ProjectionsService } from '../projections/projections.service';
import {
  DeadLetterAlreadyRetried,
  type DeadLetterRecord,
  deadLetterView,
  discardedLetter,
  failedRetry,
  letterEvent,
  retriedLetter,
} from './dead-letter';
import { DeadLetterRetriedError, DeadLetterNotFoundError, RetryFailedError } from './dead-letter.errors';
import { DeadLetterChangedError, type DeadLetterQuery, DeadLetterStore } from './dead-letter-store';

export interface RetryOutcome {
  letter: DeadLetterRecord;
  /** Later version-gap letters of the same aggregate that could be applied after it. */
  alsoRetried: string[];
}

/**
 * What operators do with dead letters. A retry reads the letter's bytes
 * again with today's code (a new upcaster, a fixed projection) and applies
 * the event to the serving read models between two batches of the live
 * projection; the read models' version checks make a retry of an event they
 * have changes nothing.
 *
 * A version gap: once an aggregate misses an event, every later event of it
 * is parked too (its read models stay at the version before the gap). When
 * the missing event is retried, the aggregate's later gap letters are
 * retried after it, in version order, until one fails.
 */
@Injectable()
export class DeadLettersService {
  private readonly logger = new Logger(DeadLettersService.name);

  constructor(
    private readonly projections: ProjectionsService,
    private readonly store: DeadLetterStore,
    metrics: MetricsRegistry,
  ) {
    new Gauge({
      name: 'dead_letters_open',
      help: 'Dead letters waiting for an operator (status OPEN), by source topic and reason',
      labelNames: ['topic', 'reason'],
      registers: [metrics.registry],
      async collect() {
        this.reset();
        for (const { topic, reason, count } of await store.openCounts().catch(() => [])) {
          this.set({ topic, reason }, count);
        }
      },
    });
  }

  list(query: DeadLetterQuery): Promise<DeadLetterRecord[]> {
    return this.store.list(query);
  }

  async get(id: string): Promise<DeadLetterRecord> {
    const letter = await this.store.get(id);
    if (!letter) throw new DeadLetterNotFoundError(id);
    return letter;
  }

  async retry(id: string): Promise<RetryOutcome> {
    const letter = await this.get(id);
    if (letter.status === 'RETRIED') return { letter, alsoRetried: [] };
    const outcome = await this.apply(letter);
    if (outcome.status !== 'RETRIED') {
      const failure = outcome.lastFailedRetry!;
      throw new RetryFailedError(`Dead letter ${id} still cannot be applied: ${failure.reason}: ${failure.detail}`, {
        reason: failure.reason,
        deadLetter: deadLetterView(outcome),
      });
    }
    return { letter: outcome, alsoRetried: letter.event ? await this.retryLaterGaps(letter) : [] };
  }

  async discard(id: string, reason: string | null): Promise<DeadLetterRecord> {
    const letter = await this.get(id);
    try {
      const discarded = discardedLetter(letter, reason, new Date().toISOString());
      if (!discarded) return letter;
      await this.store.save(letter, discarded);
      return discarded;
    } catch (error) {
      if (error instanceof DeadLetterAlreadyRetried) throw new DeadLetterRetriedError(error.message);
      if (error instanceof DeadLetterChangedError) return this.discard(id, reason);
      throw error;
    }
  }

  /** Applies the letter's event now; the letter as saved after it (RETRIED, or OPEN with the failure). */
  private async apply(letter: DeadLetterRecord): Promise<DeadLetterRecord> {
    const still = await this.projections.applyAgain(parseEvent(letterEvent(letter)));
    const now = new Date().toISOString();
    const after = still
      ? failedRetry(letter, { reason: still.reason, detail: still.message }, now)
      : retriedLetter(letter, this.projections.generation, now);
    try {
      await this.store.save(letter, after);
    } catch (error) {
      // Retried or discarded by someone else meanwhile: theirs stands.
      if (error instanceof DeadLetterChangedError) return (await this.store.get(letter._id)) ?? after;
      throw error;
    }
    if (!still) this.logger.log(`dead letter ${letter._id} retried: applied`);
    return after;
  }

  /**
   * Retries the aggregate's later gap letters in version order, until one
   * fails or none is left. The open gaps are read once per round (a product
   * with a gap parks every later event, thousands of them), and once more to
   * catch letters parked while the round ran.
   */
  private async retryLaterGaps(first: DeadLetterRecord): Promise<string[]> {
    const retried: string[] = [];
    let version = first.event!.aggregateVersion;
    for (;;) {
      const later = (await this.store.openGaps(first.topic, first.event!.aggregateId)).filter(
        (letter) => letter.event!.aggregateVersion > version,
      );
      if (later.length === 0) return retried;
      for (const letter of later) {
        const outcome = await this.apply(letter);
        if (outcome.status !== 'RETRIED') return retried;
        retried.push(letter._id);
        version = letter.event!.aggregateVersion;
      }
    }
  }
}
