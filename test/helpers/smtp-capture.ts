import { type ParsedMail, simpleParser } from 'mailparser';
import net from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A message as the capture received it: parsed, with the SMTP envelope recipients. */
export interface CapturedMail extends ParsedMail {
  envelopeTo: string[];
}

/**
 * An in-process SMTP server on 127.0.0.1 that accepts everything (no TLS, no auth) and keeps every
 * message, parsed, in `messages`.
 */
export class SmtpCapture {
  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
    /** Every message received so far, oldest first. */
    readonly messages: CapturedMail[],
  ) {}

  /** Starts listening on `port` (default: a free one). */
  static async start(port = 0): Promise<SmtpCapture> {
    const messages: CapturedMail[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        simpleParser(stream).then(
          (mail) => {
            const envelopeTo = session.envelope.rcptTo.map((r) => r.address);
            messages.push(Object.assign(mail, { envelopeTo }));
            callback();
          },
          (err: Error) => callback(err),
        );
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    return new SmtpCapture(server, (server.server.address() as net.AddressInfo).port, messages);
  }

  /** The SMTP_URL of this server. */
  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** The messages sent to `address` (envelope recipient, case-insensitive). */
  to(address: string): CapturedMail[] {
    return this.messages.filter((m) => m.envelopeTo.some((a) => a.toLowerCase() === address.toLowerCase()));
  }

  /** Resolves with the first message matching `predicate`, polling until `timeoutMs`. */
  async waitFor(predicate: (m: CapturedMail) => boolean, timeoutMs = 5000): Promise<CapturedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching message within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
