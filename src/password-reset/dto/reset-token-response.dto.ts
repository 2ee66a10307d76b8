import { ApiProperty } from '@nestjs/swagger';
import { ActorDto } from '../../event-logs/dto/actor.dto.js';
import type { ResetTokenMetadata } from '../../reset-tokens/reset-tokens.service.js';
import type { ResetTokenOrigin } from '../../reset-tokens/reset-token.entity.js';

/** An outstanding reset token's metadata; never the secret. */
export class ResetTokenResponseDto {
  id: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt: string;

  /** `api`: issued through `reset-password-token`; `email`: by a `reset-password-request`. */
  @ApiProperty({ enum: ['api', 'email'] })
  origin: ResetTokenOrigin;

  /** The PAT or session user that issued it; `anonymous` for a reset requested by email. */
  createdBy: ActorDto;

  static from(t: ResetTokenMetadata): ResetTokenResponseDto {
    return Object.assign(new ResetTokenResponseDto(), {
      id: t.id,
      createdAt: t.createdAt.toISOString(),
      expiresAt: t.expiresAt.toISOString(),
      origin: t.origin,
      createdBy: Object.assign(new ActorDto(), t.createdBy),
    });
  }
}
