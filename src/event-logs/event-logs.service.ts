import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import type { RequestContext } from '../common/request-context.js';
import type { ActorType } from '../password-reset/reset-token.entity.js';
import { EventLog } from './event-log.entity.js';

export interface Actor {
  type: ActorType;
  id: string | null;
}

export interface NewEvent {
  accountId: string;
  action: string;
  actor: Actor;
  targetUserId?: string | null;
  ctx?: RequestContext;
  /** Never a secret or a password. */
  data?: Record<string, unknown>;
}

@Injectable()
export class EventLogsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Writes an event; pass the transaction's manager so the event commits with the change it records. */
  async record(event: NewEvent, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.insert(EventLog, {
      accountId: event.accountId,
      action: event.action,
      actorType: event.actor.type,
      actorId: event.actor.id,
      targetUserId: event.targetUserId ?? null,
      ip: event.ctx?.ip ?? null,
      userAgent: event.ctx?.userAgent ?? null,
      data: (event.data ?? {}) as EventLog['data'] & object,
      createdAt: this.clock.now(),
    });
  }
}
