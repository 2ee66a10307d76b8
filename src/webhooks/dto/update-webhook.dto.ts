import { PartialType } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { IsOmittable } from '../../common/is-omittable.decorator.js';
import { CreateWebhookDto } from './create-webhook.dto.js';

/** Any field of the endpoint; `null` is refused but for `description`, which it clears. */
export class UpdateWebhookDto extends PartialType(CreateWebhookDto, { skipNullProperties: false }) {
  /**
   * `false` stops deliveries and drops the pending ones (`disabledReason: "manual"`); `true` resumes with
   * new events and restarts the 3-day failure clock.
   */
  @IsOmittable()
  @IsBoolean()
  enabled?: boolean;
}
