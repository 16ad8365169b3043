/**
 * The command app places every event and snapshot record by its key with
 * kafkajs's default partitioner, as Kafka's Java client does: a compacted
 * changelog keeps the last record per key only within one partition, and the
 * event store derives offsets from the partitions it chose. kafkajs's murmur2
 * and its grouping of a send's records by partition are patched for speed
 * (patches/kafkajs+2.2.4.patch, ADR 0007); these tests hold them to the Java
 * client's results and to the order records were given in.
 */
import { Partitioners } from 'kafkajs';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the module kafkajs's default partitioner uses, not part of its typed API
const murmur2 = require('kafkajs/src/producer/partitioners/default/murmur2') as (key: string | Buffer) => number;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the module kafkajs's producer uses, not part of its typed API
const groupMessagesPerPartition = require('kafkajs/src/producer/groupMessagesPerPartition') as (input: {
  topic: string;
  partitionMetadata: { partitionId: number; leader: number }[];
  messages: { key: string; value: string; partition?: number }[];
  partitioner: ReturnType<typeof Partitioners.DefaultPartitioner>;
}) => Record<string, { key: string; value: string }[]>;

/** Utils.murmur2 of kafka-clients 3.9.2 on each key's UTF-8 bytes, and its partition of 6 (Utils.toPositive(hash) % 6). */
const JAVA_CLIENT: [key: string, murmur2: number, partitionOf6: number][] = [
  ['21', -973932308, 0],
  ['foobar', -790332482, 0],
  ['abc', 479470107, 3],
  ['a-little-bit-long-string', -985981536, 2],
  ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971, 5],
  ['0b7e3c7a-6a41-4d5e-9a1f-2f1c1b9e8d70', 1879965044, 2],
  ['order-1', 1221710326, 4],
  ['bench-soak-ab12cd-7', 354636873, 3],
  ['s|Order|0b7e3c7a-6a41-4d5e-9a1f-2f1c1b9e8d70', 740252661, 3],
  ['ü-ключ-键', -1162555115, 3],
];

const SIX_PARTITIONS = Array.from({ length: 6 }, (_, partitionId) => ({
  partitionId,
  leader: 0,
  partitionErrorCode: 0,
  replicas: [],
  isr: [],
}));

describe("kafkajs's default partitioner (patched)", () => {
  it.each(JAVA_CLIENT)('hashes %j as the Java client does', (key, hash) => {
    expect(murmur2(key)).toBe(hash);
    expect(murmur2(Buffer.from(key, 'utf8'))).toBe(hash);
  });

  it.each(JAVA_CLIENT)('places %j in the partition the Java client picks', (key, _hash, partition) => {
    const partitioner = Partitioners.DefaultPartitioner();
    expect(partitioner({ topic: 't', partitionMetadata: SIX_PARTITIONS, message: { key, value: 'v' } })).toBe(
      partition,
    );
  });

  it("groups a send's records by partition, each partition's in the order given", () => {
    const messages: { key: string; value: string; partition?: number }[] = JAVA_CLIENT.flatMap(([key]) =>
      [1, 2, 3].map((n) => ({ key, value: `${key}#${n}` })),
    );
    messages.push({ key: 'abc', value: 'pinned', partition: 5 });
    const grouped = groupMessagesPerPartition({
      topic: 't',
      partitionMetadata: SIX_PARTITIONS,
      messages,
      partitioner: Partitioners.DefaultPartitioner(),
    });
    for (let partition = 0; partition < 6; partition += 1) {
      const expected = messages.filter(
        (message) => (message.partition ?? JAVA_CLIENT.find(([key]) => key === message.key)![2]) === partition,
      );
      expect(grouped[partition] ?? []).toEqual(expected);
    }
    expect(Object.values(grouped).flat()).toHaveLength(messages.length);
  });
});
