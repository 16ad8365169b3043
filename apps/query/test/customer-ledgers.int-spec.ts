import type { ValidEvent } from '@of/contracts';
import { MongoClient } from 'mongodb';
import { uniqueName } from '../../../test/support/kafka-test-helpers';
import type { CustomerOrderDocument } from '../src/customer-history/customer-history.document';
import { customerHistoryProjection } from '../src/customer-history/customer-history.projection';
import type { CustomerLedger } from '../src/customer-history/customer-ledger';
import { CUSTOMER_LEDGERS } from '../src/customer-history/customer-ledger.step';
import { ConcurrentWriteError } from '../src/read-store/document-store';
import type { ConsumedEvent } from '../src/projections/parsed-event';
import { layoutOf, SHARED_DOCUMENT_CODEC } from '../src/read-store/storage-layout';
import { ProjectionEngine } from '../src/projections/projection-engine';
import { collectionNamer } from '../src/projections/projection-state';
import type { IdDocument } from '../src/read-store/stored-document';
import { ledgerProblems } from './customer-ledgers.check';
import { envelope, orderCreated } from './events.fixture';

/** Events as read from one partition, from `offset` on. */
const read = (partition: number, offset: number, events: ValidEvent[]): ConsumedEvent[] =>
  events.map((event, index) => ({
    topic: 'orders',
    partition,
    offset: String(offset + index),
    key: Buffer.from(event.aggregateId),
    value: Buffer.from(JSON.stringify(event)),
    headers: {},
    envelope: event,
    problem: null,
  }));

const cancel = (orderId: string) => envelope('OrderCancelled', orderId, 2, { orderId, reason: null });

describe('customer ledgers against a real MongoDB-wire server', () => {
  const client = new MongoClient(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017/');
  const db = client.db(uniqueName('it_ledgers').replace(/-/g, '_'));
  const namer = collectionNamer(1);
  const engine = () => new ProjectionEngine(db, [customerHistoryProjection]);
  /** Applies a batch and waits until what it wrote behind is written too. */
  const applied = async (writer: ProjectionEngine, events: ConsumedEvent[]) =>
    (await writer.apply(events, namer)).durable;
  const entries = db.collection<IdDocument>(namer(customerHistoryProjection.name));
  const ledgers = db.collection<IdDocument>(namer(CUSTOMER_LEDGERS));

  beforeAll(() => engine().ensureIndexes(namer));
  afterAll(async () => {
    await db.dropDatabase().catch(() => undefined);
    await client.close();
  });

  const state = async (customerId: string) => {
    const storage = layoutOf(customerHistoryProjection).codec;
    const all = (await entries.find({}).toArray()).map((stored) => storage.decode(stored) as CustomerOrderDocument);
    const mine = all.filter((entry) => entry.customerId === customerId);
    const stored = await ledgers.findOne({ _id: customerId });
    const ledger = stored ? (SHARED_DOCUMENT_CODEC.decode(stored) as CustomerLedger) : null;
    return { mine, ledger, problems: ledgerProblems(mine, ledger ? [ledger] : []) };
  };

  it('counts each order once when a batch is delivered again, whole or in part', async () => {
    const p0 = read(0, 0, [orderCreated('r1', 'rc'), orderCreated('r2', 'rc'), cancel('r1')]);
    const p1 = read(1, 0, [orderCreated('r3', 'rc', 'USD')]);
    await applied(engine(), [...p0, ...p1]);
    await applied(engine(), [...p1, ...p0]);
    await applied(engine(), p0.slice(1));
    const { ledger, problems } = await state('rc');
    expect(problems).toEqual([]);
    expect(ledger).toMatchObject({ orderCount: 3 });
  });

  it('loses nothing and counts nothing twice when it dies between the entries and the ledger', async () => {
    await applied(engine(), read(0, 0, [orderCreated('k1', 'kc')]));
    const before = await ledgers.findOne({ _id: 'kc' });
    // The next batch's entries were written, and the ledger write never happened.
    const [k2, k3, k4] = ['k2', 'k3', 'k4'].map((id) => orderCreated(id, 'kc'));
    const k1Cancelled = cancel('k1');
    const next = [...read(0, 1, [k2, k1Cancelled]), ...read(2, 0, [k3])];
    await applied(engine(), next);
    await ledgers.replaceOne({ _id: 'kc' }, before!);
    expect((await state('kc')).problems).not.toEqual([]);
    // Read again after the restart, the other partition first and more of it.
    const restarted = [...read(2, 0, [k3, k4]), ...read(0, 1, [k2, k1Cancelled])];
    await applied(engine(), restarted);
    const { ledger, problems } = await state('kc');
    expect(problems).toEqual([]);
    expect(ledger).toMatchObject({ orderCount: 4 });
  });

  it('refuses a writer whose ledger another writer changed since it read it, and it applies again (a rebalance)', async () => {
    const w0 = read(0, 0, [orderCreated('w0', 'wc')]);
    await applied(engine(), w0);
    const first = engine();
    const second = engine();
    // Both have read the ledger (a redelivery) before either writes.
    await applied(first, w0);
    await applied(second, w0);
    const fromFirst = read(0, 1, [orderCreated('w1', 'wc'), orderCreated('w2', 'wc')]);
    const fromSecond = read(1, 0, [orderCreated('w3', 'wc'), orderCreated('w4', 'wc')]);
    await applied(first, fromFirst);
    await expect(applied(second, fromSecond)).rejects.toBeInstanceOf(ConcurrentWriteError);
    second.forget(); // as the runner does, before it reads again from its committed offsets
    await applied(second, fromSecond);
    const { ledger, problems } = await state('wc');
    expect(problems).toEqual([]);
    expect(ledger).toMatchObject({ orderCount: 5 });
  });

  it('writes a ledger that several batches changed once, behind them, and only then calls them durable', async () => {
    const writer = engine();
    await applied(writer, read(0, 0, [orderCreated('b0', 'bc')]));
    const rev = async (): Promise<unknown> => (await ledgers.findOne({ _id: 'bc' }))?.rev;
    expect(await rev()).toBe(1);
    const second = await writer.apply(read(0, 1, [orderCreated('b1', 'bc')]), namer);
    const third = await writer.apply(read(0, 2, [orderCreated('b2', 'bc')]), namer);
    // The entries are written, the ledger not yet: nothing shows them, nothing may commit their offsets.
    expect(await rev()).toBe(1);
    await Promise.all([second.durable, third.durable]);
    expect(await rev()).toBe(2);
    const { ledger, problems } = await state('bc');
    expect(problems).toEqual([]);
    expect(ledger).toMatchObject({ orderCount: 3 });
  });

  it('numbers the new orders of one batch by creation, however the partitions were interleaved', async () => {
    const a = orderCreated('n1', 'nc');
    const b = orderCreated('n2', 'nc');
    await applied(engine(), [...read(1, 0, [b]), ...read(0, 0, [a])]);
    const { mine, problems } = await state('nc');
    expect(problems).toEqual([]);
    expect(Object.fromEntries(mine.map((entry) => [entry._id, entry.seq]))).toEqual({ n1: 0, n2: 1 });
  });
});
