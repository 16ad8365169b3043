import type { DocumentStore } from './document-store';
import { type DocumentCodec, type IdDocument } from './stored-document';

/** A document every partition may change (a customer's ledger), with the revision its writes are checked against. */
export type RevisedDocument = IdDocument & { rev: number };

interface Staged {
  document: RevisedDocument;
  /** The revision the server holds, which the write is conditional on (0: absent). */
  expected: number;
}

/** When a buffer writes what it holds. */
export interface FlushPolicy {
  /** Write once the oldest change held is this old. */
  maxAgeMs: number;
  /** Write once this many documents are held. */
  maxDocuments: number;
}

/** The live projection: shared documents are at most a second behind the rest. */
export const LIVE_FLUSH: FlushPolicy = { maxAgeMs: 1000, maxDocuments: 20_000 };

/**
 * A projection far behind the end of its topics (a new query app catching
 * up) holds them longer: what it writes is history, soon overtaken.
 */
export const CATCH_UP_FLUSH: FlushPolicy = { maxAgeMs: 30_000, maxDocuments: 100_000 };

/**
 * A rebuild holds them far longer: nobody reads its generation yet, and a
 * customer's orders spread over history would otherwise cost a write each.
 * It writes them once it has read everything there is, or holds too many.
 */
export const REBUILD_FLUSH: FlushPolicy = { maxAgeMs: 5 * 60_000, maxDocuments: 200_000 };

interface Epoch {
  changes: Map<string, Staged>;
  done: Promise<void>;
  settle(error?: unknown): void;
}

/**
 * Buffered, revision-checked writes of one collection's shared documents, as
 * Kafka Streams' record caches buffer a state store: changes to the same
 * document between two writes cost one write, and the writes leave the path
 * of the batches. On FerretDB a replace costs many times an insert, and a
 * customer's ledger changes with every order of the customer.
 *
 * A batch's changes are durable once `stage` resolves; its offsets must not
 * be committed before. If a write fails (the server is down, or another
 * writer changed a document first), every change held is dropped and every
 * pending `stage` rejects: the consumer must read again from its committed
 * offsets, and the changes are made again from what the server holds.
 */
export class WriteBehind {
  private pending: Epoch | null = null;
  private writing: Epoch | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: DocumentStore,
    private readonly name: string,
    private readonly codec: DocumentCodec,
    private policy: FlushPolicy = LIVE_FLUSH,
  ) {}

  /** The buffer follows the policy of the batch that used it last. */
  setPolicy(policy: FlushPolicy): void {
    const sooner = policy.maxAgeMs < this.policy.maxAgeMs;
    this.policy = policy;
    if (sooner && this.timer) {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.flush(), policy.maxAgeMs);
    }
  }

  /** Documents as this writer last changed them, else as the server holds them; with the revision to expect. */
  async read<T extends RevisedDocument>(
    ids: readonly string[],
  ): Promise<Map<string, { document: T | null; expected: number }>> {
    const found = new Map<string, { document: T | null; expected: number }>();
    const missing: string[] = [];
    for (const id of ids) {
      const held = this.pending?.changes.get(id);
      const written = this.writing?.changes.get(id);
      if (held) found.set(id, { document: held.document as T, expected: held.expected });
      else if (written) found.set(id, { document: written.document as T, expected: written.document.rev });
      else missing.push(id);
    }
    const read = await this.store.load<T>(this.name, missing, this.codec);
    for (const id of missing) {
      const document = read.get(id) ?? null;
      found.set(id, { document, expected: document?.rev ?? 0 });
    }
    return found;
  }

  /**
   * Holds new versions of documents (their `rev` is set here); resolves once
   * they are written, rejects if they never will be. This writer must be the
   * only one changing them in this process, one batch at a time.
   */
  stage(changes: readonly Staged[]): Promise<void> {
    if (changes.length === 0) return Promise.resolve();
    const epoch = (this.pending ??= newEpoch());
    for (const change of changes) {
      // What the server holds, or will once the write under way ends; a write
      // may have begun or ended since the caller read the document.
      const id = change.document._id;
      const expected =
        epoch.changes.get(id)?.expected ??
        this.writing?.changes.get(id)?.document.rev ??
        this.store.peek<RevisedDocument>(this.name, id)?.rev ??
        change.expected;
      epoch.changes.set(id, { document: { ...change.document, rev: expected + 1 }, expected });
    }
    if (epoch.changes.size >= this.policy.maxDocuments) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.policy.maxAgeMs);
    return epoch.done;
  }

  /** Documents held and not yet being written. */
  get held(): number {
    return this.pending?.changes.size ?? 0;
  }

  /** Writes what is held now; resolves when it is written (or dropped after a failure). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.writing) await this.writing.done.catch(() => undefined);
    const epoch = this.pending;
    if (!epoch) return;
    this.pending = null;
    this.writing = epoch;
    try {
      await this.store.writeAtRevision(this.name, [...epoch.changes.values()], this.codec);
      epoch.settle();
    } catch (error) {
      // What came after was computed on top of what failed: drop it all.
      const later = this.pending as Epoch | null; // staged while this write was under way
      this.pending = null;
      epoch.settle(error);
      later?.settle(error);
    } finally {
      this.writing = null;
    }
    if ((this.pending as Epoch | null) !== null)
      this.timer ??= setTimeout(() => void this.flush(), this.policy.maxAgeMs);
  }
}

function newEpoch(): Epoch {
  let settle: (error?: unknown) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    settle = (error) =>
      error === undefined ? resolve() : reject(error instanceof Error ? error : new Error('the write failed'));
  });
  // A failure is handled by whoever waits for this epoch; never an unhandled rejection.
  done.catch(() => undefined);
  return { changes: new Map(), done, settle };
}
