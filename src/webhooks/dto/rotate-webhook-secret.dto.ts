import { IsBoolean } from 'class-validator';
import { IsOmittable } from '../../common/is-omittable.decorator.js';

export class RotateWebhookSecretDto {
  /** `true`: the old secret stops signing at once. Default: it also signs for 24 hours, so receivers can switch. */
  @IsOmittable()
  @IsBoolean()
  expireOldNow?: boolean;
}
