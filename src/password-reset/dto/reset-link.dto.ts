import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';

/**
 * The body of `reset-password/verify` and `reset-password/cancel`. It is judged like the token of
 * `reset-password`: anything but a live token for the user in the path is RESET_TOKEN_INVALID.
 */
export class ResetLinkTokenDto {
  /** The reset token (`lk_rst_…`) from the email link or from `reset-password-token`. */
  @IsString()
  @ApiProperty({ example: 'lk_rst_4Vq8Zk2mT7pXw9RbN3cL6yHs1fJd5GtQe0aUoKiWvMz2zrwMT' })
  token: string;
}

/** A live reset token, checked without using it. */
export class VerifiedResetTokenResponseDto {
  /** When the token stops working. */
  @ApiProperty({ format: 'date-time' })
  expiresAt: string;

  /** The account's minimum password length, in code points after NFC normalisation. */
  @ApiProperty({ example: 15 })
  minPasswordLength: number;
}
