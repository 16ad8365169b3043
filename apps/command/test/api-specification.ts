import type { AggregateType } from '@of/contracts';
import type { DomainEvent } from '../src/event-store/aggregates';
import { EventStore } from '../src/event-store/event-store';
import { ADMIN_TOKEN, commandContext, type Harness, type Reply } from './command-app.harness';

/** Events a stream already holds before the request: appended at its current version, as one command. */
export interface GivenStream {
  type: AggregateType;
  id: string;
  events: DomainEvent[];
}

export interface ApiRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One thing the answer must show: noted before the request, checked after it. */
export interface Expectation {
  before(store: EventStore): void;
  check(reply: Reply, harness: Harness): Promise<void>;
}

/** The response's status and, field by field, the parts of its body named. */
export function expectResponse(status: number, body?: Record<string, unknown>): Expectation {
  return {
    before: () => undefined,
    check: (reply) => {
      expect({ status: reply.status, body: reply.body }).toMatchObject(body ? { status, body } : { status });
      return Promise.resolve();
    },
  };
}

/**
 * The events the request added to one stream, in order, each matched by type
 * and the payload fields named; read back from Kafka (the admin API), not
 * from the app's memory. The id may come from the answer (a new order's id).
 */
export function expectNewEvents(
  type: AggregateType,
  id: string | ((reply: Reply) => string),
  events: { type: string; data?: Record<string, unknown> }[],
): Expectation {
  let versionBefore = 0;
  return {
    before(store) {
      versionBefore = typeof id === 'string' ? store.committedVersion(type, id) : 0;
    },
    async check(reply, harness) {
      const streamId = typeof id === 'string' ? id : id(reply);
      const read = await harness.request(
        'GET',
        `/api/v1/admin/events/${streamId}?type=${type}&fromVersion=${versionBefore + 1}`,
        undefined,
        { authorization: `Bearer ${ADMIN_TOKEN}` },
      );
      const added = read.status === 404 ? [] : ((read.body.data?.events ?? []) as Record<string, unknown>[]);
      expect(added.map((event) => ({ type: event.eventType, data: event.payload }))).toMatchObject(
        events.map((event) => ({ type: event.type, data: event.data ?? {} })),
      );
    },
  };
}

/** The request added nothing to the stream (a refused command records nothing). */
export function expectNoNewEvents(type: AggregateType, id: string): Expectation {
  return expectNewEvents(type, id, []);
}

/**
 * Given/when/then for the command API, in the shape of Emmett's API
 * specifications: given the events some streams hold (appended through the
 * app's own event store, so Kafka has them), when a request, then the
 * response and the events the request added. Against the real app and a
 * real broker (see command-app.harness.ts).
 */
export function apiSpecification(harness: () => Harness): {
  given(...streams: GivenStream[]): { when(request: ApiRequest): { then(...expected: Expectation[]): Promise<void> } };
} {
  return {
    given: (...streams) => ({
      when: (request) => ({
        async then(...expected) {
          const app = harness();
          const store = app.app.get(EventStore);
          for (const stream of streams) {
            const expectedVersion = store.committedVersion(stream.type, stream.id);
            const change = { type: stream.type, id: stream.id, expectedVersion, events: stream.events };
            await store.append([change], commandContext()).durable;
          }
          for (const expectation of expected) expectation.before(store);
          const reply = await app.request(request.method, request.url, request.body, request.headers);
          for (const expectation of expected) await expectation.check(reply, app);
        },
      }),
    }),
  };
}
