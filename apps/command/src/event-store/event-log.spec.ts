import { EventLog } from './event-log';

describe('EventLog', () => {
  it('gives back every text by its position, multi-byte characters included', () => {
    const log = new EventLog();
    const texts = ['{"a":1}', 'Zürich – 東京 – 🚚', '', 'x'.repeat(1000)];
    const positions = texts.map((text) => log.append(text));
    expect(positions.map((position) => log.read(position))).toEqual(texts);
  });

  it('spills into new slabs, and takes a text larger than a slab', () => {
    const log = new EventLog();
    const big = 'é'.repeat(3 * 1024 * 1024); // 6 MiB of UTF-8, more than one slab
    const texts = Array.from({ length: 20_000 }, (_, i) => `event-${i}-${'p'.repeat(i % 500)}`);
    const positions = texts.map((text) => log.append(text));
    const bigAt = log.append(big);
    const after = log.append('after');
    expect(positions.every((position, i) => log.read(position) === texts[i])).toBe(true);
    expect(log.read(bigAt)).toBe(big);
    expect(log.read(after)).toBe('after');
    expect(log.bytes).toBeGreaterThan(6 * 1024 * 1024);
  });

  it('keeps bytes as they are, mixed with texts, across slabs', () => {
    const log = new EventLog();
    const texts = Array.from({ length: 30_000 }, (_, i) => `{"n":${i},"city":"Zürich ${'p'.repeat(i % 300)}"}`);
    const positions = texts.map((text, i) =>
      i % 2 === 0 ? log.appendBytes(Buffer.from(text, 'utf8')) : log.append(text),
    );
    expect(positions.every((position, i) => log.read(position) === texts[i])).toBe(true);
    expect(log.bytes).toBeGreaterThan(4 * 1024 * 1024);
  });

  it('forgets everything on clear', () => {
    const log = new EventLog();
    const position = log.append('gone');
    log.clear();
    expect(() => log.read(position)).toThrow(RangeError);
    expect(log.bytes).toBe(0);
  });
});
