import { deserializeEnvelope, type EventEnvelope, upcasters, validEvent, type ValidEvent } from '@of/contracts';
import { extended } from '@of/platform';
import { UnprocessableEventError } from './projection';

/** One consumed message: where it came from, and its envelope or why it has none. */
export interface ConsumedEvent {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
  /**
   * Set when an operator applies a dead letter again (its id): shared
   * documents count such an event as coming from the letter, not from its
   * partition, whose later offsets they have applied already.
   */
  retryOf?: string;
  /** The event, upcast and validated: its payload is typed by its event type. */
  envelope: ValidEvent | null;
  problem: UnprocessableEventError | null;
}

/** Parses, upcasts and validates; a message that fails carries the reason instead of an envelope. */
export function parseEvent(message: Omit<ConsumedEvent, 'envelope' | 'problem'>): ConsumedEvent {
  try {
    let written: EventEnvelope;
    try {
      written = deserializeEnvelope(message.value);
    } catch (error) {
      throw new UnprocessableEventError('MALFORMED_ENVELOPE', (error as Error).message);
    }
    let envelope: ValidEvent;
    try {
      envelope = validEvent(upcasters.upcast(written));
    } catch (error) {
      const unknown = /unknown event type/.test((error as Error).message);
      throw new UnprocessableEventError(unknown ? 'UNKNOWN_EVENT_TYPE' : 'INVALID_PAYLOAD', (error as Error).message);
    }
    return extended(message, { envelope, problem: null });
  } catch (error) {
    return extended(message, { envelope: null, problem: error as UnprocessableEventError });
  }
}

/** What the log says of each event applied: enough to follow an order or a correlation id through it. */
export function loggedEvents(events: readonly ConsumedEvent[]): Record<string, unknown>[] {
  return events.flatMap(({ envelope, offset }) =>
    envelope
      ? [
          {
            offset,
            eventType: envelope.eventType,
            aggregateId: envelope.aggregateId,
            version: envelope.aggregateVersion,
            correlationId: envelope.correlationId,
          },
        ]
      : [],
  );
}
