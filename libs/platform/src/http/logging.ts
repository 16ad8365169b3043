import { Module, type Type } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { LoggerModule } from 'nestjs-pino';
import pino, { type Logger as PinoInstance } from 'pino';
import { correlationIdOf } from './correlation-id';

/** The app's root pino logger: JSON lines on stdout, `LOG_LEVEL` (default `info`). */
export function createRootLogger(app: string, enabled: boolean): PinoInstance {
  return pino({ name: app, level: enabled ? (process.env.LOG_LEVEL ?? 'info') : 'silent' });
}

/**
 * The app's module with pino as Nest's logger. nestjs-pino's per-request
 * middleware (a pino-http child logger plus an AsyncLocalStorage scope per
 * request) is left out (`forRoutes: []`): on Node 20 the storage turns on
 * async hooks for every promise in the process, and the two together cost
 * the command app about a fifth of its CPU per registration. Request lines
 * come from `logRequests` instead, and the few lines
 * written for one request carry its correlation id explicitly.
 */
export function withLogging(module: Type, logger: PinoInstance): Type {
  @Module({
    imports: [LoggerModule.forRoot({ pinoHttp: { logger }, forRoutes: [], renameContext: 'context' }), module],
  })
  class LoggedApp {}
  return LoggedApp;
}

/**
 * One line per answered request with its `correlationId`: `error` for 5xx,
 * `warn` for 4xx, `debug` for the rest, so `info` stays quiet under load.
 */
export function logRequests(fastify: FastifyInstance, logger: PinoInstance): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const statusCode = reply.statusCode;
    const level = statusCode >= 500 ? 'error' : statusCode >= 400 ? 'warn' : 'debug';
    if (logger.isLevelEnabled(level)) {
      logger[level](
        {
          correlationId: correlationIdOf(request),
          req: { method: request.method, url: request.url },
          res: { statusCode },
          responseTime: Math.round(reply.elapsedTime),
        },
        'request completed',
      );
    }
    done();
  });
}
