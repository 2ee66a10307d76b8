import { ApiProperty } from '@nestjs/swagger';
import { ActorDto } from '../../event-logs/dto/actor.dto.js';
import type { PersonalAccessToken } from '../personal-access-token.entity.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A personal access token as listed: never its secret. */
export class PersonalAccessTokenResponseDto {
  id: string;

  name: string;

  @ApiProperty({ example: ['user:read'] })
  scopes: string[];

  /** The user (session) or the token that made it. */
  createdBy: ActorDto;

  /** The last four characters of the secret. */
  tokenHint: string;

  /** Null: never expires. */
  expiresAt: string | null;

  createdAt: string;

  /** When the token last authenticated a request (recorded at most once a minute). */
  lastUsedAt: string | null;

  revoked: boolean;

  revokedAt: string | null;

  static from(p: PersonalAccessToken): PersonalAccessTokenResponseDto {
    return {
      id: p.id,
      name: p.name,
      scopes: p.scopes,
      createdBy: p.parentTokenId
        ? { type: 'personalAccessToken', id: p.parentTokenId }
        : { type: 'user', id: p.userId },
      tokenHint: p.tokenHint,
      expiresAt: iso(p.expiresAt),
      createdAt: p.createdAt.toISOString(),
      lastUsedAt: iso(p.lastUsedAt),
      revoked: p.revokedAt !== null,
      revokedAt: iso(p.revokedAt),
    };
  }
}

/** The answer to creating a token: the only time its secret is shown. */
export class CreatedPersonalAccessTokenDto {
  id: string;

  name: string;

  @ApiProperty({ example: ['user:read'] })
  scopes: string[];

  expiresAt: string | null;

  createdAt: string;

  /** The secret, `lk_pat_…`. Shown once: store it now. */
  token: string;

  static from(p: PersonalAccessToken, token: string): CreatedPersonalAccessTokenDto {
    return {
      id: p.id,
      name: p.name,
      scopes: p.scopes,
      expiresAt: iso(p.expiresAt),
      createdAt: p.createdAt.toISOString(),
      token,
    };
  }
}
