import type { Admin } from 'kafkajs';

export interface PartitionLag {
  topic: string;
  partition: number;
  /** Next offset the group will read (its committed position). */
  committedOffset: number;
  endOffset: number;
  lag: number;
}

/** Position and lag per partition of a consumer group, from Kafka itself. */
export async function consumerLag(admin: Admin, groupId: string, topics: string[]): Promise<PartitionLag[]> {
  const committed = await admin.fetchOffsets({ groupId, topics });
  const lags: PartitionLag[] = [];
  for (const topic of topics) {
    const positions = new Map(
      (committed.find((entry) => entry.topic === topic)?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]),
    );
    for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
      const end = Number(high);
      const position = Math.max(positions.get(partition) ?? -1, Number(low));
      lags.push({ topic, partition, committedOffset: position, endOffset: end, lag: Math.max(0, end - position) });
    }
  }
  return lags.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
}

/** Messages held by a topic (dead-letter topics are never compacted nor expired). */
export async function topicSize(admin: Admin, topic: string): Promise<number> {
  return (await admin.fetchTopicOffsets(topic)).reduce((sum, { high, low }) => sum + Number(high) - Number(low), 0);
}
