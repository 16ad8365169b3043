import type { AggregateType } from '@of/contracts';
import type { SnapshotKey } from './state-snapshot';

/**
 * The key layout of the LMDB state store: a short tag, then its parts.
 * lmdb orders array keys element by element, so every kind sits in one range.
 */
export type Key = SnapshotKey;

export const META = (name: string): Key => ['meta', name];
export const STREAM = (type: AggregateType, id: string): Key => ['s', type, id];
export const ALLOCATION = (productId: string, orderId: string): Key => ['a', productId, orderId];
export const OFFSET = (type: AggregateType, id: string, index: number): Key => ['x', type, id, index];
export const CHECKPOINT = (partition: string): Key => ['c', partition];
export const RESPONSE = (at: number, key: string): Key => ['r', at, key];
/** The keys one write changed, by write sequence number: what the next snapshot round sends. */
export const CHANGES = (sequence: number): Key => ['w', sequence];
/** Sorts after every key that starts with `prefix` and one more element. */
export const after = (...prefix: (string | number)[]): Key => [
  ...prefix.slice(0, -1),
  `${prefix[prefix.length - 1]}\u0000`,
];

/**
 * What one write changed: its keys, and which of them it created, as places
 * in `changed` (a key created and removed again between two snapshot rounds
 * is in no snapshot, so the round sends no removal of it).
 */
export interface ChangeNote {
  changed: Key[];
  created: number[];
}
