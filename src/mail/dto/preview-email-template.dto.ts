import { IntersectionType, PartialType, PickType } from '@nestjs/swagger';
import { PutEmailTemplateDto } from './put-email-template.dto.js';

/**
 * Fields rendered over the saved template (or the built-in one), so a change can be seen before it is saved. A
 * `null` body or link, like an omitted one, keeps the saved one; `locale` and `subject` are refused as `null`, as
 * the PUT refuses them.
 */
export class PreviewEmailTemplateDto extends IntersectionType(
  PartialType(PickType(PutEmailTemplateDto, ['locale', 'subject'] as const), { skipNullProperties: false }),
  PartialType(PickType(PutEmailTemplateDto, ['htmlBody', 'textBody', 'linkTemplate'] as const)),
) {}
