import type { DataSource } from 'typeorm';
import { openTestDataSource } from './support/delivery-harness.js';

/**
 * `synchronize` is off and migrations own the schema; the entities must still describe it exactly, or TypeORM's
 * queries and a future generated migration go wrong. The test database is migrated by `prepareTestDatabase`.
 */
describe('migrations and entities agree', () => {
  let db: DataSource;

  beforeAll(async () => {
    db = await openTestDataSource();
  });

  afterAll(async () => {
    await db?.destroy();
  });

  it('TypeORM would change nothing in the migrated schema', async () => {
    const sql = await db.driver.createSchemaBuilder().log();
    expect(sql.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('every partial index has the predicate its entity declares (TypeORM does not compare predicates)', async () => {
    const partial = db.entityMetadatas.flatMap((m) =>
      m.indices.filter((i) => i.where).map((i) => ({ table: m.tableName, name: i.name, columns: i.columns.map((c) => c.databaseName), where: i.where! })),
    );
    expect(partial.map((i) => i.name)).toContain('batches_open_idx');

    // Let Postgres normalise the entity's predicate the way it normalised the migration's: build the same index on a
    // temporary copy of the table and compare the deparsed predicates.
    const runner = db.createQueryRunner();
    await runner.connect();
    try {
      for (const index of partial) {
        const probe = `probe_${index.table}`;
        await runner.query(`CREATE TEMP TABLE ${probe} (LIKE ${index.table})`);
        await runner.query(`CREATE INDEX ${probe}_idx ON ${probe} (${index.columns.join(', ')}) WHERE ${index.where}`);
        const [row]: { migrated: string | null; declared: string | null }[] = await runner.query(
          `SELECT (SELECT pg_get_expr(i.indpred, i.indrelid) FROM pg_index i WHERE i.indexrelid = to_regclass($1)) AS migrated,
                  (SELECT pg_get_expr(i.indpred, i.indrelid) FROM pg_index i WHERE i.indexrelid = to_regclass($2)) AS declared`,
          [`public.${index.name}`, `${probe}_idx`],
        );
        expect({ index: index.name, predicate: row?.declared }).toEqual({ index: index.name, predicate: row?.migrated });
        expect(row?.migrated).toEqual(expect.any(String));
        await runner.query(`DROP TABLE ${probe}`);
      }
    } finally {
      await runner.release();
    }
  });
});
