import { ConfigError } from '@of/platform';
import { queryConfigFromEnv } from './query-config';

describe("the query app's configuration", () => {
  it('has a default for everything', () => {
    expect(queryConfigFromEnv({})).toEqual({ consumerGroup: 'order-fulfillment-query', stallMs: 30_000 });
  });

  it('refuses a malformed value, naming it', () => {
    expect(() => queryConfigFromEnv({ PROJECTION_STALL_MS: '10' })).toThrow(ConfigError);
    expect(() => queryConfigFromEnv({ PROJECTION_STALL_MS: 'x' })).toThrow(/PROJECTION_STALL_MS/);
  });
});
