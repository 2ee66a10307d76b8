import { SecretBox } from '../../src/common/secret-box.js';
import type { OutgoingEmail } from '../../src/mail/mail-transport.js';
import { openEmail } from '../../src/mail/outbox-seal.js';
import type { TestApp } from './app.js';

/** A queued email as the worker would send it: its row's payload opened with the app's SECRETS_KEY. */
export function openedEmail(
  t: TestApp,
  row: { id: string; payload: Record<string, unknown> },
): OutgoingEmail & { event?: string } {
  return openEmail(t.app.get(SecretBox), row.id, row.payload);
}
