import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';

export const HOW_TO_START =
  'Start the local infrastructure with `make infra` (Kafka and the MongoDB-wire server, no Docker needed), ' +
  'or run everything with `make test`, which starts what it needs. ' +
  'To use servers of your own, set KAFKA_BROKERS and MONGO_URL.';

export class MissingInfrastructureError extends Error {
  override readonly name = 'MissingInfrastructureError';
}

export function dockerEngineAvailable(): boolean {
  if (!process.env.DOCKER_HOST && !existsSync('/var/run/docker.sock')) return false;
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

export async function assertKafkaReachable(brokers: string): Promise<void> {
  const admin = new Kafka({
    clientId: 'test-infrastructure-check',
    brokers: brokers.split(','),
    connectionTimeout: 2000,
    logLevel: logLevel.NOTHING,
    retry: { retries: 2 },
  }).admin();
  try {
    await admin.connect();
    await admin.describeCluster();
  } catch (error) {
    throw new MissingInfrastructureError(
      `Kafka at KAFKA_BROKERS=${brokers} is not reachable (${(error as Error).message}). ${HOW_TO_START}`,
    );
  } finally {
    await admin.disconnect();
  }
}

export async function assertMongoReachable(url: string): Promise<void> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 3000 });
  try {
    await client.db('admin').command({ ping: 1 });
  } catch (error) {
    throw new MissingInfrastructureError(
      `The MongoDB-wire server at MONGO_URL=${url} is not reachable (${(error as Error).message}). ${HOW_TO_START}`,
    );
  } finally {
    await client.close();
  }
}
