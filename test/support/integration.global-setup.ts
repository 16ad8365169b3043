import { KafkaContainer } from '@testcontainers/kafka';
import { MongoDBContainer } from '@testcontainers/mongodb';
import {
  assertKafkaReachable,
  assertMongoReachable,
  dockerEngineAvailable,
  HOW_TO_START,
  MissingInfrastructureError,
} from './infrastructure';

declare global {
  var __OF_CONTAINERS__: { stop(): Promise<unknown> }[] | undefined;
}

/**
 * Integration tests use the Kafka and MongoDB-wire server named by the
 * environment (the infra scripts set it). With neither set, a Docker engine
 * lets Testcontainers provide them; without one, the run fails and says how
 * to start them. Workers inherit the process.env set here.
 */
export default async function integrationGlobalSetup(): Promise<void> {
  const { KAFKA_BROKERS, MONGO_URL } = process.env;
  if (KAFKA_BROKERS && MONGO_URL) {
    await assertKafkaReachable(KAFKA_BROKERS);
    await assertMongoReachable(MONGO_URL);
    return;
  }
  if (!dockerEngineAvailable()) {
    throw new MissingInfrastructureError(
      `KAFKA_BROKERS and MONGO_URL are not set and no Docker engine is available for Testcontainers. ${HOW_TO_START}`,
    );
  }
  const kafka = await new KafkaContainer('confluentinc/cp-kafka:7.7.1').withKraft().start();
  const mongo = await new MongoDBContainer('mongo:7').start();
  globalThis.__OF_CONTAINERS__ = [kafka, mongo];
  process.env.KAFKA_BROKERS = `${kafka.getHost()}:${kafka.getMappedPort(9093)}`;
  process.env.MONGO_URL = `${mongo.getConnectionString()}/?directConnection=true`;
}
