import { createHash } from 'node:crypto';
import { IdempotencyKeyReusedError } from '@of/platform';
import type { CommandResponse } from './command-response';

export const IDEMPOTENCY_HEADERS = {
  key: 'idempotency-key',
  fingerprint: 'idempotency-fingerprint',
  response: 'idempotency-response',
} as const;

interface Entry {
  fingerprint: string;
  response: CommandResponse;
  at: number;
}

/** Keys are remembered this long, as payment APIs do; older retries run anew. */
const RETENTION_MS = 24 * 60 * 60 * 1000;
const MAX_ENTRIES = 1_000_000;

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Identifies a request: the same method, path and body (key order aside) give the same fingerprint. */
export function fingerprintOf(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${canonical(body ?? null)}`)
    .digest('base64url');
}

/** A replay says so, so a client can tell a retry from a first run. */
const replayed = (response: CommandResponse): CommandResponse => ({
  ...response,
  headers: { ...response.headers, 'idempotent-replayed': 'true' },
});

/**
 * Remembers the first response per Idempotency-Key. The record also travels
 * in Kafka headers with the command's events, so a restarted app still knows it.
 */
export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, { fingerprint: string; result: Promise<CommandResponse> }>();

  /** Runs `execute` once per key; a retry gets the first response, a different request with the key 422. */
  async run(
    key: string,
    fingerprint: string,
    execute: (headers: (response: CommandResponse) => Record<string, string>) => Promise<CommandResponse>,
  ): Promise<CommandResponse> {
    const known = this.lookup(key, fingerprint);
    if (known) return replayed(known);
    const running = this.inFlight.get(key);
    if (running) {
      if (running.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError();
      return replayed(await running.result);
    }
    const result = execute((response) => ({
      [IDEMPOTENCY_HEADERS.key]: key,
      [IDEMPOTENCY_HEADERS.fingerprint]: fingerprint,
      [IDEMPOTENCY_HEADERS.response]: JSON.stringify(response),
    }));
    this.inFlight.set(key, { fingerprint, result });
    try {
      const response = await result;
      this.remember(key, fingerprint, response, Date.now());
      return response;
    } finally {
      this.inFlight.delete(key);
    }
  }

  /** Restores a record read back from Kafka headers during recovery. */
  restore(event: { header(name: string): string | undefined; timestamp: number }): void {
    const key = event.header(IDEMPOTENCY_HEADERS.key);
    if (!key) return; // most events: the command had no Idempotency-Key
    const fingerprint = event.header(IDEMPOTENCY_HEADERS.fingerprint);
    const response = event.header(IDEMPOTENCY_HEADERS.response);
    const occurredAt = event.timestamp;
    if (!fingerprint || !response || Date.now() - occurredAt > RETENTION_MS) return;
    this.remember(key, fingerprint, JSON.parse(response) as CommandResponse, occurredAt);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private lookup(key: string, fingerprint: string): CommandResponse | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (Date.now() - entry.at > RETENTION_MS) {
      this.entries.delete(key);
      return undefined;
    }
    if (entry.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError();
    return entry.response;
  }

  private remember(key: string, fingerprint: string, response: CommandResponse, at: number): void {
    this.entries.delete(key);
    this.entries.set(key, { fingerprint, response, at });
    // Insertion order is age order: drop the oldest when full.
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
  }
}
