import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { listenSettingsFromEnv } from '@of/platform';
import { QueryAppModule } from './query-app.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(QueryAppModule, new FastifyAdapter());
  app.enableShutdownHooks();
  const { host, port } = listenSettingsFromEnv('QUERY_PORT', 3002);
  await app.listen(port, host);
  new Logger('QueryApp').log(`listening on http://${host}:${port}`);
}

bootstrap().catch((error: unknown) => {
  new Logger('QueryApp').error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
