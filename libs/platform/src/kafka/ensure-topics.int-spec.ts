import { ConfigResourceTypes } from 'kafkajs';
import { testKafka, uniqueName } from '../../../../test/support/kafka-test-helpers';
import { ensureTopics } from './ensure-topics';
import { kafkaSettingsFromEnv } from './kafka.settings';

describe('ensureTopics against a real broker', () => {
  const admin = testKafka().admin();
  const prefix = uniqueName('it-topics');
  const settings = kafkaSettingsFromEnv('it', {
    ...process.env,
    ORDER_EVENTS_TOPIC: `${prefix}.orders`,
    INVENTORY_EVENTS_TOPIC: `${prefix}.inventory`,
    KAFKA_TOPIC_PARTITIONS: '4',
  });
  const names = [`${prefix}.orders`, `${prefix}.inventory`, `${prefix}.orders.dlq`, `${prefix}.inventory.dlq`];

  beforeAll(() => admin.connect());
  afterAll(async () => {
    await admin.deleteTopics({ topics: names }).catch(() => undefined);
    await admin.disconnect();
  });

  it('creates the event and dead-letter topics with their partitions and unlimited retention', async () => {
    expect((await ensureTopics(admin, settings)).sort()).toEqual([...names].sort());

    const { topics } = await admin.fetchTopicMetadata({ topics: names });
    const partitions = Object.fromEntries(topics.map((topic) => [topic.name, topic.partitions.length]));
    expect(partitions).toEqual({
      [`${prefix}.orders`]: 4,
      [`${prefix}.inventory`]: 4,
      [`${prefix}.orders.dlq`]: 1,
      [`${prefix}.inventory.dlq`]: 1,
    });

    const configs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: `${prefix}.orders`, configNames: ['retention.ms'] }],
    });
    expect(configs.resources[0].configEntries[0]).toMatchObject({ configName: 'retention.ms', configValue: '-1' });
  });

  it('is idempotent: a second call creates nothing', async () => {
    await ensureTopics(admin, settings);
    expect(await ensureTopics(admin, settings)).toEqual([]);
  });
});
