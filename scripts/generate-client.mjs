// Writes client/schema.d.ts from the committed openapi.json; with --check, fails when the file is stale.
import fs from 'node:fs';
import openapiTS, { astToString } from 'openapi-typescript';

const root = new URL('../', import.meta.url);
const source = new URL('openapi.json', root);
const target = new URL('client/schema.d.ts', root);

// A default is what the server assumes when a field is left out: such request fields stay optional.
const ast = await openapiTS(JSON.parse(fs.readFileSync(source, 'utf8')), { defaultNonNullable: false });
const generated =
  '/**\n * Generated from openapi.json by `npm run client:generate`. Do not edit.\n */\n\n' + astToString(ast);

if (process.argv.includes('--check')) {
  const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
  if (current !== generated) {
    console.error('client/schema.d.ts is stale: run `npm run client:generate` and commit it');
    process.exit(1);
  }
  console.log('client/schema.d.ts is current');
} else {
  fs.writeFileSync(target, generated);
  console.log('wrote client/schema.d.ts');
}
