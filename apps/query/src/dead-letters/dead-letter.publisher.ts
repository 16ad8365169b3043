import { deadLetterTopic } from '@of/contracts';
import type { KafkaConnection } from '@of/platform';
import type { Producer } from 'kafkajs';
import type { DeadLetter } from '../projections/projection-engine';
import type { DeadLetterStore } from './dead-letter-store';

/**
 * Parks unprocessable events: first in `<topic>.dlq` (the original key and
 * bytes, with where they came from and why in headers), then in the store
 * operators list, retry and discard them from. The batch's offsets move on
 * only after both have them (acks=all), so no event is ever dropped
 * silently; a failure makes the batch come again, and both writes are
 * idempotent for the store (a letter's id is its event's position).
 */
export class DeadLetterPublisher {
  private producer: Producer | null = null;

  constructor(
    private readonly connection: KafkaConnection,
    private readonly store: DeadLetterStore,
  ) {}

  /** `generation`: the read-model generation that could not apply them. */
  async publish(letters: DeadLetter[], generation: number): Promise<void> {
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
    await this.store.park(letters, generation);
  }

  async close(): Promise<void> {
    await this.producer?.disconnect();
  }
}
