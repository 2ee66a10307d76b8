import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { createTestApp, type TestApp } from './helpers/app.js';

/** PostgreSQL prints a predicate as `((used_at IS NULL) AND (revoked_at IS NULL))`, `(status = 'pending'::text)`. */
const predicate = (sql: string | undefined) =>
  (sql ?? '')
    .replace(/::text\b/g, '')
    .replace(/[()\s"]/g, '')
    .toLowerCase();

/**
 * The entities (src/**\/*.entity.ts) declare what migrations/ creates: after every migration has run, TypeORM's
 * schema builder — what `npm run migration:generate` would write — proposes nothing. Runs on the embedded
 * database, and on PostgreSQL when TEST_DATABASE_URL is set.
 */
describe(`schema drift (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let t: TestApp;
  let dataSource: DataSource;

  beforeAll(async () => {
    t = await createTestApp();
    dataSource = t.app.get(DataSource);
  }, 120_000);
  afterAll(async () => t?.close());

  it('the schema builder proposes no change after the migrations', async () => {
    const { upQueries } = await dataSource.driver.createSchemaBuilder().log();
    expect(upQueries.map((q) => q.query)).toEqual([]);
  });

  // The builder compares an index by name, uniqueness and columns only, not by its WHERE clause.
  it("every partial index's predicate is the migration's", async () => {
    const runner = dataSource.createQueryRunner();
    try {
      const tables = await runner.getTables(dataSource.entityMetadatas.map((m) => m.tablePath));
      const partial = dataSource.entityMetadatas.flatMap((m) =>
        m.indices.filter((i) => i.where).map((i) => ({ table: m.tableName, name: i.name, where: i.where })),
      );
      expect(partial.length).toBeGreaterThan(0);
      for (const index of partial) {
        const inDb = tables.find((tb) => tb.name === index.table)?.indices.find((i) => i.name === index.name);
        expect({ name: index.name, where: predicate(inDb?.where) }).toEqual({
          name: index.name,
          where: predicate(index.where),
        });
      }
    } finally {
      await runner.release();
    }
  });
});
