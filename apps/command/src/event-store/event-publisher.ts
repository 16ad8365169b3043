/** One message for the event log: the serialized envelope and where it goes. */
export interface EventRecord {
  topic: string;
  key: string;
  value: string;
  headers: Record<string, string>;
}

/**
 * Publishes records atomically: all of them become visible to read-committed
 * consumers, or none. Rejects with PublishError when it cannot.
 */
export interface EventPublisher {
  publish(records: EventRecord[]): Promise<void>;
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
