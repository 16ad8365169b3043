import { MongoClient } from 'mongodb';
import { psqlOnFerretDb } from '../../../test/support/ferretdb-postgres';
import { uniqueName } from '../../../test/support/kafka-test-helpers';

// The event triggers of ferretdb-indexes.sql, through FerretDB as the apps use
// it, checked on the PostgreSQL underneath.
const query = (sql: string): string[] => psqlOnFerretDb(sql).split('\n').filter(Boolean);

/** The fields the GIN indexes of a collection's table are on, sorted. */
function ginFields(schema: string, collection: string): string[] {
  return query(`
    select substring(pg_get_indexdef(i.indexrelid, 1, false) from '-> ''([^'']+)''')
      from pg_index i
      join pg_class c on c.oid = i.indexrelid
      join pg_am am on am.oid = c.relam
      join pg_class t on t.oid = i.indrelid
      join pg_namespace n on n.oid = t.relnamespace
     where am.amname = 'gin' and n.nspname = '${schema}' and t.relname like '${collection}\\_%'
     order by 1`);
}

/** Each statistics target of a collection's table: its document column, then every index, as `kind field target`. */
function statisticsTargets(schema: string, collection: string): string[] {
  return query(`
    select kind || ' ' || coalesce(substring(expr from '-> ''([^'']+)'''), a.attname) || ' ' || a.attstattarget
      from (
        select t.oid as rel, 'table' as kind, null as expr from pg_class t
         where t.relnamespace = '${schema}'::regnamespace and t.relname like '${collection}\\_%' and t.relkind = 'r'
        union all
        select i.indexrelid, am.amname, pg_get_indexdef(i.indexrelid, 1, false) from pg_index i
          join pg_class t on t.oid = i.indrelid
          join pg_class c on c.oid = i.indexrelid
          join pg_am am on am.oid = c.relam
         where t.relnamespace = '${schema}'::regnamespace and t.relname like '${collection}\\_%'
      ) r
      join pg_attribute a on a.attrelid = r.rel and a.attnum = 1
     order by 1`);
}

describe('GIN indexes beside FerretDB’s indexes (scripts/infra/postgres/ferretdb-indexes.sql)', () => {
  const client = new MongoClient(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017/');
  const name = uniqueName('it_gin').replace(/-/g, '_').toLowerCase();
  const items = client.db(name).collection('items');

  afterAll(async () => {
    await client
      .db(name)
      .dropDatabase()
      .catch(() => undefined);
    await client.close();
  });

  it('adds one per leading field, and drops it with the last index that leads with its field', async () => {
    await items.insertOne({ sku: 'a', shelf: 1, bin: 2 });
    await items.createIndexes([
      { key: { shelf: 1, bin: 1 }, name: 'shelf_bin' },
      { key: { shelf: 1 }, name: 'shelf' },
      { key: { bin: 1 }, name: 'bin' },
    ]);
    expect(ginFields(name, 'items')).toEqual(['_id', 'bin', 'shelf']);

    await items.dropIndex('shelf_bin');
    expect(ginFields(name, 'items')).toEqual(['_id', 'bin', 'shelf']);

    await items.dropIndex('bin');
    await items.dropIndex('shelf');
    expect(ginFields(name, 'items')).toEqual(['_id']);
    // Equality finds still work without them.
    expect(await items.findOne({ shelf: 1 })).toMatchObject({ sku: 'a' });
  });

  it('keeps planner statistics only of the btree index expressions, which the estimates come from', async () => {
    const things = client.db(name).collection('things');
    await things.insertOne({ sku: 'b', shelf: 3 });
    await things.createIndex({ shelf: 1 }, { name: 'shelf' });
    // -1: the server's default target; 0: not gathered.
    expect(statisticsTargets(name, 'things')).toEqual([
      'btree _id -1',
      'btree shelf -1',
      'gin _id 0',
      'gin shelf 0',
      'table _jsonb 0',
    ]);
  });
});
