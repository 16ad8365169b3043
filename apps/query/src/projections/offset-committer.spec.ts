import { OffsetCommitter, type PartitionOffset } from './offset-committer';

function committer(commit: (offsets: PartitionOffset[]) => Promise<void> = () => Promise.resolve()) {
  const sent: PartitionOffset[][] = [];
  const errors: string[] = [];
  const offsets = new OffsetCommitter(
    (batch) => {
      sent.push(batch);
      return commit(batch);
    },
    (error) => errors.push(error.message),
  );
  return { offsets, sent, errors };
}

describe('OffsetCommitter', () => {
  afterEach(() => jest.useRealTimers());

  it('commits every partition of a round in one request, at the offset after each batch', async () => {
    const { offsets, sent } = committer();
    offsets.applied('order-events', 0, '41');
    offsets.applied('order-events', 0, '99');
    offsets.applied('inventory-events', 3, '9007199254740993');
    await offsets.commit();
    expect(sent).toEqual([
      [
        { topic: 'order-events', partition: 0, offset: '100' },
        { topic: 'inventory-events', partition: 3, offset: '9007199254740994' },
      ],
    ]);
    expect(offsets.uncommitted).toBe(0);
  });

  it('sends nothing when nothing was applied since the last commit', async () => {
    const { offsets, sent } = committer();
    offsets.applied('order-events', 1, '5');
    await offsets.commit();
    await offsets.commit();
    expect(sent).toHaveLength(1);
  });

  it('follows a commit under way with one more for what was applied meanwhile', async () => {
    let release: () => void = () => undefined;
    const { offsets, sent } = committer((batch) =>
      batch[0].offset === '6' ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve(),
    );
    offsets.applied('order-events', 1, '5');
    const first = offsets.commit();
    offsets.applied('order-events', 1, '7');
    void offsets.commit();
    void offsets.commit();
    release();
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent.map((batch) => batch.map((offset) => offset.offset))).toEqual([['6'], ['8']]);
    expect(offsets.uncommitted).toBe(0);
  });

  it('keeps what failed and tries again on its own, so lag reaches zero with no new batch', async () => {
    jest.useFakeTimers();
    let fail = true;
    const { offsets, sent, errors } = committer(() =>
      fail ? Promise.reject(new Error('REBALANCE_IN_PROGRESS')) : Promise.resolve(),
    );
    offsets.applied('order-events', 2, '10');
    await offsets.commit();
    expect(errors).toEqual(['REBALANCE_IN_PROGRESS']);
    expect(offsets.uncommitted).toBe(1);
    fail = false;
    await jest.advanceTimersByTimeAsync(1000);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toEqual([{ topic: 'order-events', partition: 2, offset: '11' }]);
    expect(offsets.uncommitted).toBe(0);
  });

  it('drops what it noted when partitions may have moved (a rejoin)', async () => {
    const { offsets, sent } = committer();
    offsets.applied('order-events', 0, '3');
    offsets.reset();
    await offsets.commit();
    expect(sent).toHaveLength(0);
  });

  it('stops retrying once closed', async () => {
    jest.useFakeTimers();
    const { offsets, sent } = committer(() => Promise.reject(new Error('down')));
    offsets.applied('order-events', 0, '3');
    await offsets.commit();
    offsets.close();
    await jest.advanceTimersByTimeAsync(5000);
    expect(sent).toHaveLength(1);
    expect(offsets.uncommitted).toBe(0);
  });
});
