import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

const LATENCY_BUCKETS = [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * One Prometheus registry per app: process metrics, HTTP latency, and what
 * each app adds (commands, Kafka transactions, projections). Served at
 * `/metrics` on the app's own port; the gateway does not route it.
 */
export class MetricsRegistry {
  readonly registry = new Registry();
  private readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly commandDuration: Histogram<'command' | 'status'> | null;

  constructor(
    readonly app: string,
    options: { commands?: boolean } = {},
  ) {
    this.registry.setDefaultLabels({ app });
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    });
    this.commandDuration = options.commands
      ? new Histogram({
          name: 'command_duration_seconds',
          help: 'Command latency, from request to answer, by command (method and route) and status',
          labelNames: ['command', 'status'],
          buckets: LATENCY_BUCKETS,
          registers: [this.registry],
        })
      : null;
  }

  /** Times every request; commands are the API's non-GET routes. */
  instrument(fastify: FastifyInstance): void {
    fastify.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url ?? 'unmatched';
      const seconds = reply.elapsedTime / 1000;
      const status = String(reply.statusCode);
      this.httpDuration.observe({ method: request.method, route, status }, seconds);
      if (this.commandDuration && request.method !== 'GET' && route.startsWith('/api/')) {
        this.commandDuration.observe({ command: `${request.method} ${route}`, status }, seconds);
      }
      done();
    });
  }
}
