import { ApiProperty } from '@nestjs/swagger';
import type { EventLog } from '../event-log.entity.js';
import { ActorDto } from './actor.dto.js';

export class EventLogResponseDto {
  id: string;

  @ApiProperty({ example: 'user.created' })
  action: string;

  actor: ActorDto;

  /** The user the action was about, if any. */
  targetUserId: string | null;

  ip: string | null;

  userAgent: string | null;

  createdAt: string;

  /** Details of the action; never a secret or a password. */
  @ApiProperty({ type: 'object', additionalProperties: true, example: { name: 'CI deploys', scopes: ['user:read'] } })
  data: Record<string, unknown>;

  static from(e: EventLog): EventLogResponseDto {
    return {
      id: e.id,
      action: e.action,
      actor: { type: e.actorType, id: e.actorId },
      targetUserId: e.targetUserId,
      ip: e.ip,
      userAgent: e.userAgent,
      createdAt: e.createdAt.toISOString(),
      data: e.data,
    };
  }
}
