import { deadLetterTopic } from '@of/contracts';
import type { Admin, ITopicConfig } from 'kafkajs';
import type { KafkaSettings } from './kafka.settings';

// Kafka is the system's durable event store: events are never deleted by age or size.
const KEEP_FOREVER = [
  { name: 'retention.ms', value: '-1' },
  { name: 'retention.bytes', value: '-1' },
];

export function topicSpecs(settings: KafkaSettings): ITopicConfig[] {
  const main = [settings.topics.orderEvents, settings.topics.inventoryEvents];
  return [
    ...main.map((topic) => ({ topic, numPartitions: settings.partitions, configEntries: KEEP_FOREVER })),
    ...main.map((topic) => ({ topic: deadLetterTopic(topic), numPartitions: 1, configEntries: KEEP_FOREVER })),
  ];
}

/**
 * Creates the project's topics that do not exist yet. Topics are created up
 * front because KRaft's auto-creation makes kafkajs fail on first use.
 * Returns the names it created.
 */
export async function ensureTopics(admin: Admin, settings: KafkaSettings): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = topicSpecs(settings).filter((spec) => !existing.has(spec.topic));
  if (missing.length > 0) {
    await admin.createTopics({ topics: missing, waitForLeaders: true });
  }
  return missing.map((spec) => spec.topic);
}
