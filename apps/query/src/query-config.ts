import { intFromEnv, stringFromEnv } from '@of/platform';
import { DEFAULT_STALL_MS } from './projections/consumer-supervisor';

/**
 * Everything the query app takes from its environment (besides the Kafka,
 * MongoDB, HTTP and admin settings both apps share), read and checked once at
 * start. Every variable is in docs/operations.md and .env.example.
 */
export interface QueryConfig {
  /** Each generation of the read models consumes as `<consumerGroup>-g<generation>`. */
  consumerGroup: string;
  /** See SupervisorOptions.stallMs. */
  stallMs: number;
}

export function queryConfigFromEnv(env: NodeJS.ProcessEnv = process.env): QueryConfig {
  return {
    consumerGroup: stringFromEnv(env, 'KAFKA_CONSUMER_GROUP', 'order-fulfillment-query'),
    stallMs: intFromEnv(env, 'PROJECTION_STALL_MS', DEFAULT_STALL_MS, { min: 1000, max: 3_600_000 }),
  };
}
