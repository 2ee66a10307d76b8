import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { plainErrorBody } from '../common/all-exceptions.filter.js';
import { apiHeaders } from './security-headers.js';

/** The client errors Node answers before a request exists, by its code: status and message. */
const CLIENT_ERRORS: Record<string, [number, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'The request took too long to arrive.'],
  HPE_HEADER_OVERFLOW: [431, 'The request headers are too large.'],
  HPE_INVALID_METHOD: [400, 'The request method is not one this server knows.'],
};

/**
 * A request Node's HTTP parser refuses (an unknown method, a malformed request line or header, headers
 * too large, too slow): answered on the socket in the contract's error shape, with the security headers
 * and a request id, then the connection is closed.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const [status, message] = CLIENT_ERRORS[err.code ?? ''] ?? [400, 'The request could not be parsed as HTTP.'];
    const body = JSON.stringify(plainErrorBody(status, message));
    const headers: Record<string, string> = {};
    const collect = {
      setHeader: (name: string, value: string | number | readonly string[]) => (headers[name] = String(value)),
      removeHeader: (name: string) => delete headers[name],
      getHeader: (name: string) => headers[name],
    };
    apiHeaders({ headers: {} } as IncomingMessage, collect as unknown as ServerResponse, () => undefined);
    Object.assign(headers, {
      'X-Request-Id': randomUUID(),
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(body)),
      Connection: 'close',
    });
    const head = Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${head}\r\n${body}`);
  }
  socket.destroy(err);
}
