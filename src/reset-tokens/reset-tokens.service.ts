import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, IsNull, MoreThan, type Repository } from 'typeorm';
import { generateToken, hashToken } from '../auth/token-format.js';
import { Errors } from '../common/api-error.js';
import { deleteBatchOlderThan } from '../common/batch-delete.js';
import { isUniqueViolation } from '../common/database-errors.js';
import { Clock } from '../common/clock.js';
import type { Actor } from '../event-logs/event-logs.service.js';
import { ResetToken, type ResetTokenOrigin } from './reset-token.entity.js';

export interface IssueResetToken {
  accountId: string;
  userId: string;
  origin: ResetTokenOrigin;
  createdBy: Actor;
  ttlSeconds: number;
}

export interface IssuedResetToken {
  id: string;
  /** The secret: returned once, only its SHA-256 is stored. */
  token: string;
  expiresAt: Date;
}

/** A live token as `reset-password` needs it: whose it is and how it was issued. */
export interface LiveResetToken {
  id: string;
  accountId: string;
  userId: string;
  origin: ResetTokenOrigin;
  expiresAt: Date;
}

export interface ResetTokenMetadata {
  id: string;
  origin: ResetTokenOrigin;
  createdBy: Actor;
  createdAt: Date;
  expiresAt: Date;
}

interface TokenRow {
  id: string;
  account_id: string;
  user_id: string;
  origin: ResetTokenOrigin;
  created_by_type: Actor['type'];
  created_by_id: string | null;
  created_at: Date;
  expires_at: Date;
}

/**
 * Password reset tokens: issued, listed, revoked and consumed. A user has at most one live token
 * (the partial unique index uq_reset_tokens_live_user); issuing locks the user row so concurrent
 * issuances serialise, and consuming is one guarded UPDATE, so of concurrent consumers exactly one wins.
 */
@Injectable()
export class ResetTokensService {
  constructor(
    @InjectRepository(ResetToken) private readonly resetTokens: Repository<ResetToken>,
    private readonly clock: Clock,
  ) {}

  /**
   * Kills the user's earlier tokens and stores the new one's hash. The caller holds the user's row
   * lock (UsersService.lockInAccount) in `manager`'s transaction, so no concurrent issuance can slip in between.
   */
  async issue(input: IssueResetToken, manager: EntityManager): Promise<IssuedResetToken> {
    const now = this.clock.now();
    const token = generateToken('rst');
    const expiresAt = new Date(now.getTime() + input.ttlSeconds * 1000);
    await this.revokeAllFor(input.userId, manager);
    try {
      // Plain SQL: on the measured issue hot path (BENCHMARKS.md `issue`), one INSERT … RETURNING without an entity.
      const rows: { id: string }[] = await manager.query(
        `INSERT INTO reset_tokens (account_id, user_id, token_hash, origin, created_by_type, created_by_id, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [
          input.accountId,
          input.userId,
          hashToken(token),
          input.origin,
          input.createdBy.type,
          input.createdBy.id,
          now,
          expiresAt,
        ],
      );
      return { id: rows[0].id, token, expiresAt };
    } catch (err) {
      // Unreachable while the row lock is held; a clear 409 rather than a bare one if it ever is not.
      if (isUniqueViolation(err)) throw Errors.conflict('A reset token for this user is being issued; try again.');
      throw err;
    }
  }

  /** The user's outstanding tokens (unused, unrevoked, unexpired), newest first; never the secret. */
  async listOutstanding(userId: string, accountId: string): Promise<ResetTokenMetadata[]> {
    const tokens = await this.resetTokens.find({
      select: { id: true, origin: true, createdByType: true, createdById: true, createdAt: true, expiresAt: true },
      where: { userId, accountId, usedAt: IsNull(), revokedAt: IsNull(), expiresAt: MoreThan(this.clock.now()) },
      order: { createdAt: 'DESC', id: 'ASC' },
    });
    return tokens.map((t) => ({
      id: t.id,
      origin: t.origin,
      createdBy: { type: t.createdByType, id: t.createdById },
      createdAt: t.createdAt,
      expiresAt: t.expiresAt,
    }));
  }

  /**
   * The live token with this secret for this user, looked up by its hash and left unused; else null.
   * A token issued through the API is live only while its user's role is `user` (see consume).
   */
  async findLive(token: string, userId: string): Promise<LiveResetToken | null> {
    // Plain SQL, reading users.role in the same statement: the reset hot path (BENCHMARKS.md `reset`), one round trip.
    const rows: TokenRow[] = await this.resetTokens.manager.query(
      `SELECT t.id, t.account_id, t.user_id, t.origin, t.expires_at
         FROM reset_tokens t JOIN users u ON u.id = t.user_id AND u.account_id = t.account_id
        WHERE t.token_hash = $1 AND t.user_id = $2
          AND t.used_at IS NULL AND t.revoked_at IS NULL AND t.expires_at > $3
          AND (t.origin <> 'api' OR u.role = 'user')`,
      [hashToken(token), userId, this.clock.now()],
    );
    const row = rows[0];
    return row
      ? {
          id: row.id,
          accountId: row.account_id,
          userId: row.user_id,
          origin: row.origin,
          expiresAt: new Date(row.expires_at),
        }
      : null;
  }

  /**
   * Marks the token used if it is still live, in one guarded statement: of any number of
   * concurrent callers exactly one gets the token back, the others null. A token issued through
   * the API (the delegated flow) is refused whenever its user's role is not `user`, whatever
   * happened since it was issued: the delegated flow can never set an admin's password. When it wins, the user's
   * other live tokens are revoked in the same statement.
   */
  async consume(tokenId: string, manager: EntityManager): Promise<{ id: string; origin: ResetTokenOrigin } | null> {
    const now = this.clock.now();
    // Plain SQL, one statement for what was two on the measured reset hot path: a guarded UPDATE … RETURNING that
    // reads users.role in the same statement, so no role change slips in, and the revocation of the user's other
    // live tokens, which happens only when the consume did. The caller holds the user's row lock, which issuing
    // takes too, so no token of this user can be added between the two.
    const rows: { id: string; origin: ResetTokenOrigin }[] = await manager.query(
      `WITH used AS (
         UPDATE reset_tokens t SET used_at = $2
          WHERE t.id = $1 AND t.used_at IS NULL AND t.revoked_at IS NULL AND t.expires_at > $2
            AND (t.origin <> 'api'
                 OR EXISTS (SELECT 1 FROM users u WHERE u.id = t.user_id AND u.account_id = t.account_id AND u.role = 'user'))
          RETURNING t.id, t.origin, t.user_id
       ), others AS (
         UPDATE reset_tokens o SET revoked_at = $2
           FROM used
          WHERE o.user_id = used.user_id AND o.id <> used.id AND o.used_at IS NULL AND o.revoked_at IS NULL
       )
       SELECT id, origin FROM used`,
      [tokenId, now],
    );
    return rows[0] ?? null;
  }

  /**
   * Revokes the token if it is still live, in one guarded statement like consume(), so of a cancel
   * and a reset racing with one token exactly one wins; then kills the user's other tokens. Returns
   * null when the token was no longer live, else how many tokens it revoked.
   */
  async cancel(tokenId: string, userId: string, manager: EntityManager): Promise<number | null> {
    const now = this.clock.now();
    // Plain SQL: a guarded UPDATE … RETURNING, like consume().
    const [rows]: [{ id: string }[], number] = await manager.query(
      `UPDATE reset_tokens SET revoked_at = $2
        WHERE id = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $2
        RETURNING id`,
      [tokenId, now],
    );
    if (!rows[0]) return null;
    return 1 + (await this.revokeAllFor(userId, manager));
  }

  /** Kills every unused, unrevoked token of a user (expired ones too); returns how many it revoked. */
  async revokeAllFor(userId: string, manager: EntityManager = this.resetTokens.manager): Promise<number> {
    // Plain SQL: on the measured reset and issue hot paths (BENCHMARKS.md), one UPDATE that returns its count.
    const [, count]: [unknown, number] = await manager.query(
      `UPDATE reset_tokens SET revoked_at = $2 WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL`,
      [userId, this.clock.now()],
    );
    return count;
  }

  /** Deletes up to `limit` tokens whose `column` is before `cutoff` (the maintenance run); returns how many. */
  deleteDead(column: 'expires_at' | 'used_at' | 'revoked_at', cutoff: Date, limit: number, manager: EntityManager) {
    return deleteBatchOlderThan(manager, 'reset_tokens', column, cutoff, limit);
  }
}
