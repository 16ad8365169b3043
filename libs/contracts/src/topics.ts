import type { AggregateType } from './event-envelope';

export interface TopicNames {
  orderEvents: string;
  inventoryEvents: string;
}

export const DEFAULT_TOPIC_NAMES: TopicNames = {
  orderEvents: 'order-events',
  inventoryEvents: 'inventory-events',
};

const TOPIC_NAME = /^[A-Za-z0-9._-]{1,200}$/;

export function topicNamesFromEnv(env: NodeJS.ProcessEnv = process.env): TopicNames {
  const names: TopicNames = {
    orderEvents: env.ORDER_EVENTS_TOPIC || DEFAULT_TOPIC_NAMES.orderEvents,
    inventoryEvents: env.INVENTORY_EVENTS_TOPIC || DEFAULT_TOPIC_NAMES.inventoryEvents,
  };
  for (const name of [names.orderEvents, names.inventoryEvents]) {
    if (!TOPIC_NAME.test(name)) throw new Error(`invalid Kafka topic name: ${JSON.stringify(name)}`);
  }
  if (names.orderEvents === names.inventoryEvents) throw new Error('order and inventory topics must differ');
  return names;
}

/** Each aggregate type has its own topic; the message key is the aggregate id. */
export function topicFor(aggregateType: AggregateType, names: TopicNames): string {
  return aggregateType === 'Order' ? names.orderEvents : names.inventoryEvents;
}

/** The aggregate type whose events a topic holds; null for any other topic. */
export function aggregateTypeOfTopic(topic: string, names: TopicNames): AggregateType | null {
  if (topic === names.orderEvents) return 'Order';
  if (topic === names.inventoryEvents) return 'Inventory';
  return null;
}

export function deadLetterTopic(topic: string): string {
  return `${topic}.dlq`;
}

export function allTopics(names: TopicNames): string[] {
  const main = [names.orderEvents, names.inventoryEvents];
  return [...main, ...main.map(deadLetterTopic)];
}
