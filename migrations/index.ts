import { InitialSchema1764180000000 } from './1764180000000-InitialSchema.js';
import { CleanupIndexes1764600000000 } from './1764600000000-CleanupIndexes.js';
import { OutboxCleanupIndex1764700000000 } from './1764700000000-OutboxCleanupIndex.js';
import { CanonicalEmails1764800000000 } from './1764800000000-CanonicalEmails.js';
import { Webhooks1764900000000 } from './1764900000000-Webhooks.js';
import { EventLogRetentionIndex1765000000000 } from './1765000000000-EventLogRetentionIndex.js';
import { WebhookFanOutLocks1765100000000 } from './1765100000000-WebhookFanOutLocks.js';

/** Every migration, in order. Listed explicitly so the app, the CLI and the tests run the same set. */
export const migrations = [
  InitialSchema1764180000000,
  CleanupIndexes1764600000000,
  OutboxCleanupIndex1764700000000,
  CanonicalEmails1764800000000,
  Webhooks1764900000000,
  EventLogRetentionIndex1765000000000,
  WebhookFanOutLocks1765100000000,
];
