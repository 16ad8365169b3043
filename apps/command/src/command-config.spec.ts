import { ConfigError } from '@of/platform';
import { commandConfigFromEnv } from './command-config';

describe("the command app's configuration", () => {
  it('has a default for everything', () => {
    expect(commandConfigFromEnv({})).toEqual({
      transactionalId: 'order-fulfillment-command',
      producers: 2,
      commitTimeoutMs: 5000,
      lingerMs: 40,
      stateDir: 'data/command-state',
      snapshotTopic: 'order-fulfillment-command-state',
      snapshotIntervalMs: 60_000,
      idempotencyTtlMs: 24 * 60 * 60 * 1000,
    });
  });

  it('takes what the environment says, the snapshot topic following the transactional id', () => {
    expect(
      commandConfigFromEnv({ KAFKA_TRANSACTIONAL_ID: 'shop-a', SNAPSHOT_INTERVAL: '5m', IDEMPOTENCY_TTL: '2d' }),
    ).toMatchObject({ snapshotTopic: 'shop-a-state', snapshotIntervalMs: 300_000, idempotencyTtlMs: 172_800_000 });
  });

  it('refuses a malformed value, naming it', () => {
    expect(() => commandConfigFromEnv({ KAFKA_TRANSACTIONAL_PRODUCERS: '0' })).toThrow(ConfigError);
    expect(() => commandConfigFromEnv({ SNAPSHOT_INTERVAL: 'soon' })).toThrow(/SNAPSHOT_INTERVAL/);
  });
});
