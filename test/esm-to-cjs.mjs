// Jest transform: compiles an ES-module-only dependency to CommonJS when Jest loads it through `require`, as
// Node >= 20.19 itself may (see jest.config.js). Where Jest loads it as an ES module (an `import`, or `require`
// on Node >= 24.9, where Jest supports require(esm)), the source is left as it is.
import { createHash } from 'node:crypto';
import ts from 'typescript';

export default {
  getCacheKey(sourceText, sourcePath, options) {
    return createHash('sha256')
      .update(`${ts.version}\0${options.supportsStaticESM ? 'esm' : 'cjs'}\0${sourcePath}\0${sourceText}`)
      .digest('hex');
  },
  process(sourceText, sourcePath, options) {
    if (options.supportsStaticESM) return { code: sourceText };
    const { outputText } = ts.transpileModule(sourceText, {
      fileName: sourcePath,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, allowJs: true },
    });
    return { code: outputText };
  },
};
