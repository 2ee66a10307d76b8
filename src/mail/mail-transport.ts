import { Logger, type Provider } from '@nestjs/common';
import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';

/** A rendered email as the outbox stores it (kind `email`). */
export interface OutgoingEmail {
  to: string;
  subject: string;
  html: string | null;
  text: string | null;
  fromName: string;
  replyTo: string | null;
}

/** Delivers one rendered email; `outboxId` names it (file name, logs). Rejects when it was not delivered. */
export abstract class MailTransport {
  abstract send(email: OutgoingEmail, outboxId: string): Promise<void>;
}

const TIMEOUT_MS = 10_000;

/** The address part of MAIL_FROM (`Name <address>` or a bare address); the display name is the template's. */
export function fromAddressOf(mailFrom: string): string {
  return /<([^<>\s]+)>\s*$/.exec(mailFrom)?.[1] ?? mailFrom.trim();
}

/**
 * The message as nodemailer sends it. Its Message-ID names the outbox row, so a message sent twice (a worker killed
 * between the server's acceptance and its note of it: the outbox delivers at least once) is one message to a mail
 * client or a receiving server that de-duplicates.
 */
function messageOf(email: OutgoingEmail, fromAddress: string, date: Date, outboxId: string): SendMailOptions {
  const domain = /@([^@\s>]+)$/.exec(fromAddress)?.[1] ?? 'localhost';
  return {
    messageId: `<${outboxId}@${domain}>`,
    // nodemailer quotes or encodes the display name, so it cannot add a header or an address.
    from: { name: email.fromName, address: fromAddress },
    to: email.to,
    replyTo: email.replyTo ?? undefined,
    subject: email.subject,
    html: email.html ?? undefined,
    text: email.text ?? undefined,
    date,
    headers: { 'Auto-Submitted': 'auto-generated' },
    // The content is ours, but nothing in a message may make the mailer read a file or fetch a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

/** SMTP_URL: `smtp://` (STARTTLS when offered; plain to a loopback host) or `smtps://` (implicit TLS). */
export class SmtpTransport extends MailTransport {
  private readonly transporter: Transporter;

  constructor(
    smtpUrl: string,
    private readonly fromAddress: string,
    private readonly clock: Clock,
  ) {
    super();
    const url = URL.canParse(smtpUrl) ? new URL(smtpUrl) : null;
    if (url?.protocol !== 'smtp:' && url?.protocol !== 'smtps:') {
      throw new Error('SMTP_URL must be an smtp:// or smtps:// URL');
    }
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    // Options given in the URL's query (e.g. ?requireTLS=true) override these.
    this.transporter = nodemailer.createTransport({
      url: smtpUrl,
      secure: url.protocol === 'smtps:',
      ignoreTLS: url.protocol === 'smtp:' && loopback,
      connectionTimeout: TIMEOUT_MS,
      greetingTimeout: TIMEOUT_MS,
      socketTimeout: TIMEOUT_MS,
    });
  }

  async send(email: OutgoingEmail, outboxId: string): Promise<void> {
    await this.transporter.sendMail(messageOf(email, this.fromAddress, this.clock.now(), outboxId));
  }
}

/** Without SMTP_URL: each message becomes `<timestamp>-<outbox id>.eml` under DATA_DIR/mail. */
class EmlFileTransport extends MailTransport {
  private readonly transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });

  constructor(
    readonly directory: string,
    private readonly fromAddress: string,
    private readonly clock: Clock,
  ) {
    super();
  }

  async send(email: OutgoingEmail, outboxId: string): Promise<void> {
    const now = this.clock.now();
    const info = await this.transporter.sendMail(messageOf(email, this.fromAddress, now, outboxId));
    await fs.mkdir(this.directory, { recursive: true, mode: 0o700 });
    const name = `${now.toISOString().replace(/[-:.]/g, '')}-${outboxId}.eml`;
    // Owner-only: a reset email holds a live token.
    await fs.writeFile(path.join(this.directory, name), info.message as Buffer, { mode: 0o600 });
  }
}

export const mailTransportProvider: Provider = {
  provide: MailTransport,
  inject: [AppConfig, Clock],
  useFactory: (config: AppConfig, clock: Clock): MailTransport => {
    const from = fromAddressOf(config.mailFrom);
    if (config.smtpUrl) return new SmtpTransport(config.smtpUrl, from, clock);
    const directory = path.join(config.dataDir, 'mail');
    new Logger('Mail').log(`SMTP_URL is not set: emails are written to ${directory}`);
    return new EmlFileTransport(directory, from, clock);
  },
};
