import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PaginationQueryDto } from '../../common/pagination.dto.js';
import { WEBHOOK_DELIVERY_STATUSES, type WebhookDeliveryStatus } from '../webhook-delivery.entity.js';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../webhook-events.js';

export class ListDeliveriesQueryDto extends PaginationQueryDto {
  @IsOptional()
  @IsIn(WEBHOOK_DELIVERY_STATUSES)
  @ApiPropertyOptional({ enum: WEBHOOK_DELIVERY_STATUSES })
  status?: WebhookDeliveryStatus;

  /** The event type. */
  @IsOptional()
  @IsIn(WEBHOOK_EVENT_TYPES)
  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_TYPES })
  type?: WebhookEventType;
}
