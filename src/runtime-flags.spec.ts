import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

/**
 * The Node.js flags the service runs with (BENCHMARKS.md, _Garbage collection_): `npm start`, `start:prod` and the
 * Dockerfile must pass the same ones, and this Node.js must know each of them (an unknown V8 flag is ignored with a
 * warning, so a renamed one would silently fall back to the default).
 */
const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
const flagsOf = (command: string): string[] => {
  const m = /\bnode\s+((?:--\S+\s+)*)dist\/src\/main\.js/.exec(command);
  if (!m) throw new Error(`no "node … dist/src/main.js" in: ${command}`);
  return m[1].split(/\s+/).filter(Boolean);
};

/** The pool size the start scripts and the Dockerfile give libuv, unless UV_THREADPOOL_SIZE is set (password-hasher.ts). */
const POOL = 'UV_THREADPOOL_SIZE=${UV_THREADPOOL_SIZE:-$(($(getconf _NPROCESSORS_ONLN) + 1))} exec node ';

describe('runtime flags', () => {
  const prod = flagsOf(scripts['start:prod']);

  it('are the same in npm start, start:prod and the Dockerfile', () => {
    expect(prod).toEqual(
      expect.arrayContaining([
        '--max-semi-space-size=4',
        '--heap-growing-percent=30',
        '--no-allocation-site-pretenuring',
        '--no-flush-bytecode',
      ]),
    );
    expect(flagsOf(scripts.start)).toEqual(prod);
    const cmd = /^CMD\s+(\[.*\])\s*$/m.exec(readFileSync('Dockerfile', 'utf8'));
    expect(cmd).not.toBeNull();
    const docker = (JSON.parse(cmd![1]) as string[]).join(' ');
    expect(flagsOf(docker)).toEqual(prod);
    // And the same libuv pool, one larger than the cores.
    for (const command of [scripts.start, scripts['start:prod'], docker]) expect(command).toContain(POOL);
  });

  it('give libuv one thread more than the cores, whatever the shell (dash, bash), unless UV_THREADPOOL_SIZE is set', () => {
    const cores = Number(spawnSync('getconf', ['_NPROCESSORS_ONLN'], { encoding: 'utf8' }).stdout.trim());
    const poolOf = (shell: string, env: Record<string, string>) =>
      spawnSync(shell, ['-c', POOL.replace('exec node ', 'exec printenv UV_THREADPOOL_SIZE')], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
      }).stdout.trim();
    for (const shell of ['sh', 'bash']) {
      expect(poolOf(shell, {})).toBe(String(cores + 1));
      expect(poolOf(shell, { UV_THREADPOOL_SIZE: '7' })).toBe('7');
    }
  });

  it('are all known to this Node.js', () => {
    const known = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8' }).stdout;
    for (const flag of prod) {
      const name = flag.replace(/^--(no-)?/, '').replace(/=.*$/, '');
      expect(known).toContain(`--${name} `);
    }
  });
});
