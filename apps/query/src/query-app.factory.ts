import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ProblemDetailsFilter, registerCorrelationId, strictValidationPipe } from '@of/platform';
import { QueryAppModule } from './query-app.module';

/**
 * Builds the query app as `main.ts` runs it; tests use the same function.
 * `serveDocs: false` skips Swagger UI, whose static-file plugin jest cannot load.
 */
export async function createQueryApp(
  options: { logger?: false; serveDocs?: boolean } = {},
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter();
  registerCorrelationId(adapter.getInstance());
  const app = await NestFactory.create<NestFastifyApplication>(QueryAppModule, adapter, {
    logger: options.logger,
    bodyParser: false,
  });
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.useGlobalPipes(strictValidationPipe());
  app.enableShutdownHooks();
  if (options.serveDocs === false) return app;
  SwaggerModule.setup('api-docs/query', app, queryApiDocument(app), { jsonDocumentUrl: 'api-docs/query.json' });
  return app;
}

export function queryApiDocument(app: NestFastifyApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Order Fulfillment: queries')
      .setDescription(
        'The read side: MongoDB read models projected from the event topics. Lists answer ' +
          '{success, data, nextCursor}; errors are application/problem+json.',
      )
      .setVersion('1.0')
      .addBearerAuth()
      .build(),
  );
}
