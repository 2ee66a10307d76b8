// Module boundaries, checked in CI by `npm run lint:boundaries` (see ARCHITECTURE.md, "One owner per table").
//
// Each folder under src/ is one module and owns the tables of its `*.entity.ts` files. Another module may import an
// entity or repository for its type only (`import type`); it reads or writes the table through the owner's service.
//
// KNOWN_FOREIGN_ENTITY_IMPORTS is a ratchet: the value imports of another module's entity that today's code still has.
// Each line names one importing file and the entity it imports, and matches ARCHITECTURE.md's "Known debt". Remove a
// line when the statement moves into the owner; never add one.
const KNOWN_FOREIGN_ENTITY_IMPORTS = [
  // sign-up inserts the first admin and login reads the user
  ['src/accounts/accounts.service.ts', 'src/users/user.entity.ts'],
  // issuing reads the user and the account in one statement and rebuilds the Account from its columns
  ['src/password-reset/password-reset.service.ts', 'src/accounts/account.entity.ts'],
];

// FOLDERS_STILL_IN_A_CYCLE is the second ratchet: the modules that today's code still ties into one import cycle
// (auth <-> users, auth <-> access-tokens, users <-> accounts/mail/reset-tokens, ...). A cycle is reported from each
// folder on it, so any cycle that passes through a folder not listed here fails the check. Remove a folder once no
// cycle passes through it; never add one.
const FOLDERS_STILL_IN_A_CYCLE = [
  'src/access-tokens',
  'src/accounts',
  'src/auth',
  'src/event-logs',
  'src/mail',
  'src/reset-tokens',
  'src/users',
];

const escape = (path) => path.replace(/[.]/g, '[.]');

const knownFrom = [...new Set(KNOWN_FOREIGN_ENTITY_IMPORTS.map(([from]) => from))];

const foreignEntity = (fromPath, allowedTargets) => ({
  name: 'no-foreign-entity',
  severity: 'error',
  comment:
    "A module reads and writes only its own tables: import another module's entity or repository with " +
    "`import type`, and call the owning module's service for its rows (ARCHITECTURE.md).",
  from: fromPath,
  to: {
    path: '^src/([^/]+)/.+[.](entity|repository)[.]ts$',
    pathNot: ['^src/$1/', ...allowedTargets.map((to) => `^${escape(to)}$`)],
    dependencyTypesNot: ['type-only'],
  },
});

module.exports = {
  forbidden: [
    foreignEntity(
      {
        path: '^src/([^/]+)/',
        pathNot: [
          // The data source lists every entity for TypeORM's metadata and the migration CLI; it runs no statement.
          '^src/database/(database[.]options|data-source)[.]ts$',
          ...knownFrom.map((from) => `^${escape(from)}$`),
        ],
      },
      [],
    ),
    // The known debt: each listed file may keep importing exactly the entities listed for it, and no other.
    ...knownFrom.map((from) =>
      foreignEntity(
        { path: `^${escape(from).replace(/^src\/([^/]+)\//, 'src/($1)/')}$` },
        KNOWN_FOREIGN_ENTITY_IMPORTS.filter(([f]) => f === from).map(([, to]) => to),
      ),
    ),
    {
      name: 'passwords-is-a-leaf',
      severity: 'error',
      comment:
        'src/passwords (hasher, policy, strength estimator) touches no database and no module of the application: ' +
        'only the error contract of src/common (ARCHITECTURE.md).',
      from: { path: '^src/passwords/' },
      to: { path: '^src/', pathNot: ['^src/passwords/', '^src/common/api-error[.]ts$'] },
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
      from: { path: '^src/', pathNot: FOLDERS_STILL_IN_A_CYCLE.map((folder) => `^${folder}(/|$)`) },
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
