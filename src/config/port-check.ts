import net from 'node:net';

/** What to tell the operator when `host:port` cannot be listened on, or null for any other error. */
export function listenFailure(err: unknown, host: string, port: number): string | null {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE')
    return `port ${port} on ${host} is already in use by another process: stop it, or set PORT to a free port`;
  if (code === 'EACCES')
    return `no permission to listen on port ${port} on ${host}: set PORT to a port above 1023, or grant the permission`;
  if (code === 'EADDRNOTAVAIL') return `HOST ${host} is not an address of this machine: set HOST (default 0.0.0.0)`;
  return null;
}

/**
 * Listens on `host:port` once and lets go again, so that a busy port stops the start-up before the
 * database is opened (the real listen comes only after every module has started). Throws an Error
 * whose message is the one line for the operator.
 */
export async function assertCanListen(host: string, port: number): Promise<void> {
  const server = net.createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port, exclusive: true }, resolve);
    });
  } catch (err) {
    throw new Error(listenFailure(err, host, port) ?? `cannot listen on ${host}:${port}: ${(err as Error).message}`);
  }
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
