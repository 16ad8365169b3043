import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { topicNamesFromEnv } from '../../libs/contracts/src';
import { commandConfigFromEnv } from '../../apps/command/src/command-config';
import { ROOT } from './support';

/**
 * Bytes a topic's partitions hold in the local broker's log directory (every
 * segment, before and after compaction); null when the broker is not the
 * local stack's.
 */
export function topicBytesOnDisk(topic: string): number | null {
  const dir = join(process.env.OF_RUN_DIR ?? join(ROOT, '.run'), 'kafka', 'data');
  if (!existsSync(dir)) return null;
  let total = 0;
  for (const partition of readdirSync(dir)) {
    if (!partition.startsWith(`${topic}-`) || !/^\d+$/.test(partition.slice(topic.length + 1))) continue;
    for (const file of readdirSync(join(dir, partition))) {
      if (file.endsWith('.log')) total += statSync(join(dir, partition, file)).size;
    }
  }
  return total;
}

/** What the stack's events and the command app's snapshot changelog cost in Kafka bytes. */
export function stackKafkaBytes(): { events: number; snapshots: number } | null {
  const topics = topicNamesFromEnv();
  const events = [topics.orderEvents, topics.inventoryEvents].map(topicBytesOnDisk);
  const snapshots = topicBytesOnDisk(commandConfigFromEnv().snapshotTopic);
  if (events.some((bytes) => bytes === null) || snapshots === null) return null;
  return { events: (events as number[]).reduce((sum, bytes) => sum + bytes, 0), snapshots };
}
