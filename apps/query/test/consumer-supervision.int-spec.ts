import type { Consumer } from 'kafkajs';
import { ScratchKafka } from '../../../test/support/scratch-kafka';
import { type Harness, isolatedTopics, startCommandApp } from '../../command/test/command-app.harness';
import { ProjectionsService } from '../src/projections/projections.service';
import { type QueryHarness, startQueryApp } from './query-app.harness';

const STALL_MS = 3000;
/** The live runner's current consumer (private: a test reaches in to make it stall). */
const liveConsumer = (projections: ProjectionsService): Consumer =>
  (projections as unknown as { live: { supervisor: { consumer: Consumer } } }).live.supervisor.consumer;
const version = (body: { data?: unknown }): number | undefined =>
  (body.data as { version?: number } | undefined)?.version;

describe('the projections consumer when Kafka goes away or the consumer stalls', () => {
  const topics = isolatedTopics();
  const shared = { brokers: process.env.KAFKA_BROKERS, stallMs: process.env.PROJECTION_STALL_MS };
  let kafka: ScratchKafka;
  let command: Harness;
  let query: QueryHarness;

  beforeAll(async () => {
    kafka = await ScratchKafka.create();
    Object.assign(process.env, { KAFKA_BROKERS: kafka.brokers, PROJECTION_STALL_MS: String(STALL_MS) });
    command = await startCommandApp(topics);
    query = await startQueryApp(topics);
  }, 120000);

  afterAll(async () => {
    await query?.close();
    await command?.close();
    await kafka?.destroy();
    process.env.KAFKA_BROKERS = shared.brokers;
    if (shared.stallMs === undefined) delete process.env.PROJECTION_STALL_MS;
    else process.env.PROJECTION_STALL_MS = shared.stallMs;
  });

  it('reports not ready while Kafka is down, and consumes again once it is back', async () => {
    expect((await command.request('PUT', '/api/v1/inventory/ko-a', { quantity: 10 })).status).toBe(200);
    await query.eventually('/api/v1/inventory/ko-a', (body) => version(body) === 1);

    await kafka.stop();
    // Long enough for kafkajs to give up on its retries and crash the consumer.
    await new Promise((resolve) => setTimeout(resolve, 12000));
    const notReady = await query.get('/health/ready');
    expect(notReady.status).toBe(503);
    await kafka.start();

    let accepted = 0;
    for (let attempt = 0; attempt < 120 && accepted !== 200; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      accepted = (await command.request('PUT', '/api/v1/inventory/ko-a', { quantity: 20 })).status;
    }
    expect(accepted).toBe(200);
    const caughtUp = await query.eventually('/api/v1/inventory/ko-a', (body) => version(body) === 2, {
      timeoutMs: 60000,
    });
    expect(caughtUp.data).toMatchObject({ onHand: 20, version: 2 });
    expect((await query.get('/health/ready')).status).toBe(200);
  }, 180000);

  it('replaces a consumer that leaves events unread, and the read model catches up', async () => {
    const projections = query.app.get(ProjectionsService);
    // A consumer that stops fetching without crashing, as kafkajs consumers have been seen to do.
    const live = liveConsumer(projections);
    live.pause([{ topic: topics.orders }, { topic: topics.inventory }]);

    expect((await command.request('PUT', '/api/v1/inventory/ko-b', { quantity: 7 })).status).toBe(200);
    const caughtUp = await query.eventually('/api/v1/inventory/ko-b', (body) => version(body) === 1, {
      timeoutMs: 30000,
    });
    expect(caughtUp.data).toMatchObject({ onHand: 7 });
    const replaced = liveConsumer(projections);
    expect(replaced).not.toBe(live);
    expect((await query.get('/health/ready')).status).toBe(200);
  }, 60000);
});
