/**
 * Jest runs the ESM sources through ts-jest; `.js` suffixes on relative imports are stripped.
 * `@fastify/static` (Swagger UI's files) `require`s the ES-module-only `content-disposition`: Node ≥ 20.19
 * loads that natively, Jest's module system does not, so test/esm-to-cjs.mjs compiles that one package to CommonJS
 * when Jest `require`s it.
 */
const common = {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.jest.json', diagnostics: { ignoreCodes: [151002] } }],
    '/node_modules/content-disposition/.+\\.js$': '<rootDir>/test/esm-to-cjs.mjs',
  },
  transformIgnorePatterns: ['/node_modules/(?!(.*/)?content-disposition/)'],
};

export default {
  // Jest's 5 s default is tight for e2e hooks that sign up and hash passwords while two files run at once on 2 cores.
  // A global option: Jest reads no per-project test timeout.
  testTimeout: 60_000,
  projects: [
    { ...common, displayName: 'unit', rootDir: '.', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      rootDir: '.',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/pglite-template.mjs',
      globalTeardown: '<rootDir>/test/pglite-template-teardown.mjs',
    },
  ],
};
