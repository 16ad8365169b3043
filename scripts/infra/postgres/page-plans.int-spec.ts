import { MongoClient } from 'mongodb';
import { psqlOnFerretDb as psql } from '../../../test/support/ferretdb-postgres';
import { uniqueName } from '../../../test/support/kafka-test-helpers';

// How PostgreSQL, as scripts/stack.sh configures it, plans the sorted finds
// the read store sends through FerretDB (the SQL below is the shape the
// project's FerretDB patch pushes them down as). A page must be a scan of
// that page in the index that leads with the filter, however large a share of
// the list the filter keeps: a frequent customer's page read through the
// creation index instead walks every order in between.

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

/** The plan of one pushed-down sorted find, run, with the blocks it touched. */
function explain(table: string, filter: Record<string, string>, before: string, limit: number): PlanNode {
  const fields = Object.keys(filter);
  const conditions = fields.map((_, i) => `_jsonb->$${2 * i + 1} = $${2 * i + 2}`);
  const range = `_jsonb->$${2 * fields.length + 1} < $${2 * fields.length + 2}`;
  const parameters = [
    ...fields.flatMap((field) => [field, JSON.stringify(filter[field])]),
    'creationKey',
    JSON.stringify(before),
    'creationKey',
  ].map((value) => `'${value.replace(/'/g, "''")}'`);
  const sql =
    `PREPARE page AS SELECT _jsonb FROM ${table} WHERE ${[...conditions, range].join(' AND ')}` +
    ` ORDER BY _jsonb->$${2 * fields.length + 3} DESC LIMIT ${limit};\n` +
    `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE page(${parameters.join(', ')});\n`;
  return (JSON.parse(psql(sql)) as [{ Plan: PlanNode }])[0].Plan;
}

const scans = (node: PlanNode): PlanNode[] => [
  ...(node['Index Name'] ? [node] : []),
  ...(node.Plans ?? []).flatMap(scans),
];

describe('page plans on FerretDB’s PostgreSQL (scripts/stack.sh)', () => {
  const client = new MongoClient(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017/');
  const database = uniqueName('it_plans').replace(/-/g, '_').toLowerCase();
  const ORDERS = 20_000;
  const BIG_EVERY = 10;
  let table: string;

  beforeAll(async () => {
    const orders = client.db(database).collection<{ _id: string }>('orders');
    // As the read store indexes order summaries: by creation, and by customer then creation.
    await orders.createIndexes([
      { key: { creationKey: 1 }, name: 'sorted_by_creation' },
      { key: { customerId: 1, creationKey: 1 }, name: 'sorted_by_customerId_creation' },
    ]);
    const packed = 'x'.repeat(900); // a summary's packed fields: rows of about a kilobyte
    for (let start = 0; start < ORDERS; start += 1000) {
      await orders.insertMany(
        Array.from({ length: 1000 }, (_, k) => {
          const i = start + k;
          const id = `order-${String(i).padStart(6, '0')}`;
          const createdAt = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
          return {
            _id: id,
            customerId: i % BIG_EVERY === 0 ? 'big-customer' : `customer-${i % 1000}`,
            creationKey: `${createdAt} ${id}`,
            packed,
          };
        }),
      );
    }
    table = psql(
      `select format('%I.%I', n.nspname, c.relname) from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = '${database}' and c.relname like 'orders\\_%' and c.relkind = 'r'`,
    ).trim();
    psql(`ANALYZE ${table};`);
  });

  afterAll(async () => {
    await client
      .db(database)
      .dropDatabase()
      .catch(() => undefined);
    await client.close();
  });

  it('reads a page of a customer who placed one order in ten from the customer’s index, page-sized', () => {
    const plan = explain(table, { customerId: 'big-customer' }, '2026-01-10T00:00:00.000Z ', 21);
    const [scan] = scans(plan);
    expect(scan?.['Index Name']).toMatch(/_sorted_by_customer/);
    // The page's rows and a few index pages, not the ten times as many orders in between.
    expect((scan['Shared Hit Blocks'] ?? 0) + (scan['Shared Read Blocks'] ?? 0)).toBeLessThan(3 * 21);
  });
});
