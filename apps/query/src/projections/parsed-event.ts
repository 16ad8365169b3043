import { deserializeEnvelope, type EventEnvelope, upcasters, validatePayload } from '@of/contracts';
import { UnprocessableEventError } from './projection';

/** One consumed message: where it came from, and its envelope or why it has none. */
export interface ConsumedEvent {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
  envelope: EventEnvelope | null;
  problem: UnprocessableEventError | null;
}

/** Parses, upcasts and validates; a message that fails carries the reason instead of an envelope. */
export function parseEvent(message: Omit<ConsumedEvent, 'envelope' | 'problem'>): ConsumedEvent {
  try {
    let envelope: EventEnvelope;
    try {
      envelope = deserializeEnvelope(message.value);
    } catch (error) {
      throw new UnprocessableEventError('MALFORMED_ENVELOPE', (error as Error).message);
    }
    try {
      envelope = upcasters.upcast(envelope);
      validatePayload(envelope.eventType, envelope.payload);
    } catch (error) {
      const unknown = /unknown event type/.test((error as Error).message);
      throw new UnprocessableEventError(unknown ? 'UNKNOWN_EVENT_TYPE' : 'INVALID_PAYLOAD', (error as Error).message);
    }
    return { ...message, envelope, problem: null };
  } catch (error) {
    return { ...message, envelope: null, problem: error as UnprocessableEventError };
  }
}
