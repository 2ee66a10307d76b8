import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { MAX_PASSWORD_INPUT_LENGTH } from '../../passwords/password-policy.service.js';
import { CredentialText } from '../../common/validation.pipe.js';

export class UpdatePasswordDto {
  /** The current password; longer than 1,024 UTF-16 code units it is WRONG_PASSWORD, never hashed. */
  @CredentialText()
  @IsString()
  @ApiProperty({ example: 'velvet quasar lantern mosaic 7241', maxLength: MAX_PASSWORD_INPUT_LENGTH })
  oldPassword: string;

  /** The new password: the account's minimum length to 256 characters, not guessable. */
  @CredentialText()
  @IsString()
  @ApiProperty({ example: 'amber comet teacup harbor 9153', maxLength: MAX_PASSWORD_INPUT_LENGTH })
  newPassword: string;
}
