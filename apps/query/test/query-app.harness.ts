import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { uniqueName } from '../../../test/support/kafka-test-helpers';
import { ADMIN_TOKEN } from '../../command/test/command-app.harness';
import { ProjectionsService } from '../src/projections/projections.service';
import { createQueryApp } from '../src/query-app.factory';

export interface QueryHarness {
  app: NestFastifyApplication;
  get(
    url: string,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: Record<string, unknown> & { data?: unknown } }>;
  post(url: string, headers?: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Polls `url` until `ready(body)` holds (read models are eventually consistent). */
  eventually<T>(
    url: string,
    ready: (body: Record<string, unknown> & { data?: T }) => boolean,
    options?: { timeoutMs?: number; headers?: Record<string, string> },
  ): Promise<Record<string, unknown> & { data?: T }>;
  close(): Promise<void>;
}

/** Boots the real query app on the given topics, with a database and consumer group of its own. */
export async function startQueryApp(
  topics: { orders: string; inventory: string },
  database = uniqueName('it_query').replace(/-/g, '_'),
): Promise<QueryHarness> {
  Object.assign(process.env, {
    ORDER_EVENTS_TOPIC: topics.orders,
    INVENTORY_EVENTS_TOPIC: topics.inventory,
    MONGO_DB: database,
    KAFKA_CONSUMER_GROUP: `${database}-group`,
    ADMIN_TOKEN,
  });
  const app = await createQueryApp({ logger: false, serveDocs: false });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const projections = app.get(ProjectionsService);
  const deadline = Date.now() + 30000;
  while (!projections.ready) {
    if (Date.now() > deadline) throw new Error(`query app did not start: ${projections.lastError ?? 'no error'}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const request = async (method: 'GET' | 'POST', url: string, headers: Record<string, string> = {}) => {
    const response = await app.inject({ method, url, headers });
    return {
      status: response.statusCode,
      body: JSON.parse(response.body) as Record<string, unknown> & { data?: unknown },
    };
  };
  return {
    app,
    get: (url, headers) => request('GET', url, headers),
    post: (url, headers) => request('POST', url, headers),
    async eventually(url, ready, options: { timeoutMs?: number; headers?: Record<string, string> } = {}) {
      const { timeoutMs = 20000, headers = {} } = options;
      const until = Date.now() + timeoutMs;
      for (;;) {
        const { body } = await request('GET', url, headers);
        if (ready(body as never)) return body as never;
        if (Date.now() > until)
          throw new Error(`${url} did not reach the expected state; last answer: ${JSON.stringify(body)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    close: () => app.close(),
  };
}
