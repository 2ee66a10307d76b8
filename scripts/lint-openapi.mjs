// Lints an OpenAPI document (default: openapi.json) with Redocly's rules, then checks the house rules
// that no built-in rule covers (path parameters with a format, closed request bodies, integers typed as
// integers, 413 on every body). Exits 1 on any problem.
import { createConfig, formatProblems, getTotals, lint } from '@redocly/openapi-core';
import fs from 'node:fs';
import path from 'node:path';

const file = path.resolve(process.argv[2] ?? 'openapi.json');

const config = await createConfig({
  extends: ['recommended-strict'],
  rules: {
    'operation-tag-defined': 'error',
    'no-invalid-schema-examples': 'error',
    'no-invalid-parameter-examples': 'error',
    'no-required-schema-properties-undefined': 'error',
    'request-mime-type': { severity: 'error', allowedValues: ['application/json'] },
    'response-mime-type': { severity: 'error', allowedValues: ['application/json'] },
  },
});
const problems = await lint({ ref: file, config });
if (problems.length) formatProblems(problems, { format: 'stylish', totals: getTotals(problems), version: '' });

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];
const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
const resolve = (node) => {
  let n = node;
  while (n?.$ref)
    n = n.$ref
      .slice(2)
      .split('/')
      .reduce((o, k) => o?.[k], doc);
  return n;
};
const jsonSchema = (body) => resolve(body)?.content?.['application/json']?.schema;
const isErrorShape = (schema) =>
  ['statusCode', 'error', 'message', 'code'].every((p) => resolve(schema)?.properties?.[p]);

const house = [];
for (const [route, item] of Object.entries(doc.paths ?? {})) {
  for (const method of METHODS) {
    const op = item[method];
    if (!op) continue;
    const where = `${method.toUpperCase()} ${route}`;
    const fail = (message) => house.push(`${where}: ${message}`);
    if (!op.tags?.length) fail('no tag');
    if (!Array.isArray(op.security)) fail('no explicit `security` (use [] for a public operation)');
    const statuses = Object.keys(op.responses ?? {});
    if (op.security?.length) {
      for (const s of ['401', '403']) if (!statuses.includes(s)) fail(`protected but ${s} is not documented`);
    }
    const hasPathParams = [...(item.parameters ?? []), ...(op.parameters ?? [])].some((p) => resolve(p).in === 'path');
    if (hasPathParams && !statuses.includes('400')) fail('has path parameters but 400 is not documented');
    if (op.requestBody && !jsonSchema(op.requestBody)) fail('request body without an application/json schema');
    for (const p of [...(item.parameters ?? []), ...(op.parameters ?? [])].map(resolve)) {
      const schema = resolve(p.schema) ?? {};
      if (p.in === 'path' && !schema.format && !schema.enum && !schema.pattern)
        fail(`path parameter ${p.name} has no format, enum or pattern`);
      if (schema.type === 'number')
        fail(`${p.in} parameter ${p.name} is typed number: every number here is an integer`);
    }
    const body = op.requestBody && resolve(jsonSchema(op.requestBody));
    if (body) {
      if (body.additionalProperties !== false) fail('request body schema without `additionalProperties: false`');
      for (const [name, prop] of Object.entries(body.properties ?? {}))
        if (resolve(prop)?.type === 'number') fail(`request body field ${name} is typed number, not integer`);
    }
    if (op.requestBody && !statuses.includes('413')) fail('has a request body but 413 is not documented');
    for (const [status, response] of Object.entries(op.responses ?? {})) {
      if (status === '204') continue;
      const schema = jsonSchema(response);
      if (!schema) fail(`${status} response without an application/json schema`);
      else if (/^[45]/.test(status) && !isErrorShape(schema)) fail(`${status} response is not the error shape`);
    }
  }
}
for (const message of house) console.error(`house rule: ${message}`);

const failed = problems.some((p) => p.severity === 'error') || house.length > 0;
console.log(
  failed
    ? `${path.basename(file)}: ${problems.length} Redocly problem(s), ${house.length} house rule problem(s)`
    : `${path.basename(file)}: valid, every operation documented`,
);
process.exit(failed ? 1 : 0);
