-- Makes FerretDB 1.24's PostgreSQL backend use indexes for equality finds.
--
-- FerretDB filters with `_jsonb->'field' @> value` but creates btree indexes on
-- `_jsonb->'field'`, which `@>` cannot use: without this every find by `_id`
-- scans the whole table. For each btree index FerretDB creates, this event
-- trigger adds a GIN index on its leading top-level field, unless the table
-- has one on that field already (two compound indexes may lead with the same
-- field; a second GIN index would only slow every insert). When the last btree
-- index leading with a field is dropped, its GIN index goes too.
--
-- Indexes the read store names `sorted_by_*` get no GIN twin: they serve the
-- sorted finds that FerretDB, as this project patches it, pushes down whole,
-- comparing with `=`, `<` and `>`, which the btree index itself answers.
-- Installed in template1 too, so databases created later have it.
--
-- fastupdate = off: with it on, new entries wait in an unsorted pending list
-- (up to 4 MB) that every search scans until a vacuum merges it. Measured at
-- 500 registrations/s: each find by `_id` took 1.74 ms of PostgreSQL time with
-- the list, 0.02 ms without.
--
-- Statistics: the planner estimates FerretDB's filters from the statistics of
-- the btree index expressions (`_jsonb->'field'`). Those of the whole `_jsonb`
-- document and of the GIN twins serve no query, yet they were most of what an
-- ANALYZE did: autovacuum's analyze of a 150,000-entry customer history took
-- 2.4 s of CPU (2.25 s by hand; 0.36-0.46 s without them), and at 500
-- registrations/s the freshness latencies of those seconds went from ~50 to
-- 400-870 ms. So both are not gathered; the estimates stay the same.
CREATE OR REPLACE FUNCTION of_skip_needless_statistics(tbl regclass) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  target record;
BEGIN
  FOR target IN
    SELECT format('ALTER TABLE %s ALTER COLUMN _jsonb SET STATISTICS 0', tbl) AS sql FROM pg_attribute
     WHERE attrelid = tbl AND attname = '_jsonb' AND attstattarget <> 0
    UNION ALL
    SELECT format('ALTER INDEX %s ALTER COLUMN 1 SET STATISTICS 0', c.oid::regclass) FROM pg_index i
      JOIN pg_class c ON c.oid = i.indexrelid
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = 1
     WHERE i.indrelid = tbl AND c.relname LIKE '%\_of\_gin' AND a.attstattarget <> 0
  LOOP
    EXECUTE target.sql;
  END LOOP;
END;
$$;

CREATE OR REPLACE FUNCTION of_gin_for_ferretdb_index() RETURNS event_trigger
LANGUAGE plpgsql AS $$
DECLARE
  cmd record;
  expr text;
  tbl regclass;
BEGIN
  FOR cmd IN SELECT * FROM pg_event_trigger_ddl_commands() WHERE command_tag = 'CREATE INDEX' LOOP
    SELECT i.indrelid::regclass, pg_get_indexdef(cmd.objid, 1, false)
      INTO tbl, expr
      FROM pg_index i
      JOIN pg_class c ON c.oid = i.indexrelid
      JOIN pg_am am ON am.oid = c.relam
     WHERE i.indexrelid = cmd.objid AND am.amname = 'btree' AND c.relname NOT LIKE '%\_sorted\_by\_%';
    -- The leading column of FerretDB's indexes, e.g. ((_jsonb -> '_id'::text)).
    CONTINUE WHEN expr IS NULL OR expr !~ '^\(+_jsonb -> ''[^'']+''::text\)+$';
    IF NOT EXISTS (
      SELECT 1 FROM pg_index gi
        JOIN pg_class gc ON gc.oid = gi.indexrelid
        JOIN pg_am gam ON gam.oid = gc.relam
       WHERE gi.indrelid = tbl AND gam.amname = 'gin' AND pg_get_indexdef(gi.indexrelid, 1, false) = expr
    ) THEN
      EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %s USING gin (%s jsonb_path_ops) WITH (fastupdate = off)',
        left(md5(cmd.object_identity), 20) || '_of_gin', tbl, expr);
    END IF;
    PERFORM of_skip_needless_statistics(tbl);
  END LOOP;
END;
$$;

-- GIN indexes that serve no find only slow every insert: one whose field no
-- btree index of its table leads with any more (the read model dropped that
-- index), and a second one on the same field (made before the trigger above
-- checked for one).
CREATE OR REPLACE FUNCTION of_drop_needless_gins() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  idx text;
BEGIN
  FOR idx IN
    SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_index i ON i.indexrelid = c.oid
     WHERE c.relname LIKE '%\_of\_gin' AND (NOT EXISTS (
       SELECT 1 FROM pg_index o JOIN pg_class oc ON oc.oid = o.indexrelid JOIN pg_am am ON am.oid = oc.relam
        WHERE o.indrelid = i.indrelid AND am.amname = 'btree' AND oc.relname NOT LIKE '%\_sorted\_by\_%'
          AND pg_get_indexdef(o.indexrelid, 1, false) = pg_get_indexdef(i.indexrelid, 1, false)
     ) OR EXISTS (
       SELECT 1 FROM pg_index o JOIN pg_class oc ON oc.oid = o.indexrelid
        WHERE o.indrelid = i.indrelid AND oc.relname LIKE '%\_of\_gin' AND oc.oid < c.oid
          AND pg_get_indexdef(o.indexrelid, 1, false) = pg_get_indexdef(i.indexrelid, 1, false)))
  LOOP
    -- IF EXISTS: each of these drops runs this function again (the trigger below).
    EXECUTE format('DROP INDEX IF EXISTS %s', idx);
  END LOOP;
END;
$$;

CREATE OR REPLACE FUNCTION of_gin_after_index_drop() RETURNS event_trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM of_drop_needless_gins();
END;
$$;

SET client_min_messages = warning;
DROP EVENT TRIGGER IF EXISTS of_gin_for_ferretdb_index;
CREATE EVENT TRIGGER of_gin_for_ferretdb_index ON ddl_command_end
  WHEN TAG IN ('CREATE INDEX')
  EXECUTE FUNCTION of_gin_for_ferretdb_index();
DROP EVENT TRIGGER IF EXISTS of_gin_after_index_drop;
CREATE EVENT TRIGGER of_gin_after_index_drop ON sql_drop
  WHEN TAG IN ('DROP INDEX')
  EXECUTE FUNCTION of_gin_after_index_drop();

-- Indexes made before fastupdate was turned off: turn it off and merge their pending lists.
DO $$
DECLARE
  idx regclass;
BEGIN
  FOR idx IN
    SELECT c.oid::regclass FROM pg_class c JOIN pg_am am ON am.oid = c.relam
     WHERE am.amname = 'gin' AND c.relname LIKE '%\_of\_gin'
       AND NOT coalesce('fastupdate=off' = ANY (c.reloptions), false)
  LOOP
    EXECUTE format('ALTER INDEX %s SET (fastupdate = off)', idx);
    PERFORM gin_clean_pending_list(idx);
  END LOOP;
END;
$$;

-- Indexes dropped before the trigger above existed, and duplicates.
SELECT of_drop_needless_gins();

-- Tables made before statistics were skipped.
SELECT of_skip_needless_statistics(tbl) FROM (
  SELECT DISTINCT i.indrelid::regclass AS tbl FROM pg_index i
    JOIN pg_class c ON c.oid = i.indexrelid
   WHERE c.relname LIKE '%\_of\_gin'
) ferretdb_tables;
