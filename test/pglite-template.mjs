/**
 * Jest global setup for the e2e project: `initdb` of an embedded PGlite database costs seconds of WASM work, and
 * every in-process test app needs a fresh database. It is done once here, into a template directory; the first app of
 * the run migrates a copy of it, and test/helpers/app.ts copies that for each app (a copy of a cleanly closed data
 * directory opens in about a second). The apps' data directories live under it too, removed by the global teardown.
 */
import { PGlite } from '@electric-sql/pglite';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default async function createPgliteTemplate() {
  if (process.env.TEST_DATABASE_URL) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latchkey-pglite-template-'));
  const db = await PGlite.create(path.join(dir, 'pg'));
  await db.close();
  process.env.LATCHKEY_TEST_PGLITE_TEMPLATE = dir;
}
