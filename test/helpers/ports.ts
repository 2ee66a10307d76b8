import fs from 'node:fs';
import net from 'node:net';

/**
 * Ports for the processes and servers a test starts itself, each Jest worker from its own block of
 * `BLOCK` ports below the kernel's ephemeral range.
 *
 * A port the kernel hands out for `listen(0)` is free only until someone else asks: SuperTest listens
 * on `127.0.0.1:0` for every request of the in-process apps, thousands of times per run, and another
 * worker's request could take the port between this worker's choice and its service's own listen (and
 * answer its `/health`). Ports outside the ephemeral range are never handed out that way, and the
 * workers' blocks do not overlap.
 */
const FIRST = 20_000;
const BLOCK = 500;

/** The lowest ephemeral port, from Linux's setting; elsewhere (macOS: 49152) the range starts higher. */
export function ephemeralLow(): number {
  try {
    return Number(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32_768;
  } catch {
    return 32_768;
  }
}

const blocks = Math.floor((ephemeralLow() - FIRST) / BLOCK);
const worker = Number(process.env.JEST_WORKER_ID ?? 1);
const blockStart = blocks > 0 ? FIRST + ((worker - 1) % blocks) * BLOCK : 0;
/** Where the next search starts: a random place in the block, so two runs side by side rarely meet. */
let cursor = Math.floor(Math.random() * BLOCK);

/** Listens on 127.0.0.1:`port` (0: any the kernel picks) and lets go again: the port it had, or null when taken. */
async function bindAndRelease(port: number): Promise<number | null> {
  const server = net.createServer();
  const bound = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => resolve(true));
  });
  if (!bound) return null;
  const taken = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return taken;
}

/** A free TCP port on 127.0.0.1 (nothing listens on it once this resolves), from this worker's block. */
export async function freePort(): Promise<number> {
  if (blockStart)
    for (let tried = 0; tried < BLOCK; tried++) {
      const port = await bindAndRelease(blockStart + (cursor++ % BLOCK));
      if (port !== null) return port;
    }
  // No room below the ephemeral range, or the whole block is taken: any port the kernel picks.
  return (await bindAndRelease(0))!;
}

/**
 * Whether process `pid` holds the socket listening on 127.0.0.1:`port` or 0.0.0.0:`port` (Linux: /proc); true where
 * /proc cannot tell. A health probe alone cannot say whose server answered.
 */
export function listensOn(pid: number, port: number): boolean {
  let table: string;
  try {
    table = fs.readFileSync('/proc/net/tcp', 'utf8');
  } catch {
    return true;
  }
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const inodes = new Set<string>();
  for (const line of table.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    // local_address (127.0.0.1 or 0.0.0.0), rem_address, st (0A: LISTEN), … inode (the tenth field).
    if ((fields[1] === `0100007F${hex}` || fields[1] === `00000000${hex}`) && fields[3] === '0A') inodes.add(fields[9]);
  }
  if (inodes.size === 0) return false;
  try {
    return fs
      .readdirSync(`/proc/${pid}/fd`)
      .some((fd) => inodes.has(/^socket:\[(\d+)\]$/.exec(safeReadlink(`/proc/${pid}/fd/${fd}`))?.[1] ?? ''));
  } catch {
    return false;
  }
}

function safeReadlink(file: string): string {
  try {
    return fs.readlinkSync(file);
  } catch {
    return '';
  }
}
