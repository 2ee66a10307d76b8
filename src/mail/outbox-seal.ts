import type { SecretBox } from '../common/secret-box.js';
import type { OutgoingEmail } from './mail-transport.js';

/**
 * How an email row's payload is stored: its event and recipient in clear (for an operator and the retention run),
 * the whole message sealed, since a reset email holds a live link and token (SECURITY.md S3). The sealed message
 * keeps its own recipient, which is the one the worker sends to.
 */
export interface SealedEmailPayload {
  event?: unknown;
  to: unknown;
  sealed: string;
}

/** Thrown when a row's message does not open here; its message holds nothing of the row. */
export class UnsealableEmailError extends Error {
  constructor() {
    super(
      "the email's sealed content does not open with this instance's SECRETS_KEY " +
        '(every instance that shares the database needs the same key)',
    );
  }
}

/** The GCM additional data: a message sealed for one row does not open on another. */
const ownerOf = (outboxId: string) => `outbox:${outboxId}`;

/** The payload to store for the email `payload` of row `outboxId`. */
export function sealEmail(box: SecretBox, outboxId: string, payload: Record<string, unknown>): SealedEmailPayload {
  const sealed = box.seal(JSON.stringify(payload), ownerOf(outboxId));
  return payload.event === undefined ? { to: payload.to, sealed } : { event: payload.event, to: payload.to, sealed };
}

/**
 * The message of a stored email payload. A payload without `sealed` was queued in clear before sealing was
 * introduced and is sent as it is. Throws UnsealableEmailError when the seal does not open (another key).
 */
export function openEmail(box: SecretBox, outboxId: string, payload: Record<string, unknown>): OutgoingEmail {
  if (!('sealed' in payload)) return payload as unknown as OutgoingEmail;
  try {
    if (typeof payload.sealed !== 'string') throw new Error('not a sealed value');
    return JSON.parse(box.open(payload.sealed, ownerOf(outboxId))) as OutgoingEmail;
  } catch {
    // The cause (a failed GCM tag, a malformed value) tells nothing more and is not worth a line of its own.
    throw new UnsealableEmailError();
  }
}
