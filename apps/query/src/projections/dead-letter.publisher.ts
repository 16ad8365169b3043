import { deadLetterTopic } from '@of/contracts';
import type { KafkaConnection } from '@of/platform';
import type { Producer } from 'kafkajs';
import type { DeadLetter } from './projection-engine';

/**
 * Sends unprocessable events to `<topic>.dlq`: the original key and bytes,
 * with where they came from and why in headers. Offsets move on only after
 * Kafka has them (acks=all), so no event is ever dropped silently.
 */
export class DeadLetterPublisher {
  private producer: Producer | null = null;

  constructor(private readonly connection: KafkaConnection) {}

  async publish(letters: DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    this.producer ??= this.connection.kafka.producer({ idempotent: true, allowAutoTopicCreation: false });
    await this.producer.connect();
    const byTopic = new Map<string, DeadLetter[]>();
    for (const letter of letters) {
      const topic = deadLetterTopic(letter.event.topic);
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), letter]);
    }
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, items]) => ({
        topic,
        messages: items.map(({ event, reason, message }) => ({
          key: event.key,
          value: event.value,
          headers: {
            ...event.headers,
            'dlq-reason': reason,
            'dlq-error': message.slice(0, 1000),
            'dlq-source-topic': event.topic,
            'dlq-source-partition': String(event.partition),
            'dlq-source-offset': event.offset,
            'dlq-at': new Date().toISOString(),
          },
        })),
      })),
    });
  }

  async close(): Promise<void> {
    await this.producer?.disconnect();
  }
}
