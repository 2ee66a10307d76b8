/**
 * Event types a webhook endpoint may subscribe to (API.md "Webhooks"). Every event-log write of one of
 * these types but `webhook.test` queues a delivery to each enabled endpoint subscribed to it: the
 * trigger of migrations/1764900000000-Webhooks.ts holds the same list (test/webhooks.e2e-spec.ts checks).
 */
export const WEBHOOK_EVENT_TYPES = [
  'user.created',
  'user.updated',
  'user.deleted',
  'user.passwordReset',
  'user.passwordUpdated',
  'user.resetPasswordToken.created',
  'user.resetPasswordToken.revoked',
  'user.resetPasswordRequested',
  'user.resetPasswordCanceled',
  'personalAccessToken.created',
  'personalAccessToken.revoked',
  'account.updated',
  'emailTemplate.updated',
  'webhook.created',
  'webhook.updated',
  'webhook.deleted',
  'webhook.test',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** `events: ["*"]`: every type, those added later included. */
export const ALL_EVENTS = '*';

/** Sent only to the endpoint it tests (POST /v3/webhooks/{id}/test), whatever its subscription. */
export const TEST_EVENT = 'webhook.test';
