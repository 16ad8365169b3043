export const AGGREGATE_TYPES = ['Order', 'Inventory'] as const;
export type AggregateType = (typeof AGGREGATE_TYPES)[number];

/** The JSON value of every Kafka message on the event topics. */
export interface EventEnvelope<TType extends string = string, TPayload = unknown> {
  eventId: string;
  eventType: TType;
  schemaVersion: number;
  aggregateType: AggregateType;
  aggregateId: string;
  /** Contiguous per aggregate, starting at 1. */
  aggregateVersion: number;
  /** ISO-8601 UTC. */
  occurredAt: string;
  correlationId: string;
  causationId: string | null;
  payload: TPayload;
}
