/** Jest global teardown: removes the PGlite template made by test/pglite-template.mjs, and the test apps' data under it. */
import fs from 'node:fs';

export default function removePgliteTemplate() {
  const dir = process.env.LATCHKEY_TEST_PGLITE_TEMPLATE;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
