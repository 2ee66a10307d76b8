import { createRequire } from 'node:module';
import { PreparedQuery } from './prepared-statements.js';

const require = createRequire(import.meta.url);

interface Field {
  name: string;
  dataTypeID: number;
  format: string;
}
interface Result {
  rows: Record<string, unknown>[];
  fields: Field[];
  rowCount: number | null;
  command: string | null;
  _parsers: unknown[];
}
/** The protocol side of a node-postgres query, as the client drives it (pg/lib/client.js). */
interface Driven {
  name?: string;
  callback?: (err: Error | null, result?: Result) => void;
  _result: Result;
  handleRowDescription(msg: { fields: Field[] }): void;
  handleDataRow(msg: { fields: (string | null)[] }): void;
  handleCommandComplete(msg: { text: string }, connection: unknown): void;
  handleReadyForQuery(connection: unknown): void;
  prepare(connection: unknown): void;
}
const { Query } = require('pg') as { Query: new (text: string, values: unknown[]) => Driven };

const field = (name: string, dataTypeID: number): Field => ({ name, dataTypeID, format: 'text' });
const USER = [field('id', 2950), field('age', 23), field('created_at', 1184), field('metadata', 3802), field('ok', 16)];
const ROWS: (string | null)[][] = [
  ['4f9c4a5e-2b0c-4d51-9a35-7a8f0c3b6e11', '42', '2026-11-30 18:13:42.13+00', '{"a": [1, "x"]}', 't'],
  ['0b6e0c7e-8f7b-4f1a-b7b6-3a1b2c3d4e5f', null, '2026-01-01 00:00:00+00', null, 'f'],
];

/** Runs `query` as the client would on these messages and returns what its callback got. */
function drive(query: Driven, fields: Field[], rows: (string | null)[][]): Result {
  let got: Result | undefined;
  query.callback = (err, result) => {
    if (err) throw err;
    got = result;
  };
  query.handleRowDescription({ fields: fields.map((f) => ({ ...f })) });
  for (const r of rows) query.handleDataRow({ fields: [...r] });
  query.handleCommandComplete({ text: `SELECT ${rows.length}` }, {});
  query.handleReadyForQuery({});
  if (!got) throw new Error('no result');
  return got;
}

const prepared = (shapes: Map<string, never>, name = 'lk_user') => {
  const q = new PreparedQuery('SELECT …', [], shapes) as unknown as Driven;
  q.name = name;
  return q;
};

describe('PreparedQuery', () => {
  it("gives the rows and fields node-postgres' own Query gives, run after run", () => {
    const shapes = new Map<string, never>();
    const plain = new Query('SELECT …', []);
    plain.name = 'lk_user';
    const expected = drive(plain, USER, ROWS);
    for (let run = 0; run < 3; run++) {
      const got = drive(prepared(shapes), USER, ROWS);
      expect(got.rows).toEqual(expected.rows);
      expect(got.fields).toEqual(expected.fields);
      expect(got.rowCount).toBe(2);
      expect(got.command).toBe('SELECT');
    }
    expect(expected.rows[0]).toEqual({
      id: ROWS[0][0],
      age: 42,
      created_at: new Date('2026-11-30T18:13:42.130Z'),
      metadata: { a: [1, 'x'] },
      ok: true,
    });
  });

  it("reuses the first run's parsers for the same statement, and each run's rows are its own", () => {
    const shapes = new Map<string, never>();
    const first = prepared(shapes);
    const a = drive(first, USER, ROWS);
    const second = prepared(shapes);
    const b = drive(second, USER, ROWS);
    expect(second._result._parsers).toBe(first._result._parsers);
    a.rows[0].age = 7;
    expect(b.rows[0].age).toBe(42);
    expect(drive(prepared(shapes), USER, ROWS).rows[0].age).toBe(42);
  });

  it('builds afresh when the columns differ, and for another statement', () => {
    const shapes = new Map<string, never>();
    const first = prepared(shapes);
    drive(first, USER, ROWS);
    const retyped = [...USER.slice(0, 1), field('age', 25), ...USER.slice(2)];
    const changed = prepared(shapes);
    const got = drive(changed, retyped, ROWS);
    expect(changed._result._parsers).not.toBe(first._result._parsers);
    expect(got.rows[0].age).toBe('42');
    const other = prepared(shapes, 'lk_other');
    const rows = drive(other, [field('n', 20)], [['9007199254740993']]).rows;
    expect(rows).toEqual([{ n: '9007199254740993' }]);
  });

  describe('on the wire', () => {
    type Mapper = (value: unknown, index: number) => unknown;
    /** node-postgres' connection as Query.prepare uses it: records the messages it would send. */
    const connection = () => {
      const sent: string[] = [];
      const c = {
        sent,
        parsedStatements: {} as Record<string, string>,
        submittedNamedStatements: {} as Record<string, string>,
        parse: ({ name }: { name: string }) => sent.push(`Parse ${name}`),
        // As pg-protocol's serializer does: each value through the query's mapper, which may throw.
        bind: ({ statement, values, valueMapper }: { statement: string; values: unknown[]; valueMapper: Mapper }) =>
          sent.push(`Bind ${statement} ${JSON.stringify(values.map((v, i) => valueMapper(v, i)))}`),
        describe: () => sent.push('Describe'),
        execute: () => sent.push('Execute'),
        sync: () => sent.push('Sync'),
        flush: () => sent.push('Flush'),
        close: () => sent.push('Close'),
      };
      return c;
    };
    /** As the server answers: a RowDescription only when Describe was sent. */
    const run = (q: Driven, c: ReturnType<typeof connection>, rows: (string | null)[][]): Result => {
      const before = c.sent.length;
      q.prepare(c);
      const described = c.sent.slice(before).includes('Describe');
      let got: Result | undefined;
      q.callback = (err, result) => {
        if (err) throw err;
        got = result;
      };
      if (described) q.handleRowDescription({ fields: USER.map((f) => ({ ...f })) });
      for (const r of rows) q.handleDataRow({ fields: [...r] });
      q.handleCommandComplete({ text: `SELECT ${rows.length}` }, c);
      q.handleReadyForQuery(c);
      c.parsedStatements[q.name!] = 'SELECT …';
      if (!got) throw new Error('no result');
      return got;
    };

    it('describes a statement once per connection, then reads its rows with the kept shape', () => {
      const shapes = new Map<string, never>();
      const c = connection();
      const plain = new Query('SELECT …', []);
      plain.name = 'lk_user';
      const expected = drive(plain, USER, ROWS);

      const first = run(prepared(shapes), c, ROWS);
      expect(c.sent).toEqual(['Parse lk_user', 'Bind lk_user []', 'Describe', 'Execute', 'Sync']);
      c.sent.length = 0;
      const second = run(prepared(shapes), c, ROWS);
      expect(c.sent).toEqual(['Bind lk_user []', 'Execute', 'Sync']);
      for (const got of [first, second]) {
        expect(got.rows).toEqual(expected.rows);
        expect(got.fields).toEqual(expected.fields);
        expect(got.rowCount).toBe(2);
      }
      // Another connection has not parsed it: node-postgres' own way there.
      const other = connection();
      run(prepared(shapes), other, ROWS);
      expect(other.sent).toEqual(['Parse lk_user', 'Bind lk_user []', 'Describe', 'Execute', 'Sync']);
    });

    it('keeps describing a statement whose rows it never saw described, and fails a parameter it cannot send', () => {
      const shapes = new Map<string, never>();
      const c = connection();
      c.parsedStatements.lk_update = 'UPDATE …';
      run(prepared(shapes, 'lk_update'), c, []);
      expect(c.sent).toEqual(['Bind lk_update []', 'Describe', 'Execute', 'Sync']);

      run(prepared(shapes), c, ROWS);
      c.sent.length = 0;
      const q = new PreparedQuery(
        'SELECT …',
        [
          {
            toPostgres: () => {
              throw new Error('unsendable');
            },
          },
        ],
        shapes,
      );
      q.name = 'lk_user';
      let failed: Error | null = null;
      (q as unknown as Driven).callback = (err) => (failed = err);
      (q as unknown as Driven).prepare(c);
      expect(c.sent).toEqual(['Close', 'Sync']);
      expect(failed).toEqual(new Error('unsendable'));
    });
  });
});
