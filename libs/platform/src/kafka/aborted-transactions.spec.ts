/**
 * kafkajs hides the records of aborted transactions from read-committed
 * consumers itself; the projections and the command app's replay rely on it.
 * Its filter is patched (patches/kafkajs+2.2.4.patch, ADR 0007): it assumed
 * the broker lists aborted transactions in the order they began, but the
 * broker lists them in the order their markers were written. Two producers
 * that abort overlapping transactions break that assumption.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the module kafkajs's consumer loads, not part of its typed API
const filterAbortedMessages = require('kafkajs/src/consumer/filterAbortedMessages') as (input: {
  messages: Message[];
  abortedTransactions: { firstOffset: string; producerId: string }[];
}) => Message[];

interface Message {
  offset: string;
  key: Buffer | null;
  batchContext: { producerId: string; inTransaction: boolean };
}

const ABORT = Buffer.from([0, 0, 0, 0]);
const COMMIT = Buffer.from([0, 0, 0, 1]);
const record = (offset: number, producerId: string): Message => ({
  offset: String(offset),
  key: Buffer.from(`key-${offset}`),
  batchContext: { producerId, inTransaction: true },
});
const marker = (offset: number, producerId: string, key: Buffer): Message => ({
  ...record(offset, producerId),
  key,
});
const offsetsKept = (messages: Message[], aborted: [number, string][]) =>
  filterAbortedMessages({
    messages,
    abortedTransactions: aborted.map(([firstOffset, producerId]) => ({ firstOffset: String(firstOffset), producerId })),
  })
    .filter((message) => !message.key?.equals(ABORT) && !message.key?.equals(COMMIT))
    .map((message) => Number(message.offset));

describe('records of aborted transactions, as kafkajs filters them', () => {
  // Two producers, each with a transaction that the other's overlaps; both aborted.
  const overlapping = [record(10, 'p1'), record(11, 'p2'), marker(12, 'p1', ABORT), marker(13, 'p2', ABORT)];
  const next = [record(14, 'p1'), marker(15, 'p1', COMMIT)];

  it('are hidden when the broker lists the transactions in the order they began', () => {
    expect(
      offsetsKept(
        [...overlapping, ...next],
        [
          [10, 'p1'],
          [11, 'p2'],
        ],
      ),
    ).toEqual([14]);
  });

  it('are hidden when it lists them in the order their markers were written, not the order they began', () => {
    expect(
      offsetsKept(
        [...overlapping, ...next],
        [
          [11, 'p2'],
          [10, 'p1'],
        ],
      ),
    ).toEqual([14]);
  });

  it('are hidden when a fetch begins inside both transactions', () => {
    expect(
      offsetsKept(
        [record(11, 'p2'), marker(12, 'p1', ABORT), marker(13, 'p2', ABORT), ...next],
        [
          [10, 'p1'],
          [11, 'p2'],
        ],
      ),
    ).toEqual([14]);
  });

  it('end at their abort marker: the same producer later commits, and that is kept', () => {
    expect(
      offsetsKept(
        [record(10, 'p1'), marker(11, 'p1', ABORT), record(12, 'p1'), marker(13, 'p1', COMMIT), record(14, 'p1')],
        [
          [10, 'p1'],
          [14, 'p1'],
        ],
      ),
    ).toEqual([12]);
  });
});
