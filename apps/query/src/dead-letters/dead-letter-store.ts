import type { Collection, Db, Filter } from 'mongodb';
import { insertNewById } from '../read-store/document-store';
import { type DeadLetter, existingIndexes } from '../projections/projection-engine';
import {
  type DeadLetterReason,
  type DeadLetterRecord,
  type DeadLetterStatus,
  parkedAgain,
  parkedLetter,
} from './dead-letter';

/**
 * One collection for every generation: a rebuild parks the same events
 * again, and the letters keep the operator's decisions.
 */
export const DEAD_LETTERS = 'dead_letters';

export interface DeadLetterQuery {
  topic?: string;
  status?: DeadLetterStatus;
  /** The (failedAt, id) of the last letter of the previous page. */
  after?: [string, string];
  limit: number;
}

/** A decision saved over another made meanwhile (two operators at once). */
export class DeadLetterChangedError extends Error {}

/**
 * The dead letters operators see and decide on. Kafka's `<topic>.dlq` holds
 * the same events as an audit log; this store adds what Kafka cannot: a
 * status per letter, and queries by status and topic. Dead letters are
 * rare, so a page reads the letters of its filter and sorts them.
 */
export class DeadLetterStore {
  private readonly letters: Collection<DeadLetterRecord>;

  constructor(db: Db) {
    this.letters = db.collection<DeadLetterRecord>(DEAD_LETTERS);
  }

  async ensureIndexes(): Promise<void> {
    // One index, created only when missing (FerretDB 1.24 panics when
    // createIndexes re-sends several that exist).
    const names = (await existingIndexes(this.letters)).map((index) => String(index.name));
    if (!names.includes('by_status')) await this.letters.createIndex({ status: 1, failedAt: 1 }, { name: 'by_status' });
  }

  /** Keeps the letters a generation just parked: new ones open, known ones as parkedAgain says. */
  async park(letters: readonly DeadLetter[], generation: number): Promise<void> {
    if (letters.length === 0) return;
    const now = new Date().toISOString();
    const records = new Map<string, DeadLetterRecord>();
    for (const letter of letters) {
      const record = parkedLetter(letter, generation, now);
      records.set(record._id, record);
    }
    const known = await insertNewById(this.letters, [...records.values()]);
    for (const id of known) {
      const letter = await this.get(id);
      const reopened = letter && parkedAgain(letter, generation);
      if (reopened) await this.save(letter, reopened);
    }
  }

  get(id: string): Promise<DeadLetterRecord | null> {
    return this.letters.findOne({ _id: id });
  }

  /** A page of letters, oldest failure first. */
  list(query: DeadLetterQuery): Promise<DeadLetterRecord[]> {
    const filter: Filter<DeadLetterRecord> = {};
    if (query.topic) filter.topic = query.topic;
    if (query.status) filter.status = query.status;
    if (query.after) {
      const [failedAt, id] = query.after;
      filter.$or = [{ failedAt: { $gt: failedAt } }, { failedAt, _id: { $gt: id } }];
    }
    return this.letters
      .find(filter)
      .sort({ failedAt: 1, _id: 1 })
      .limit(query.limit + 1)
      .toArray();
  }

  /** Replaces `before` with `after`, unless the letter changed since `before` was read. */
  async save(before: DeadLetterRecord, after: DeadLetterRecord): Promise<void> {
    const result = await this.letters.replaceOne(
      { _id: before._id, status: before.status, 'decision.at': before.decision?.at ?? null },
      after,
    );
    if (result.matchedCount === 0) throw new DeadLetterChangedError(`Dead letter ${before._id} changed meanwhile.`);
  }

  /** The open version-gap letters of an aggregate, by version: they wait for the event before them. */
  async openGaps(topic: string, aggregateId: string): Promise<DeadLetterRecord[]> {
    const letters = await this.letters
      .find({ topic, status: 'OPEN', reason: 'VERSION_GAP', 'event.aggregateId': aggregateId })
      .toArray();
    return letters.sort((a, b) => a.event!.aggregateVersion - b.event!.aggregateVersion);
  }

  /** Open letters by topic and reason, for the metric. */
  async openCounts(): Promise<{ topic: string; reason: DeadLetterReason; count: number }[]> {
    const open = await this.letters.find({ status: 'OPEN' }, { projection: { topic: 1, reason: 1 } }).toArray();
    const counts = new Map<string, { topic: string; reason: DeadLetterReason; count: number }>();
    for (const { topic, reason } of open) {
      const key = `${topic}\n${reason}`;
      const entry = counts.get(key) ?? { topic, reason, count: 0 };
      entry.count += 1;
      counts.set(key, entry);
    }
    return [...counts.values()];
  }
}
