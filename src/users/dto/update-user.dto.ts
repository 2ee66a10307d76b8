import { OmitType, PartialType } from '@nestjs/swagger';
import { CreateUserDto } from './create-user.dto.js';

/**
 * Any user field but the password (that has its own routes). `null` is refused for the required
 * fields and accepted to clear `company` and `locale`.
 */
export class UpdateUserDto extends PartialType(OmitType(CreateUserDto, ['password'] as const), {
  skipNullProperties: false,
}) {}
