import type { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { assertAdminTokenIsPrivate } from '../config/admin-token';
import { problem } from '../errors/problem-details';
import { ProblemDetailsFilter } from '../errors/problem-details.filter';
import { MetricsRegistry } from '../metrics/metrics.registry';
import { registerCorrelationId } from './correlation-id';
import { HTTP_CONVENTIONS } from './api-params';
import { createRootLogger, logRequests, withLogging } from './logging';
import { answerUnroutedApiRequests } from './unrouted-methods';
import { RequestValidationPipe } from './validation';

export interface AppOptions {
  /** Used in logs and metrics. */
  name: string;
  logger?: false;
  /** false skips Swagger UI, whose static-file plugin jest cannot load. */
  serveDocs?: boolean;
  docs: { path: string; title: string; description: string };
}

/**
 * The HTTP setup both apps share: Fastify with a 1 MiB body limit, correlation
 * ids, problem+json errors, strict validation, shutdown hooks and OpenAPI.
 */
export async function createHttpApp(module: Type, options: AppOptions): Promise<NestFastifyApplication> {
  assertAdminTokenIsPrivate(process.env);
  const adapter = new FastifyAdapter({
    bodyLimit: 1024 * 1024,
    // Errors Fastify raises before any route runs (a path parameter over
    // 100 characters, a malformed URL) in the API's problem+json shape too.
    frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
      const status = error.statusCode ?? 400;
      const code = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'URI_TOO_LONG' : 'BAD_REQUEST';
      void reply
        .code(status)
        .type('application/problem+json; charset=utf-8')
        .send(problem(status, code, error.message));
    },
  });
  registerCorrelationId(adapter.getInstance());
  answerUnroutedApiRequests(adapter.getInstance());
  // bodyParser off: Nest would add a form parser; fastify's own JSON parser stays, so anything else is 415.
  const logging = options.logger !== false;
  const logger = createRootLogger(options.name, logging);
  if (logging) logRequests(adapter.getInstance(), logger);
  const app = await NestFactory.create<NestFastifyApplication>(withLogging(module, logger), adapter, {
    logger: options.logger,
    bodyParser: false,
    bufferLogs: logging,
  });
  if (logging) app.useLogger(app.get(Logger));
  // Every app provides a MetricsRegistry; hooks must be added before the server starts.
  app.get(MetricsRegistry).instrument(adapter.getInstance());
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.useGlobalPipes(new RequestValidationPipe());
  app.enableShutdownHooks();
  if (options.serveDocs !== false) {
    SwaggerModule.setup(options.docs.path, app, apiDocument(app, options.docs), {
      jsonDocumentUrl: `${options.docs.path}.json`,
    });
  }
  return app;
}

export function apiDocument(app: NestFastifyApplication, docs: AppOptions['docs']): OpenAPIObject {
  // cleanupOpenApiDoc turns the zod DTOs' schemas into plain OpenAPI 3 schemas.
  return cleanupOpenApiDoc(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle(docs.title)
        .setDescription(docs.description + HTTP_CONVENTIONS)
        .setVersion('1.0')
        .addBearerAuth()
        .build(),
    ),
  );
}
