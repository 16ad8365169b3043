import { kafkaSettingsFromEnv } from '../kafka/kafka.settings';
import { mongoSettingsFromEnv } from '../mongo/mongo.settings';
import { listenSettingsFromEnv } from '../http/listen-settings';
import { ConfigError, durationFromEnv, intFromEnv } from './env';

describe('settings from the environment', () => {
  it('uses the local defaults when nothing is set', () => {
    expect(kafkaSettingsFromEnv('svc', {})).toEqual({
      brokers: ['127.0.0.1:9092'],
      clientId: 'svc',
      topics: { orderEvents: 'order-events', inventoryEvents: 'inventory-events' },
      partitions: 6,
    });
    expect(mongoSettingsFromEnv({})).toEqual({ url: 'mongodb://127.0.0.1:27017/', database: 'order_fulfillment' });
    expect(listenSettingsFromEnv('COMMAND_PORT', 3001, 'COMMAND_SOCKET', {})).toEqual({
      host: '127.0.0.1',
      port: 3001,
      socketPath: null,
    });
  });

  it('parses broker lists and ports', () => {
    const kafka = kafkaSettingsFromEnv('svc', {
      KAFKA_BROKERS: 'kafka:9092, 10.0.0.2:19092',
      KAFKA_TOPIC_PARTITIONS: '3',
    });
    expect(kafka.brokers).toEqual(['kafka:9092', '10.0.0.2:19092']);
    expect(kafka.partitions).toBe(3);
    expect(listenSettingsFromEnv('P', 1, 'S', { P: '8080', HOST: '0.0.0.0', S: '/run/app.sock' })).toEqual({
      host: '0.0.0.0',
      port: 8080,
      socketPath: '/run/app.sock',
    });
  });

  it.each([
    { load: () => kafkaSettingsFromEnv('svc', { KAFKA_BROKERS: 'localhost' }), key: 'KAFKA_BROKERS' },
    { load: () => kafkaSettingsFromEnv('svc', { KAFKA_TOPIC_PARTITIONS: '0' }), key: 'KAFKA_TOPIC_PARTITIONS' },
    { load: () => mongoSettingsFromEnv({ MONGO_URL: 'http://x' }), key: 'MONGO_URL' },
    { load: () => mongoSettingsFromEnv({ MONGO_DB: 'a.b' }), key: 'MONGO_DB' },
    { load: () => intFromEnv({ PORT: '80x' }, 'PORT', 1), key: 'PORT' },
    { load: () => intFromEnv({ PORT: '70000' }, 'PORT', 1), key: 'PORT' },
    { load: () => durationFromEnv({ TTL: '86400' }, 'TTL', 1, { minMs: 1, maxMs: 1e12 }), key: 'TTL' },
    { load: () => durationFromEnv({ TTL: '1w' }, 'TTL', 1, { minMs: 1, maxMs: 1e12 }), key: 'TTL' },
    { load: () => durationFromEnv({ TTL: '0s' }, 'TTL', 1, { minMs: 1000, maxMs: 1e12 }), key: 'TTL' },
  ])('rejects a malformed $key', ({ load, key }) => {
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(key);
  });

  it('reads durations with a unit', () => {
    const read = (value?: string) => durationFromEnv({ TTL: value }, 'TTL', 42, { minMs: 1, maxMs: 1e12 });
    expect(read()).toBe(42);
    expect(read('24h')).toBe(86_400_000);
    expect(read('90m')).toBe(5_400_000);
    expect(read('3600s')).toBe(3_600_000);
    expect(read('2d')).toBe(172_800_000);
    expect(read('500ms')).toBe(500);
  });
});
