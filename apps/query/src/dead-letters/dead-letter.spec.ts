import type { DeadLetter } from '../projections/projection-engine';
import { parseEvent } from '../projections/parsed-event';
import {
  DeadLetterAlreadyRetried,
  discardedLetter,
  failedRetry,
  letterBytes,
  letterEvent,
  parkedAgain,
  parkedLetter,
  retriedLetter,
} from './dead-letter';

const NOW = '2026-12-05T10:00:00.000Z';
const LATER = '2026-12-05T11:00:00.000Z';

function parked(value: Buffer | null, reason: DeadLetter['reason'] = 'MALFORMED_ENVELOPE'): DeadLetter {
  const event = parseEvent({
    topic: 'order-events',
    partition: 3,
    offset: '1207',
    key: Buffer.from('o-1'),
    value,
    headers: { 'x-correlation-id': 'c-1', 'odd.$name': 'kept' },
  });
  return { event, reason, message: 'cannot read it' };
}

describe('a dead letter', () => {
  it('is named by where its event sits, and keeps its bytes and headers as read', () => {
    const letter = parkedLetter(parked(Buffer.from('not an event')), 1, NOW);
    expect(letter).toMatchObject({
      _id: 'order-events:3:1207',
      key: 'o-1',
      reason: 'MALFORMED_ENVELOPE',
      value: 'not an event',
      valueEncoding: 'utf8',
      status: 'OPEN',
      event: null,
    });
    expect(letterBytes(letter)).toEqual(Buffer.from('not an event'));
    expect(letter.headers).toContainEqual({ name: 'odd.$name', value: 'kept' });
    expect(letterEvent(letter)).toMatchObject({
      headers: { 'x-correlation-id': 'c-1', 'odd.$name': 'kept' },
      topic: 'order-events',
      partition: 3,
      offset: '1207',
      retryOf: letter._id,
    });
  });

  it('keeps bytes that are not UTF-8 as base64, and gives them back unchanged', () => {
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x41]);
    const letter = parkedLetter(parked(bytes), 1, NOW);
    expect(letter.valueEncoding).toBe('base64');
    expect(letterBytes(letter)).toEqual(bytes);
  });

  it('keeps a message without a value as null', () => {
    const letter = parkedLetter(parked(null), 1, NOW);
    expect(letter.value).toBeNull();
    expect(letterBytes(letter)).toBeNull();
  });

  describe('parked again', () => {
    const open = parkedLetter(parked(Buffer.from('x')), 1, NOW);
    const retried = retriedLetter(open, 1, LATER);
    const cases = [
      { name: 'open, by any generation: unchanged', letter: open, generation: 2, status: null },
      {
        name: 'retried, by the generation it was applied to (a redelivery): unchanged',
        letter: retried,
        generation: 1,
        status: null,
      },
      {
        name: 'retried, by a newer generation (a rebuild that cannot apply it either): open again',
        letter: retried,
        generation: 2,
        status: 'OPEN',
      },
      {
        name: 'discarded, by a newer generation: the discard stands',
        letter: discardedLetter(open, null, LATER)!,
        generation: 2,
        status: null,
      },
    ];
    it.each(cases)('$name', ({ letter, generation, status }) => {
      expect(parkedAgain(letter, generation)?.status ?? null).toBe(status);
    });
  });

  it('records a failed retry and stays open; a retry that succeeds clears it', () => {
    const open = parkedLetter(parked(Buffer.from('x')), 1, NOW);
    const failed = failedRetry(open, { reason: 'VERSION_GAP', detail: 'at 2, event has 4' }, LATER);
    expect(failed).toMatchObject({ status: 'OPEN', lastFailedRetry: { at: LATER, reason: 'VERSION_GAP' } });
    expect(retriedLetter(failed, 2, LATER)).toMatchObject({
      status: 'RETRIED',
      lastFailedRetry: null,
      decision: { at: LATER, generation: 2 },
    });
  });

  it('is discarded once: twice changes nothing, and a retried one cannot be', () => {
    const open = parkedLetter(parked(Buffer.from('x')), 1, NOW);
    const discarded = discardedLetter(open, 'sent by hand', LATER)!;
    expect(discarded).toMatchObject({ status: 'DISCARDED', decision: { reason: 'sent by hand' } });
    expect(discardedLetter(discarded, 'again', LATER)).toBeNull();
    expect(() => discardedLetter(retriedLetter(open, 1, LATER), null, LATER)).toThrow(DeadLetterAlreadyRetried);
  });
});
