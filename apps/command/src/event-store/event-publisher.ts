/** One message for the event log: the serialized envelope and where it goes. */
export interface EventRecord {
  topic: string;
  key: string;
  value: string;
  headers: Record<string, string>;
}

/** Where Kafka put a record. */
export interface RecordPosition {
  partition: number;
  offset: number;
}

/** A transaction whose records have been sent and are not yet visible. */
export interface OpenTransaction {
  /** Where each record was written, in the order of the records; empty when the publisher cannot tell. */
  readonly positions: readonly RecordPosition[];
  /** Makes the records visible to read-committed consumers. Rejects with PublishError when it cannot. */
  commit(): Promise<void>;
  /** Drops the records; never rejects (a producer that cannot abort is replaced, which aborts). */
  abort(): Promise<void>;
}

/**
 * Publishes records atomically: all of them become visible to read-committed
 * consumers, or none. In two steps, so that the next batch can be sent while
 * the previous one commits.
 */
export interface EventPublisher {
  /**
   * Sends the records in a new transaction and leaves it open. Records of a
   * later call follow this call's in every partition once it has resolved.
   * Rejects with PublishError (nothing kept) when it cannot.
   */
  begin(records: EventRecord[]): Promise<OpenTransaction>;
}

export class PublishError extends Error {
  override readonly name = 'PublishError';

  constructor(
    message: string,
    /** True when the commit was sent but not confirmed: the events may exist. */
    readonly outcomeUnknown: boolean,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

/** A one-step publisher (publish = send and commit) as a two-step one: its transaction commits in `commit`. */
export function publishingOnCommit(publish: (records: EventRecord[]) => Promise<void>): EventPublisher {
  return {
    begin: (records) =>
      Promise.resolve({
        positions: [],
        commit: () => publish(records),
        abort: () => Promise.resolve(),
      }),
  };
}
