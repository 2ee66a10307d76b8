import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

export class UpdatePasswordDto {
  /** The current password. */
  @IsString()
  @MaxLength(1024)
  @ApiProperty({ example: 'velvet quasar lantern mosaic 7241' })
  oldPassword: string;

  /** The new password: the account's minimum length to 256 characters, not guessable. */
  @IsString()
  @ApiProperty({ example: 'amber comet teacup harbor 9153' })
  newPassword: string;
}
