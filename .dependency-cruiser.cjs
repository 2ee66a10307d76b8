// Module boundaries, checked in CI by `npm run lint:boundaries` (see ARCHITECTURE.md, "One owner per table").
//
// Each folder under src/ is one module and owns the tables of its `*.entity.ts` files. Another module may import an
// entity or repository for its type only (`import type`); it reads or writes the table through the owner's service.
// No import cycle between folders: a module depends only on the modules below it (ARCHITECTURE.md, the layers).
module.exports = {
  forbidden: [
    {
      name: 'no-foreign-entity',
      severity: 'error',
      comment:
        "A module reads and writes only its own tables: import another module's entity or repository with " +
        "`import type`, and call the owning module's service for its rows (ARCHITECTURE.md).",
      from: {
        path: '^src/([^/]+)/',
        // The data source lists every entity for TypeORM's metadata and the migration CLI; it runs no statement.
        pathNot: '^src/database/(database[.]options|data-source)[.]ts$',
      },
      to: {
        path: '^src/([^/]+)/.+[.](entity|repository)[.]ts$',
        pathNot: '^src/$1/',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'passwords-is-a-leaf',
      severity: 'error',
      comment:
        'src/passwords (hasher, policy, strength estimator) touches no database and no module of the application: ' +
        'only the error contract and the pure text helpers of src/common (ARCHITECTURE.md).',
      from: { path: '^src/passwords/' },
      to: { path: '^src/', pathNot: ['^src/passwords/', '^src/common/api-error[.]ts$', '^src/common/unicode[.]ts$'] },
    },
    {
      name: 'passwords-is-a-leaf-no-orm',
      severity: 'error',
      comment: 'src/passwords touches no database.',
      from: { path: '^src/passwords/' },
      to: { path: 'node_modules/(typeorm|@nestjs/typeorm|pg|@electric-sql/pglite)/' },
    },
    {
      name: 'no-folder-cycle',
      severity: 'error',
      comment:
        'No import cycle between folders under src/: a module depends on the modules below it, never back ' +
        '(type-only imports count too).',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '[.]spec[.]ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
