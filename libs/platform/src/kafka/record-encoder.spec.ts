/**
 * kafkajs encodes every record it produces (each event, each snapshot record)
 * with its Record encoder, which is patched for speed
 * (patches/kafkajs+2.2.4.patch, ADR 0007): one buffer per record, headers
 * written in place, varints written straight into it, and a 31-bit varlong
 * without Long arithmetic. These tests hold it to the bytes the released
 * encoder gave for the same records, and to what kafkajs's decoder reads back.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the module kafkajs's producer uses, not part of its typed API
const encodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0') as (record: RecordInput) => {
  buffer: Buffer;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports -- kafkajs's reader of the protocol, not part of its typed API
const Decoder = require('kafkajs/src/protocol/decoder') as new (buffer: Buffer) => {
  offset: number;
  readVarInt(): number;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the module kafkajs's consumer uses, not part of its typed API
const decodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0/decoder') as (
  decoder: unknown,
  batch: { firstOffset: string; firstTimestamp: string; magicByte: number },
) => { offset: string; timestamp: string; key: Buffer | null; value: Buffer | null; headers: Record<string, unknown> };

interface RecordInput {
  offsetDelta: number;
  timestampDelta: number;
  key: Buffer | string | null;
  value: Buffer | string | null;
  headers: Record<string, string | Buffer | string[]>;
}

/** Records, and the bytes kafkajs 2.2.4 as released encoded each into (hex). */
const RELEASED: [RecordInput, string][] = [
  [
    {
      offsetDelta: 0,
      timestampDelta: 0,
      key: Buffer.from('["s","Order","o-1"]'),
      value: Buffer.from('{"v":1}'),
      headers: { 'state-generation': '5', 'state-schema': '2' },
    },
    '8401000000265b2273222c224f72646572222c226f2d31225d0e7b2276223a317d042073746174652d67656e65726174696f6e02351873746174652d736368656d610232',
  ],
  [{ offsetDelta: 300, timestampDelta: 1234567, key: null, value: null, headers: {} }, '14008eda9601d804010100'],
  [
    {
      offsetDelta: 70000,
      timestampDelta: -5,
      key: Buffer.from('k'),
      value: Buffer.from('é'.repeat(70)),
      headers: { a: ['1', '2'], b: Buffer.from([0, 255]) },
    },
    `c6020009e0c508026b9802${'c3a9'.repeat(70)}06026102310261023202620400ff`,
  ],
  [
    { offsetDelta: 1, timestampDelta: 2 ** 40, key: 'string key', value: 'string value ü', headers: { h: '' } },
    '4e008080808080400214737472696e67206b65791e737472696e672076616c756520c3bc02026800',
  ],
];

describe("kafkajs's Record encoder, patched", () => {
  it.each(RELEASED.map(([record, hex], index) => [index, record, hex] as const))(
    'encodes record %i as the released encoder did',
    (_index, record, hex) => {
      expect(encodeRecord(record).buffer.toString('hex')).toBe(hex);
    },
  );

  it('writes what the decoder reads back, across the varint and varlong sizes', () => {
    for (const delta of [
      0,
      1,
      -1,
      63,
      64,
      8191,
      8192,
      2 ** 20,
      -(2 ** 30),
      2 ** 30 - 1,
      2 ** 30,
      2 ** 35,
      -(2 ** 35),
    ]) {
      const offsetDelta = Math.abs(delta) % 2 ** 31;
      const value = 'v'.repeat(Math.abs(delta) % 300);
      const { buffer } = encodeRecord({
        offsetDelta,
        timestampDelta: delta,
        key: `k${delta}`,
        value,
        headers: { h: 'x' },
      });
      const decoder = new Decoder(buffer);
      const length = decoder.readVarInt(); // the rest of the record
      expect(buffer.length - decoder.offset).toBe(length);
      const decoded = decodeRecord(decoder, { firstOffset: '1000', firstTimestamp: String(2 ** 40), magicByte: 2 });
      expect({
        offset: decoded.offset,
        timestamp: decoded.timestamp,
        key: decoded.key?.toString(),
        value: decoded.value?.toString(),
        headers: Object.fromEntries(Object.entries(decoded.headers).map(([k, v]) => [k, String(v)])),
      }).toEqual({
        offset: String(1000 + offsetDelta),
        timestamp: String(2 ** 40 + delta),
        key: `k${delta}`,
        value,
        headers: { h: 'x' },
      });
    }
  });
});
