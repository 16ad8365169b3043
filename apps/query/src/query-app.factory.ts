import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp } from '@of/platform';
import { QueryAppModule } from './query-app.module';

/** Builds the query app as `main.ts` runs it; tests use the same function. */
export function createQueryApp(options: { logger?: false; serveDocs?: boolean } = {}): Promise<NestFastifyApplication> {
  return createHttpApp(QueryAppModule, {
    ...options,
    name: 'query',
    docs: {
      path: 'api-docs/query',
      title: 'Order Fulfillment: queries',
      description:
        'The read side: MongoDB read models projected from the event topics. Lists answer ' +
        '{success, data, nextCursor}; errors are application/problem+json.',
    },
  });
}
