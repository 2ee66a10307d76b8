import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional } from 'class-validator';

export class IssueResetTokenDto {
  /** Lifetime in seconds, from 60 to the account's `resetTokenMaxTtlSeconds`; default the account's `resetTokenTtlSeconds`. */
  @IsOptional()
  @IsInt()
  @ApiPropertyOptional({ type: 'integer', example: 3600, minimum: 60, nullable: true })
  expiresInSeconds?: number;

  /** Also queue the account's branded `user.reset-password-request` email to the user. */
  @IsOptional()
  @IsBoolean()
  @ApiPropertyOptional({ default: false, nullable: true })
  send?: boolean;
}
