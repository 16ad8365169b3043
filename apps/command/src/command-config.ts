import { durationFromEnv, intFromEnv, stringFromEnv } from '@of/platform';
import { DEFAULT_IDEMPOTENCY_TTL_MS } from './command-handling/idempotency.store';

/**
 * Everything the command app takes from its environment (besides the Kafka,
 * HTTP and admin settings both apps share), read and checked once at start:
 * a malformed value stops the start with a message that names it. Every
 * variable is in docs/operations.md and .env.example.
 */
export interface CommandConfig {
  /** The first producer's transactional id; one running instance per id. */
  transactionalId: string;
  producers: number;
  commitTimeoutMs: number;
  /** Group commit linger; see DEFAULT_LINGER_MS. */
  lingerMs: number;
  stateDir: string;
  snapshotTopic: string;
  snapshotIntervalMs: number;
  idempotencyTtlMs: number;
}

/**
 * Group commit linger: Kafka's cost is per transaction far more than per
 * event, so under steady load a short wait gathers several times as many
 * commands per transaction, for less CPU per command and a shorter tail. The
 * wait ends once as many commands wait as the last transaction carried, so a
 * client that waits for each command is not slowed (docs/performance.md).
 */
const DEFAULT_LINGER_MS = 40;

/** Where the state store lives unless STATE_DIR says otherwise (a cache: deleting it costs a rebuild from Kafka). */
const DEFAULT_STATE_DIR = 'data/command-state';

const DAY_MS = 24 * 60 * 60 * 1000;

export function commandConfigFromEnv(env: NodeJS.ProcessEnv = process.env): CommandConfig {
  const transactionalId = stringFromEnv(env, 'KAFKA_TRANSACTIONAL_ID', 'order-fulfillment-command');
  return {
    transactionalId,
    producers: intFromEnv(env, 'KAFKA_TRANSACTIONAL_PRODUCERS', 2, { min: 1, max: 8 }),
    commitTimeoutMs: intFromEnv(env, 'KAFKA_COMMIT_TIMEOUT_MS', 5000, { min: 100, max: 120000 }),
    lingerMs: intFromEnv(env, 'KAFKA_COMMIT_LINGER_MS', DEFAULT_LINGER_MS, { min: 0, max: 1000 }),
    stateDir: stringFromEnv(env, 'STATE_DIR', DEFAULT_STATE_DIR),
    snapshotTopic: stringFromEnv(env, 'STATE_SNAPSHOT_TOPIC', `${transactionalId}-state`),
    snapshotIntervalMs: durationFromEnv(env, 'SNAPSHOT_INTERVAL', 60_000, { minMs: 1000, maxMs: DAY_MS }),
    idempotencyTtlMs: durationFromEnv(env, 'IDEMPOTENCY_TTL', DEFAULT_IDEMPOTENCY_TTL_MS, {
      minMs: 1000,
      maxMs: 30 * DAY_MS,
    }),
  };
}
