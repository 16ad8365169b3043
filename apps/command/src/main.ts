import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { listenSettingsFromEnv, ProblemDetailsFilter, registerCorrelationId, strictValidationPipe } from '@of/platform';
import { CommandAppModule } from './command-app.module';

async function bootstrap(): Promise<void> {
  const adapter = new FastifyAdapter({ bodyLimit: 1024 * 1024 });
  registerCorrelationId(adapter.getInstance());
  const app = await NestFactory.create<NestFastifyApplication>(CommandAppModule, adapter);
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.useGlobalPipes(strictValidationPipe());
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Order Fulfillment: commands')
      .setDescription(
        'The write side. Every command answers {success, data} with an ETag of the aggregate version, or an ' +
          'application/problem+json error. A 2xx means the events are durable in Kafka.',
      )
      .setVersion('1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api-docs/command', app, document, { jsonDocumentUrl: 'api-docs/command.json' });

  const { host, port } = listenSettingsFromEnv('COMMAND_PORT', 3001);
  await app.listen(port, host);
  new Logger('CommandApp').log(`listening on http://${host}:${port}`);
}

bootstrap().catch((error: unknown) => {
  new Logger('CommandApp').error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
