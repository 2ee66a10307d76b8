import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** Another live process holds the data directory. */
class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holderPid: number | null,
  ) {
    super(
      `DATA_DIR ${dataDir} is in use by another Latchkey process (${holderPid ? `pid ${holderPid}` : 'pid unknown'}): ` +
        'the embedded database serves one process; give this one another DATA_DIR, or, to run several instances on ' +
        'one database, set DATABASE_URL to a PostgreSQL database',
    );
    this.name = 'DataDirLockedError';
  }
}

/**
 * The directory's identity, not its spelling: its device and inode, so symlinks and bind mounts of one directory
 * (which differ in their real paths) collide. The real path only where the file system has no inode numbers.
 */
function identity(dataDir: string): string {
  const st = fs.statSync(dataDir);
  return st.ino ? `${st.dev}:${st.ino}` : `${st.dev}:${fs.realpathSync(dataDir)}`;
}

/** One held lock per directory in this process, shared by everyone who opens it. */
const held = new Map<string, { server: Promise<net.Server>; users: number }>();

/**
 * The lock is a listening local socket named after the directory: the kernel releases it the instant
 * its process dies, even on SIGKILL, so no stale lock (pid file, mtime lease) can block a restart or be
 * misjudged after pid reuse, and bind() is atomic, so two starters can never both win. On Linux it is an
 * abstract socket (no file at all; one per network namespace, so containers sharing a volume are not
 * covered), on Windows a named pipe, elsewhere a socket file in the temp directory whose leftover from
 * a killed process is recognised by a refused connection and replaced.
 */
export function lockAddress(dataDir: string): string {
  const id = createHash('sha256').update(identity(dataDir)).digest('hex').slice(0, 32);
  if (process.platform === 'linux') return `\0latchkey-data-dir-${id}`;
  if (process.platform === 'win32') return `\\\\?\\pipe\\latchkey-data-dir-${id}`;
  return path.join(os.tmpdir(), `latchkey-data-dir-${id}.sock`);
}

function listen(address: string): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    // Whoever connects is told the holder's pid, for the refusal message. A client that hangs up first (an asker
    // that gave up, anyone else on the machine) is no error of the holder's: without a listener it would end it.
    const server = net.createServer((socket) => {
      socket.on('error', () => socket.destroy());
      socket.end(`${process.pid}\n`);
    });
    server.once('error', reject);
    server.listen({ path: address, exclusive: true }, () => {
      server.off('error', reject);
      server.unref();
      resolve(server);
    });
  });
}

/** The pid the holder reports; null when nothing answers (a leftover socket file) or it is too busy to say. */
function askHolder(address: string): Promise<number | null | 'gone'> {
  return new Promise((resolve) => {
    let text = '';
    const socket = net.connect({ path: address });
    socket.setTimeout(3000, () => {
      socket.destroy();
      resolve(null);
    });
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('end', () => resolve(/^\d+$/.test(text.trim()) ? Number(text.trim()) : null));
    socket.on('error', (err: NodeJS.ErrnoException) =>
      resolve(err.code === 'ECONNREFUSED' || err.code === 'ENOENT' ? 'gone' : null),
    );
  });
}

async function acquire(dataDir: string): Promise<net.Server> {
  const address = lockAddress(dataDir);
  for (let attempt = 0; ; attempt++) {
    try {
      return await listen(address);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      const holder = await askHolder(address);
      // Only a socket file can outlive its process; its owner is gone when nobody accepts on it.
      if (holder === 'gone' && attempt === 0 && path.isAbsolute(address)) {
        fs.rmSync(address, { force: true });
        continue;
      }
      throw new DataDirLockedError(dataDir, typeof holder === 'number' ? holder : null);
    }
  }
}

/**
 * Takes this process's exclusive hold on `dataDir` (created if missing), or throws DataDirLockedError
 * when another process has it. Calls within one process share the hold; it ends with the last release
 * or with the process.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  fs.mkdirSync(dataDir, { recursive: true });
  const key = identity(dataDir);
  const entry = held.get(key) ?? { server: acquire(dataDir), users: 0 };
  if (!held.has(key)) {
    held.set(key, entry);
    entry.server.catch(() => held.delete(key));
  }
  const server = await entry.server;
  entry.users++;
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    if (--entry.users > 0) return;
    held.delete(key);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
}
