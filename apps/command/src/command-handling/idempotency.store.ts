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

export interface IdempotencyOptions {
  /** How long a key is remembered (IDEMPOTENCY_TTL, 24 h as payment APIs do); after that a retry runs anew. */
  ttlMs: number;
  /**
   * The most keys held: past it the oldest are forgotten early, so memory
   * stays bounded under any rate of keyed commands.
   */
  maxEntries?: number;
  /** The time, in epoch milliseconds; tests move it. */
  now?: () => number;
  /** Told, at each sweep, that keys recorded before `cutoff` are forgotten (to forget them where they are kept too). */
  onSweep?: (cutoff: number) => void;
}

export const DEFAULT_IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const DEFAULT_MAX_ENTRIES = 1_000_000;
/** How often expired keys are swept out (besides being ignored at lookup). */
const SWEEP_INTERVAL_MS = 60 * 1000;

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
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  private readonly onSweep: (cutoff: number) => void;
  private lastSweep: number;

  constructor(options: IdempotencyOptions = { ttlMs: DEFAULT_IDEMPOTENCY_TTL_MS }) {
    this.ttlMs = options.ttlMs;
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.now = options.now ?? Date.now;
    this.onSweep = options.onSweep ?? (() => undefined);
    this.lastSweep = this.now();
  }

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
      this.remember(key, fingerprint, response, this.now());
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
    if (!fingerprint || !response || this.expired(occurredAt)) return;
    this.remember(key, fingerprint, JSON.parse(response) as CommandResponse, occurredAt);
  }

  /** Restores a record kept in the state store (its response as JSON). */
  restoreRecord(record: { key: string; fingerprint: string; response: string; at: number }): void {
    if (this.expired(record.at)) return;
    this.remember(record.key, record.fingerprint, JSON.parse(record.response) as CommandResponse, record.at);
  }

  /** How far back a record can still count, in epoch milliseconds. */
  get windowStart(): number {
    return this.now() - this.ttlMs;
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
    if (this.expired(entry.at)) {
      this.entries.delete(key);
      return undefined;
    }
    if (entry.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError();
    return entry.response;
  }

  private expired(at: number): boolean {
    return this.now() - at >= this.ttlMs;
  }

  private remember(key: string, fingerprint: string, response: CommandResponse, at: number): void {
    this.entries.delete(key);
    this.entries.set(key, { fingerprint, response, at });
    // Insertion order is (nearly) age order: drop the oldest when full.
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    if (this.now() - this.lastSweep >= SWEEP_INTERVAL_MS) this.sweep();
  }

  /** Forgets every expired key (a replay inserts keys out of age order, so all are checked). */
  private sweep(): void {
    this.lastSweep = this.now();
    for (const [key, entry] of this.entries) if (this.expired(entry.at)) this.entries.delete(key);
    this.onSweep(this.now() - this.ttlMs);
  }
}
