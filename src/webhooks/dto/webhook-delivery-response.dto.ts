import { ApiProperty } from '@nestjs/swagger';
import {
  WEBHOOK_DELIVERY_STATUSES,
  type WebhookDelivery,
  type WebhookDeliveryStatus,
} from '../webhook-delivery.entity.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** One attempt, made or scheduled, to deliver one event to the endpoint. */
export class WebhookDeliveryResponseDto {
  id: string;

  /** The event log entry delivered: the `webhook-id` header, the same on every attempt. */
  eventId: string;

  type: string;

  /** 1 for the first attempt, then one more per retry. */
  attempt: number;

  @ApiProperty({ enum: WEBHOOK_DELIVERY_STATUSES })
  status: WebhookDeliveryStatus;

  /** The receiver's HTTP status; null when none came. */
  responseStatus: number | null;

  /** Why the attempt failed, e.g. `timeout` or `address not allowed`; null otherwise. */
  error: string | null;

  durationMs: number | null;

  createdAt: string;

  /** When the attempt was made; null while it is pending. */
  attemptedAt: string | null;

  /** When a pending attempt is due. */
  nextAttemptAt: string | null;

  static from(d: WebhookDelivery): WebhookDeliveryResponseDto {
    return {
      id: d.id,
      eventId: d.eventId,
      type: d.type,
      attempt: d.attempt,
      status: d.status,
      responseStatus: d.responseStatus,
      error: d.error,
      durationMs: d.durationMs,
      createdAt: d.createdAt.toISOString(),
      attemptedAt: iso(d.attemptedAt),
      nextAttemptAt: iso(d.nextAttemptAt),
    };
  }
}
