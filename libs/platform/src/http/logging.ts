import type { IncomingMessage, ServerResponse } from 'node:http';
import { Module, type Type } from '@nestjs/common';
import { LoggerModule, type Params } from 'nestjs-pino';
import { acceptCorrelationId } from './correlation-id';

/**
 * Structured JSON logs (pino) for one app. Every line written while a request
 * is handled carries its `correlationId`, the same id the events of that
 * request keep in their metadata. Successful requests are logged at `debug`
 * only, so `info` (the default `LOG_LEVEL`) stays quiet under load.
 */
export function loggingSettings(app: string, enabled: boolean): Params {
  return {
    pinoHttp: {
      name: app,
      level: enabled ? (process.env.LOG_LEVEL ?? 'info') : 'silent',
      genReqId: (request: IncomingMessage) => acceptCorrelationId(request.headers),
      // On every line logged for the request, at the top level.
      customProps: (request: IncomingMessage & { id?: unknown }) => ({ correlationId: request.id }),
      customLogLevel: (_request: IncomingMessage, response: ServerResponse, error?: Error) =>
        error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'debug',
      serializers: {
        req: (request: { method: string; url: string }) => ({ method: request.method, url: request.url }),
        res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
      },
    },
    renameContext: 'context',
  };
}

/** The app's module with pino logging around it. */
export function withLogging(module: Type, app: string, enabled: boolean): Type {
  @Module({ imports: [LoggerModule.forRoot(loggingSettings(app, enabled)), module] })
  class LoggedApp {}
  return LoggedApp;
}
