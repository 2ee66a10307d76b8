import fs from 'node:fs';
import path from 'node:path';
import { type AddressObject, simpleParser } from 'mailparser';
import { OutboxService } from '../../src/mail/outbox.service.js';
import type { TestApp } from './app.js';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** Runs the outbox until it is empty, then reads every email written so far (.eml files under DATA_DIR/mail). */
export async function mailbox(t: TestApp): Promise<Mail[]> {
  const outbox = t.app.get(OutboxService);
  while ((await outbox.drain()) > 0);
  const dir = path.join(t.dataDir, 'mail');
  if (!fs.existsSync(dir)) return [];
  return Promise.all(
    fs.readdirSync(dir).map(async (file) => {
      const m = await simpleParser(fs.readFileSync(path.join(dir, file)));
      return { to: (m.to as AddressObject).value[0].address ?? '', subject: m.subject ?? '', text: m.text ?? '' };
    }),
  );
}
