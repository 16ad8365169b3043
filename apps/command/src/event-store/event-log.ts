/** Bytes per slab; a text longer than this gets a slab of its own. */
const SLAB_BYTES = 4 * 1024 * 1024;
/** Positions are slab * SPAN + offset: plain numbers, stored unboxed in arrays. */
const SPAN = 2 ** 32;
const LENGTH_BYTES = 4;

/**
 * Append-only storage for the texts of the events the store holds, outside
 * the JavaScript heap: each text is written as UTF-8 into large buffers and
 * found again by its position. A million events then cost the garbage
 * collector nothing to trace (as strings they were a million heap objects),
 * and each takes its bytes plus 4.
 */
export class EventLog {
  private slabs: Buffer[] = [];
  private used = 0;

  /** Stores `text`; returns its position. */
  append(text: string): number {
    // UTF-16 to UTF-8 takes at most 3 bytes per code unit: room for the worst case.
    const slab = this.slabWithRoom(LENGTH_BYTES + 3 * text.length);
    const offset = this.used;
    const written = slab.write(text, offset + LENGTH_BYTES, 'utf8');
    return this.commit(slab, offset, written);
  }

  /** Stores UTF-8 bytes as they are (an event read back from Kafka); returns their position. */
  appendBytes(bytes: Uint8Array): number {
    const slab = this.slabWithRoom(LENGTH_BYTES + bytes.length);
    const offset = this.used;
    slab.set(bytes, offset + LENGTH_BYTES);
    return this.commit(slab, offset, bytes.length);
  }

  read(position: number): string {
    const slab = this.slabs[Math.floor(position / SPAN)];
    const offset = position % SPAN;
    if (slab === undefined || offset + LENGTH_BYTES > slab.length) throw new RangeError(`no event at ${position}`);
    const start = offset + LENGTH_BYTES;
    return slab.toString('utf8', start, start + slab.readUInt32LE(offset));
  }

  private slabWithRoom(room: number): Buffer {
    let slab = this.slabs[this.slabs.length - 1];
    if (slab === undefined || this.used + room > slab.length) {
      slab = Buffer.allocUnsafeSlow(Math.max(SLAB_BYTES, room));
      this.slabs.push(slab);
      this.used = 0;
    }
    return slab;
  }

  private commit(slab: Buffer, offset: number, length: number): number {
    slab.writeUInt32LE(length, offset);
    this.used += LENGTH_BYTES + length;
    return (this.slabs.length - 1) * SPAN + offset;
  }

  /** Bytes reserved for texts. */
  get bytes(): number {
    return this.slabs.reduce((sum, slab) => sum + slab.length, 0);
  }

  clear(): void {
    this.slabs = [];
    this.used = 0;
  }
}
