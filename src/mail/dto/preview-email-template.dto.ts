import { PartialType, PickType } from '@nestjs/swagger';
import { PutEmailTemplateDto } from './put-email-template.dto.js';

/**
 * Fields rendered over the saved template (or the built-in one), so a change can be seen before it is
 * saved. `null` is checked as the PUT checks it: refused for `locale` and `subject`.
 */
export class PreviewEmailTemplateDto extends PartialType(
  PickType(PutEmailTemplateDto, ['locale', 'subject', 'htmlBody', 'textBody', 'linkTemplate'] as const),
  { skipNullProperties: false },
) {}
