import type { EventEnvelope } from '../event-envelope';
import { CURRENT_SCHEMA_VERSION, EventSchemaError } from './event-schemas';

export type Upcaster = (payload: Record<string, unknown>) => Record<string, unknown>;

/**
 * Lifts stored payloads of an older schemaVersion to the current one, one
 * version at a time, so history in Kafka never has to be rewritten. Register
 * `(eventType, fromVersion)` → function producing the payload of fromVersion + 1.
 */
export class UpcasterRegistry {
  private readonly upcasters = new Map<string, Upcaster>();

  constructor(private readonly currentVersions: Record<string, number> = CURRENT_SCHEMA_VERSION) {}

  register(eventType: string, fromVersion: number, upcaster: Upcaster): this {
    this.upcasters.set(`${eventType}@${fromVersion}`, upcaster);
    return this;
  }

  upcast(envelope: EventEnvelope): EventEnvelope {
    const current = this.currentVersions[envelope.eventType];
    if (current === undefined) throw new EventSchemaError(`unknown event type ${JSON.stringify(envelope.eventType)}`);
    if (envelope.schemaVersion === current) return envelope;
    if (envelope.schemaVersion > current) {
      throw new EventSchemaError(
        `${envelope.eventType} schemaVersion ${envelope.schemaVersion} is newer than ${current}`,
      );
    }
    let payload = envelope.payload as Record<string, unknown>;
    for (let version = envelope.schemaVersion; version < current; version += 1) {
      const upcaster = this.upcasters.get(`${envelope.eventType}@${version}`);
      if (!upcaster) throw new EventSchemaError(`no upcaster for ${envelope.eventType} from schemaVersion ${version}`);
      payload = upcaster(payload);
    }
    return { ...envelope, schemaVersion: current, payload };
  }
}

/** The registry both apps use. Empty while every event type is at version 1. */
export const upcasters = new UpcasterRegistry();
