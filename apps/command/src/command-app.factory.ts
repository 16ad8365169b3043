import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp } from '@of/platform';
import { CommandAppModule } from './command-app.module';

/** Builds the command app as `main.ts` runs it; tests use the same function. */
export function createCommandApp(
  options: { logger?: false; serveDocs?: boolean } = {},
): Promise<NestFastifyApplication> {
  return createHttpApp(CommandAppModule, {
    ...options,
    name: 'command',
    docs: {
      path: 'api-docs/command',
      title: 'Order Fulfillment: commands',
      description:
        'The write side. Every command answers {success, data} with an ETag of the aggregate version, or an ' +
        'application/problem+json error. A 2xx means the events are durable in Kafka.',
    },
  });
}
