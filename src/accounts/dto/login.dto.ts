import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

export class LoginDto {
  @IsString()
  @MaxLength(40)
  @ApiProperty({ example: 'acme-widgets' })
  accountAlias: string;

  @IsString()
  @MaxLength(254)
  @ApiProperty({ example: 'owner@acme.example' })
  email: string;

  @IsString()
  @MaxLength(1024)
  @ApiProperty({ example: 'velvet quasar lantern mosaic 7241' })
  password: string;
}
