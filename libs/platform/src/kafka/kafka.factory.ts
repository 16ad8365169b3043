import { Logger } from '@nestjs/common';
import { Kafka, type KafkaConfig, logLevel, type LogEntry } from 'kafkajs';
import type { KafkaSettings } from './kafka.settings';

// A transaction that starts while the broker still writes the previous one's
// commit markers is refused with this retriable error; back-to-back
// transactions meet it all the time, and the producer retries in a few ms.
const ROUTINE = /another concurrent operation on the same transaction/;

// kafkajs logs through Nest's logger so all output has one shape.
function logCreator(): (entry: LogEntry) => void {
  const logger = new Logger('kafkajs');
  return ({ level, log }) => {
    const { message, ...extra } = log;
    if (ROUTINE.test(`${message} ${String(extra.error ?? '')}`)) return;
    const line = `${message} ${JSON.stringify(extra)}`;
    if (level <= logLevel.ERROR) logger.error(line);
    else if (level === logLevel.WARN) logger.warn(line);
    else logger.log(line);
  };
}

// We use kafkajs's default (Java-compatible) partitioner on purpose.
process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';

export function createKafka(settings: KafkaSettings, overrides: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    connectionTimeout: 3000,
    requestTimeout: 30000,
    logLevel: logLevel.WARN,
    logCreator,
    retry: { initialRetryTime: 100, retries: 8 },
    ...overrides,
  });
}
