import { assertKafkaReachable, MissingInfrastructureError } from './infrastructure';

/** End-to-end tests need the whole stack running behind the gateway. */
export default async function e2eGlobalSetup(): Promise<void> {
  const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:8000';
  process.env.GATEWAY_URL = gateway;
  try {
    const response = await fetch(`${gateway}/health`, { signal: AbortSignal.timeout(3000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
  } catch (error) {
    throw new MissingInfrastructureError(
      `The gateway at GATEWAY_URL=${gateway} is not reachable (${(error as Error).message}). ` +
        'Start the whole stack with `make run`, or run `make test`, which starts it.',
    );
  }
  await assertKafkaReachable(process.env.KAFKA_BROKERS ?? '127.0.0.1:9092');
}
