// Module hooks for a worker thread started from the TypeScript sources (under Jest, where src/ has no .js files):
// a relative `./x.js` import resolves to `./x.ts` when only that exists, and a .ts file is transpiled to an ES
// module with the project's TypeScript (no type check: tsc does that). Registered by ts-worker.mjs.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export async function resolve(specifier, context, next) {
  if (/^\.{1,2}\/.*\.js$/.test(specifier) && context.parentURL?.endsWith('.ts')) {
    const asTs = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
    if (!fs.existsSync(new URL(specifier, context.parentURL)) && fs.existsSync(asTs)) {
      return { url: asTs.href, shortCircuit: true };
    }
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return next(url, context);
  const { outputText } = ts.transpileModule(fs.readFileSync(fileURLToPath(url), 'utf8'), {
    fileName: fileURLToPath(url),
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2023, sourceMap: false },
  });
  return { format: 'module', source: outputText, shortCircuit: true };
}
