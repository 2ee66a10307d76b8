// Jest transform: compiles an ES-module-only dependency to CommonJS, so that a CommonJS package may `require` it
// under Jest as it may under Node >= 20.19 (see jest.config.js).
import ts from 'typescript';

export default {
  process(sourceText, sourcePath) {
    const { outputText } = ts.transpileModule(sourceText, {
      fileName: sourcePath,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, allowJs: true },
    });
    return { code: outputText };
  },
};
