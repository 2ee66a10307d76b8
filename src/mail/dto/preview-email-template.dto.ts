import { PartialType, PickType } from '@nestjs/swagger';
import { PutEmailTemplateDto } from './put-email-template.dto.js';

/** Fields rendered over the saved template (or the built-in one), so a change can be seen before it is saved. */
export class PreviewEmailTemplateDto extends PartialType(
  PickType(PutEmailTemplateDto, ['locale', 'subject', 'htmlBody', 'textBody', 'linkTemplate'] as const),
) {}
