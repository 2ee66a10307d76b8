import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class ResetPasswordRequestDto {
  @IsString()
  @Length(1, 40)
  @ApiProperty({ example: 'acme-widgets' })
  accountAlias: string;

  @IsString()
  @Length(1, 254)
  @ApiProperty({ example: 'uma.user@acme.example' })
  email: string;
}
