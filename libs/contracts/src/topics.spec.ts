import {
  aggregateTypeOfTopic,
  allTopics,
  deadLetterTopic,
  DEFAULT_TOPIC_NAMES,
  topicFor,
  topicNamesFromEnv,
} from './topics';

describe('topic names', () => {
  it('defaults to the contract names', () => {
    expect(topicNamesFromEnv({})).toEqual({ orderEvents: 'order-events', inventoryEvents: 'inventory-events' });
  });

  it('takes names from the environment', () => {
    const names = topicNamesFromEnv({ ORDER_EVENTS_TOPIC: 'o.v1', INVENTORY_EVENTS_TOPIC: 'i.v1' });
    expect(names).toEqual({ orderEvents: 'o.v1', inventoryEvents: 'i.v1' });
  });

  it('rejects invalid or clashing names', () => {
    expect(() => topicNamesFromEnv({ ORDER_EVENTS_TOPIC: 'bad name' })).toThrow('invalid Kafka topic name');
    expect(() => topicNamesFromEnv({ ORDER_EVENTS_TOPIC: 'x', INVENTORY_EVENTS_TOPIC: 'x' })).toThrow('must differ');
  });

  it('routes each aggregate type to its topic and names dead-letter topics', () => {
    expect(topicFor('Order', DEFAULT_TOPIC_NAMES)).toBe('order-events');
    expect(topicFor('Inventory', DEFAULT_TOPIC_NAMES)).toBe('inventory-events');
    expect(deadLetterTopic('order-events')).toBe('order-events.dlq');
    expect(allTopics(DEFAULT_TOPIC_NAMES)).toEqual([
      'order-events',
      'inventory-events',
      'order-events.dlq',
      'inventory-events.dlq',
    ]);
  });

  it('knows which aggregate type a topic holds, and no type for any other topic', () => {
    expect(aggregateTypeOfTopic('order-events', DEFAULT_TOPIC_NAMES)).toBe('Order');
    expect(aggregateTypeOfTopic('inventory-events', DEFAULT_TOPIC_NAMES)).toBe('Inventory');
    expect(aggregateTypeOfTopic('order-events.dlq', DEFAULT_TOPIC_NAMES)).toBeNull();
  });
});
