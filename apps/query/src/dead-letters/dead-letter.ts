import { envelopeOrNull } from '@of/contracts';
import type { ConsumedEvent } from '../projections/parsed-event';
import type { UnprocessableEventError } from '../projections/projection';
import type { DeadLetter } from '../projections/projection-engine';

export type DeadLetterStatus = 'OPEN' | 'RETRIED' | 'DISCARDED';
export const DEAD_LETTER_STATUSES: readonly DeadLetterStatus[] = ['OPEN', 'RETRIED', 'DISCARDED'];

export type DeadLetterReason = UnprocessableEventError['reason'];

/**
 * A dead letter as operators work with it. The event's bytes stay as they
 * were read, so a retry after a fix (a new upcaster, a corrected projection)
 * reads them again with today's code. Its id is where the event sits in its
 * topic: the same event parked again (a redelivery, a rebuild) is the same
 * dead letter, and keeps the operator's decision.
 */
export interface DeadLetterRecord {
  _id: string;
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  reason: DeadLetterReason;
  detail: string;
  failedAt: string;
  /** The message value as text; base64 when its bytes are not UTF-8. Null for a message without a value. */
  value: string | null;
  valueEncoding: 'utf8' | 'base64';
  /** As pairs: a header's name may hold characters a document's field names may not (`.`, `$`). */
  headers: { name: string; value: string }[];
  /** What the envelope said, when it could be read (always, unless MALFORMED_ENVELOPE). */
  event: { type: string; aggregateType: string; aggregateId: string; aggregateVersion: number } | null;
  status: DeadLetterStatus;
  /** The read-model generation that parked it last. */
  generation: number;
  /** The last decision on it: when, why (a discard's reason), and for a retry the generation it was applied to. */
  decision: { at: string; reason: string | null; generation: number | null } | null;
  /** The last retry that failed, and why; cleared by one that succeeds. */
  lastFailedRetry: { at: string; reason: DeadLetterReason; detail: string } | null;
}

export function deadLetterId(topic: string, partition: number, offset: string): string {
  return `${topic}:${partition}:${offset}`;
}

/** A dead letter parked for the first time. */
export function parkedLetter(parked: DeadLetter, generation: number, now: string): DeadLetterRecord {
  const { event, reason, message } = parked;
  const text = event.value?.toString('utf8') ?? null;
  const utf8 = event.value === null || Buffer.from(text ?? '', 'utf8').equals(event.value);
  const envelope = event.envelope ?? envelopeOrNull(event.value); // its payload may still be one this code cannot apply
  return {
    _id: deadLetterId(event.topic, event.partition, event.offset),
    topic: event.topic,
    partition: event.partition,
    offset: event.offset,
    key: event.key?.toString('utf8') ?? null,
    reason,
    detail: message,
    failedAt: now,
    value: utf8 ? text : event.value!.toString('base64'),
    valueEncoding: utf8 ? 'utf8' : 'base64',
    headers: Object.entries(event.headers).map(([name, value]) => ({ name, value })),
    event: envelope && {
      type: envelope.eventType,
      aggregateType: envelope.aggregateType,
      aggregateId: envelope.aggregateId,
      aggregateVersion: envelope.aggregateVersion,
    },
    status: 'OPEN',
    generation,
    decision: null,
    lastFailedRetry: null,
  };
}

/**
 * The letter after its event was parked again by `generation`, or null when
 * nothing changes. A letter retried into an older generation is open again
 * when a newer one (a rebuild) could not apply its event either: that
 * generation does not have it. A redelivery to the generation it was retried
 * into changes nothing, and a discard stands.
 */
export function parkedAgain(letter: DeadLetterRecord, generation: number): DeadLetterRecord | null {
  if (letter.status !== 'RETRIED' || generation <= (letter.decision?.generation ?? 0)) return null;
  return { ...letter, status: 'OPEN', generation, decision: null };
}

export function retriedLetter(letter: DeadLetterRecord, generation: number, now: string): DeadLetterRecord {
  return { ...letter, status: 'RETRIED', decision: { at: now, reason: null, generation }, lastFailedRetry: null };
}

export function failedRetry(
  letter: DeadLetterRecord,
  failure: { reason: DeadLetterReason; detail: string },
  now: string,
): DeadLetterRecord {
  return { ...letter, lastFailedRetry: { at: now, ...failure } };
}

/** A letter already applied cannot be discarded: the read models show its event. */
export class DeadLetterAlreadyRetried extends Error {}

/** The letter discarded; null when it is discarded already (discarding twice changes nothing). */
export function discardedLetter(letter: DeadLetterRecord, reason: string | null, now: string): DeadLetterRecord | null {
  if (letter.status === 'DISCARDED') return null;
  if (letter.status === 'RETRIED') {
    throw new DeadLetterAlreadyRetried(`Dead letter ${letter._id} was retried: its event is applied.`);
  }
  return { ...letter, status: 'DISCARDED', decision: { at: now, reason, generation: null } };
}

/** The letter's value as it was read from Kafka. */
export function letterBytes(letter: DeadLetterRecord): Buffer | null {
  if (letter.value === null) return null;
  return Buffer.from(letter.value, letter.valueEncoding === 'base64' ? 'base64' : 'utf8');
}

/** The letter's event as the consumer read it, to be applied again. */
export function letterEvent(letter: DeadLetterRecord): Omit<ConsumedEvent, 'envelope' | 'problem'> {
  return {
    topic: letter.topic,
    partition: letter.partition,
    offset: letter.offset,
    key: letter.key === null ? null : Buffer.from(letter.key, 'utf8'),
    value: letterBytes(letter),
    headers: Object.fromEntries(letter.headers.map(({ name, value }) => [name, value])),
    retryOf: letter._id,
  };
}

/** What the API shows of a letter. */
export function deadLetterView(letter: DeadLetterRecord): Record<string, unknown> {
  return {
    id: letter._id,
    topic: letter.topic,
    partition: letter.partition,
    offset: letter.offset,
    key: letter.key,
    reason: letter.reason,
    detail: letter.detail,
    failedAt: letter.failedAt,
    value: letter.value,
    valueEncoding: letter.valueEncoding,
    event: letter.event,
    status: letter.status,
    statusChangedAt: letter.decision?.at ?? null,
    discardReason: letter.status === 'DISCARDED' ? (letter.decision?.reason ?? null) : null,
    lastFailedRetry: letter.lastFailedRetry,
  };
}
