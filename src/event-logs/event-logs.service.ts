import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { deleteBatchOlderThan } from '../common/batch-delete.js';
import { Errors } from '../common/api-error.js';
import { Clock } from '../common/clock.js';
import { skipOf } from '../common/pagination.dto.js';
import type { RequestContext } from '../common/request-context.js';
import type { ActorType } from './actor.js';
import type { EventLogQueryDto } from './dto/event-log-query.dto.js';
import { EventLogResponseDto } from './dto/event-log-response.dto.js';
import { EventLog } from './event-log.entity.js';

/** 0001-01-01T00:00:00Z, the first instant PostgreSQL's timestamps hold without an era. */
const EARLIEST = Date.parse('0001-01-01T00:00:00Z');

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
    @InjectRepository(EventLog) private readonly eventLogs: Repository<EventLog>,
    private readonly clock: Clock,
  ) {}

  /** Writes an event; pass the transaction's manager so the event commits with the change it records. */
  async record(event: NewEvent, manager: EntityManager = this.eventLogs.manager): Promise<void> {
    // Plain SQL: every write logs an event, and TypeORM's insert costs more CPU than the statement.
    await manager.query(
      `INSERT INTO event_logs (account_id, action, actor_type, actor_id, target_user_id, ip, user_agent, data, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        event.accountId,
        event.action,
        event.actor.type,
        event.actor.id,
        event.targetUserId ?? null,
        event.ctx?.ip ?? null,
        event.ctx?.userAgent ?? null,
        JSON.stringify(event.data ?? {}),
        this.clock.now(),
      ],
    );
  }

  /** Deletes up to `limit` events written before `cutoff` (the maintenance run: events are kept 400 days). */
  deleteCreatedBefore(cutoff: Date, limit: number, manager: EntityManager): Promise<number> {
    return deleteBatchOlderThan(manager, 'event_logs', 'created_at', cutoff, limit);
  }

  /** The events named, each within its account, by id (e.g. the entries webhook deliveries carry); missing ones are left out. */
  async findMany(refs: readonly { accountId: string; id: string }[]): Promise<Map<string, EventLogResponseDto>> {
    if (refs.length === 0) return new Map();
    const rows = await this.eventLogs.findBy(refs.map(({ accountId, id }) => ({ accountId, id })));
    return new Map(rows.map((e) => [e.id, EventLogResponseDto.from(e)]));
  }

  /** The account's events matching the filters, newest first (ties by id), and how many match in all. */
  async list(accountId: string, q: EventLogQueryDto): Promise<[EventLogResponseDto[], number]> {
    const from = q.from === undefined ? undefined : new Date(q.from);
    const to = q.to === undefined ? undefined : new Date(q.to);
    if (from && to && from.getTime() > to.getTime()) throw Errors.invalidField('from', 'from must not be after to.');
    // Year 0000 (valid RFC 3339) is not a PostgreSQL year; no event is that old, so its first day stands in.
    for (const bound of [from, to]) if (bound && bound.getTime() < EARLIEST) bound.setTime(EARLIEST);
    const qb = this.eventLogs.createQueryBuilder('e').where('e.accountId = :accountId', { accountId });
    if (q.action !== undefined) qb.andWhere('e.action = :action', { action: q.action });
    if (q.userId !== undefined)
      qb.andWhere("((e.actorType = 'user' AND e.actorId = :userId) OR e.targetUserId = :userId)", {
        userId: q.userId.toLowerCase(),
      });
    if (from) qb.andWhere('e.createdAt >= :from', { from });
    if (to) qb.andWhere('e.createdAt <= :to', { to });
    const [rows, total] = await qb
      .orderBy('e.createdAt', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .skip(skipOf(q))
      .take(q.limit)
      .getManyAndCount();
    return [rows.map((e) => EventLogResponseDto.from(e)), total];
  }
}
