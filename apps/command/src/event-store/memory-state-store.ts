import type { AggregateType } from '@of/contracts';
import type { StateStore, StateWriteBatch, StoredResponse, StoredStream } from './state-store';

/**
 * A state store in plain maps, gone with the process: for unit tests and for
 * tools that stage events without an app (the bench's history generator).
 * Same contract as the LMDB store, written at once.
 */
export class MemoryStateStore implements StateStore {
  private readonly streams = new Map<string, Omit<StoredStream, 'allocations'>>();
  private readonly held = new Map<string, Map<string, number>>();
  private readonly index = new Map<string, number[]>();
  private readonly covered = new Map<string, number>();
  private stored: StoredResponse[] = [];
  private events = 0;
  private streamCount = 0;

  load(type: AggregateType, id: string): StoredStream | null {
    const stream = this.streams.get(`${type}:${id}`);
    if (!stream) return null;
    return { ...stream, allocations: type === 'Inventory' ? [...(this.held.get(id) ?? [])] : [] };
  }

  offsets(type: AggregateType, id: string): number[] {
    return [...(this.index.get(`${type}:${id}`) ?? [])];
  }

  checkpoint(): Map<string, number> {
    return new Map(this.covered);
  }

  counts(): { events: number; streams: number } {
    return { events: this.events, streams: this.streamCount };
  }

  write(batch: StateWriteBatch): Promise<void> {
    for (const [key, { stored }] of batch.streams) this.streams.set(key, stored);
    for (const { productId, orderId, held } of batch.allocations.values()) {
      let product = this.held.get(productId);
      if (!product) this.held.set(productId, (product = new Map<string, number>()));
      if (held > 0) product.set(orderId, held);
      else product.delete(orderId);
    }
    for (const { type, id, index, offset } of batch.offsets) {
      const key = `${type}:${id}`;
      const offsets = this.index.get(key) ?? [];
      offsets[index] = offset;
      this.index.set(key, offsets);
    }
    for (const [partition, next] of batch.checkpoint) {
      this.covered.set(partition, Math.max(next, this.covered.get(partition) ?? 0));
    }
    this.stored.push(...batch.responses);
    this.events += batch.events;
    this.streamCount += batch.newStreams;
    return Promise.resolve();
  }

  flushed(): Promise<void> {
    return Promise.resolve();
  }

  responses(since: number): StoredResponse[] {
    return this.stored.filter((response) => response.at >= since).sort((a, b) => a.at - b.at);
  }

  forgetResponses(cutoff: number): Promise<void> {
    this.stored = this.stored.filter((response) => response.at >= cutoff);
    return Promise.resolve();
  }

  clear(): Promise<void> {
    for (const map of [this.streams, this.held, this.index, this.covered]) map.clear();
    this.stored = [];
    this.events = 0;
    this.streamCount = 0;
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
