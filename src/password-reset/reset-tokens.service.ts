import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';

/** Password reset tokens: issued, listed, revoked and consumed. */
@Injectable()
export class ResetTokensService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Kills every outstanding token of a user; returns how many were live. */
  async revokeAllFor(userId: string, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const [, count]: [unknown, number] = await manager.query(
      `UPDATE reset_tokens SET revoked_at = $2 WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL`,
      [userId, this.clock.now()],
    );
    return count;
  }
}
