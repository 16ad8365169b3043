/**
 * The field that orders a list by a number its projection gives each
 * document (`seq`: a customer's orders in the order they were counted), as a
 * string of fixed width, so that string order is number order and a page is a
 * range of one index (see sorted-find.ts). A document without a number has no
 * key, and is in no such list until it gets one.
 */
export const SEQUENCE_KEY = 'sequenceKey';

/** Wide enough for any number a list will hold (a trillion orders of one customer). */
const WIDTH = 12;

export function sequenceKey(seq: number): string {
  if (!Number.isSafeInteger(seq) || seq < 0 || seq >= 10 ** WIDTH) {
    throw new RangeError(`a sequence number must be a whole number from 0 to ${10 ** WIDTH - 1}, not ${seq}`);
  }
  return String(seq).padStart(WIDTH, '0');
}
