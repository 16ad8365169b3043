import { execFileSync } from 'node:child_process';
import { ferretDbPostgresUrl } from './scratch-ferretdb';

/**
 * Runs SQL with psql on the PostgreSQL under the stack's FerretDB (FerretDB
 * keeps a database in a schema of the same name and a collection in a table
 * named after it) and returns what psql printed, unaligned, without headers.
 */
export function psqlOnFerretDb(sql: string): string {
  const url = ferretDbPostgresUrl().split('?')[0];
  try {
    return execFileSync('psql', [url, '-Atq', '-v', 'ON_ERROR_STOP=1'], { input: sql, encoding: 'utf8' });
  } catch (error) {
    throw new Error(
      `cannot query FerretDB's PostgreSQL at ${url} (start the stack: make infra): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
