import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { MAX_PASSWORD_INPUT_LENGTH } from '../../passwords/password-policy.service.js';
import { CredentialText } from '../../common/validation.pipe.js';

/**
 * The body of `reset-password`. The token is judged before anything else, so a request without a
 * live token is RESET_TOKEN_INVALID whatever the rest of the body holds.
 */
export class ResetPasswordDto {
  /** The reset token (`lk_rst_…`) from the email link or from `reset-password-token`. */
  @IsString()
  @ApiProperty({ example: 'lk_rst_4Vq8Zk2mT7pXw9RbN3cL6yHs1fJd5GtQe0aUoKiWvMz2zrwMT' })
  token: string;

  /** The new password: the account's minimum length to 256 characters, not guessable. */
  @CredentialText()
  @IsString()
  @ApiProperty({ example: 'velvet quasar lantern mosaic 7241', maxLength: MAX_PASSWORD_INPUT_LENGTH })
  newPassword: string;
}
