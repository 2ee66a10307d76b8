import { ApiProperty } from '@nestjs/swagger';

/** A new reset token: the secret is shown once. */
export class IssuedResetTokenResponseDto {
  /** The single-use secret (`lk_rst_…`); only its SHA-256 is stored. */
  @ApiProperty({ example: 'lk_rst_4Vq8Zk2mT7pXw9RbN3cL6yHs1fJd5GtQe0aUoKiWvMz2zrwMT' })
  resetPasswordToken: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt: string;

  /** The account's reset link rendered with this token, ready to email as it is. */
  @ApiProperty({
    example: 'https://portal.example/reset-password?userId=7f0c…#token=lk_rst_…',
  })
  link: string;
}
