import { ApiProperty } from '@nestjs/swagger';
import { ActorDto } from '../../event-logs/dto/actor.dto.js';
import type { Webhook, WebhookDisabledReason } from '../webhook.entity.js';

/** A webhook endpoint as listed: never its secret. */
export class WebhookResponseDto {
  id: string;

  url: string;

  /** The event types delivered, or `["*"]` for all. */
  @ApiProperty({ example: ['user.passwordReset', 'user.deleted'] })
  events: string[];

  description: string | null;

  enabled: boolean;

  /** Why it is disabled: `failing` (every attempt failed for 3 days) or `manual`; null while enabled. */
  @ApiProperty({ enum: ['failing', 'manual'], nullable: true })
  disabledReason: WebhookDisabledReason | null;

  /** The user (session) that added it. */
  createdBy: ActorDto;

  createdAt: string;

  updatedAt: string;

  static from(w: Webhook): WebhookResponseDto {
    return {
      id: w.id,
      url: w.url,
      events: w.events,
      description: w.description,
      enabled: w.enabled,
      disabledReason: w.disabledReason,
      createdBy: { type: w.createdByType, id: w.createdById },
      createdAt: w.createdAt.toISOString(),
      updatedAt: w.updatedAt.toISOString(),
    };
  }
}

/** The answer to adding an endpoint: the only time its signing secret is shown. */
export class CreatedWebhookDto extends WebhookResponseDto {
  /** The signing secret, `whsec_…` (Standard Webhooks). Shown once: store it now. */
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' })
  secret: string;

  static withSecret(w: Webhook, secret: string): CreatedWebhookDto {
    return { ...WebhookResponseDto.from(w), secret };
  }
}

/** A new signing secret. Shown once. */
export class WebhookSecretDto {
  /** The new signing secret, `whsec_…`. */
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' })
  secret: string;
}
