import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { listenSettingsFromEnv } from '@of/platform';
import { CommandAppModule } from './command-app.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(
    CommandAppModule,
    new FastifyAdapter({ bodyLimit: 1024 * 1024 }),
  );
  app.enableShutdownHooks();
  const { host, port } = listenSettingsFromEnv('COMMAND_PORT', 3001);
  await app.listen(port, host);
  new Logger('CommandApp').log(`listening on http://${host}:${port}`);
}

bootstrap().catch((error: unknown) => {
  new Logger('CommandApp').error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
