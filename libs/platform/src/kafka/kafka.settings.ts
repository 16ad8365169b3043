import { type TopicNames, topicNamesFromEnv } from '@of/contracts';
import { ConfigError, intFromEnv, stringFromEnv } from '../config/env';

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  topics: TopicNames;
  /** Partitions for the event topics when this process creates them. */
  partitions: number;
}

const BROKER = /^[A-Za-z0-9.-]+:\d{1,5}$/;

export function kafkaSettingsFromEnv(clientId: string, env: NodeJS.ProcessEnv = process.env): KafkaSettings {
  const brokers = stringFromEnv(env, 'KAFKA_BROKERS', '127.0.0.1:9092')
    .split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
  const bad = brokers.filter((broker) => !BROKER.test(broker));
  if (brokers.length === 0 || bad.length > 0) {
    throw new ConfigError(
      `KAFKA_BROKERS must be a comma-separated list of host:port, got ${JSON.stringify(env.KAFKA_BROKERS)}`,
    );
  }
  return {
    brokers,
    clientId: stringFromEnv(env, 'KAFKA_CLIENT_ID', clientId),
    topics: topicNamesFromEnv(env),
    partitions: intFromEnv(env, 'KAFKA_TOPIC_PARTITIONS', 6, { min: 1, max: 1000 }),
  };
}
