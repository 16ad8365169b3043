import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ProblemDetailsFilter, registerCorrelationId, strictValidationPipe } from '@of/platform';
import { CommandAppModule } from './command-app.module';

/**
 * Builds the command app as `main.ts` runs it; tests use the same function.
 * `serveDocs: false` skips Swagger UI, whose static-file plugin jest cannot load.
 */
export async function createCommandApp(
  options: { logger?: false; serveDocs?: boolean } = {},
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: 1024 * 1024 });
  registerCorrelationId(adapter.getInstance());
  // bodyParser off: Nest would add a form parser; fastify's own JSON parser stays, so anything else is 415.
  const app = await NestFactory.create<NestFastifyApplication>(CommandAppModule, adapter, {
    logger: options.logger,
    bodyParser: false,
  });
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.useGlobalPipes(strictValidationPipe());
  app.enableShutdownHooks();

  if (options.serveDocs === false) return app;
  SwaggerModule.setup('api-docs/command', app, commandApiDocument(app), { jsonDocumentUrl: 'api-docs/command.json' });
  return app;
}

export function commandApiDocument(app: NestFastifyApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
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
}
