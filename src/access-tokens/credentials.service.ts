import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { deleteBatchOlderThan } from '../common/batch-delete.js';
import { Clock } from '../common/clock.js';
import { CredentialResolver } from '../auth/credential-resolver.js';
import { ALL_SCOPES, expandScopes } from '../auth/scopes.js';
import { generateToken, hashToken, parseToken } from '../auth/token-format.js';
import type { Principal } from '../auth/principal.js';
import type { UserRole } from '../auth/roles.js';
import { PersonalAccessToken } from './personal-access-token.entity.js';
import { Session } from './session.entity.js';

/** `lastUsedAt` is written at most this often per token, in one batched UPDATE. */
const LAST_USED_RESOLUTION_MS = 60_000;

interface SessionRow {
  id: string;
  account_id: string;
  user_id: string;
  role: UserRole;
}
interface PatRow extends SessionRow {
  scopes: string[];
  expires_at: Date | null;
}

/**
 * Bearer credentials: resolves sessions and PATs to a principal, issues and revokes sessions.
 * One indexed lookup by SHA-256 per request; malformed tokens never reach the database.
 */
@Injectable()
export class CredentialsService implements CredentialResolver, OnApplicationShutdown {
  private readonly logger = new Logger(CredentialsService.name);
  /** token id → when its lastUsedAt was last queued for writing. */
  private readonly lastUsedWritten = new Map<string, number>();
  private pendingLastUsed = new Map<string, Date>();
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    @InjectRepository(PersonalAccessToken) private readonly pats: Repository<PersonalAccessToken>,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async resolve(token: string): Promise<Principal | null> {
    const kind = parseToken(token);
    if (kind === 'ses') return this.resolveSession(token);
    if (kind === 'pat') return this.resolvePat(token);
    return null;
  }

  private async resolveSession(token: string): Promise<Principal | null> {
    // Plain SQL, reading users.role in the same statement: every authenticated request (BENCHMARKS.md `read`).
    const rows: SessionRow[] = await this.sessions.manager.query(
      `SELECT s.id, s.account_id, s.user_id, u.role
         FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2`,
      [hashToken(token), this.clock.now()],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      kind: 'session',
      accountId: row.account_id,
      userId: row.user_id,
      role: row.role,
      scopes: row.role === 'admin' ? ALL_SCOPES : new Set(),
      tokenId: row.id,
      expiresAt: null,
    };
  }

  private async resolvePat(token: string): Promise<Principal | null> {
    // A PAT works only while its creator is an admin; its parent chain is cascaded on revoke/delete.
    // Plain SQL, reading users.role in the same statement: every authenticated request (BENCHMARKS.md `read`).
    const rows: PatRow[] = await this.pats.manager.query(
      `SELECT p.id, p.account_id, p.user_id, p.scopes, p.expires_at, u.role
         FROM personal_access_tokens p JOIN users u ON u.id = p.user_id
        WHERE p.token_hash = $1 AND p.revoked_at IS NULL
          AND (p.expires_at IS NULL OR p.expires_at > $2) AND u.role = 'admin'`,
      [hashToken(token), this.clock.now()],
    );
    const row = rows[0];
    if (!row) return null;
    this.touch(row.id);
    return {
      kind: 'pat',
      accountId: row.account_id,
      userId: row.user_id,
      role: row.role,
      scopes: expandScopes(row.scopes),
      tokenId: row.id,
      expiresAt: row.expires_at,
    };
  }

  /** Records a PAT's use; written to the database in batches, at most once a minute per token. */
  private touch(tokenId: string): void {
    const now = this.clock.now();
    const last = this.lastUsedWritten.get(tokenId);
    if (last !== undefined && now.getTime() - last < LAST_USED_RESOLUTION_MS) return;
    this.lastUsedWritten.set(tokenId, now.getTime());
    this.pendingLastUsed.set(tokenId, now);
    if (this.lastUsedWritten.size > 100_000) this.lastUsedWritten.clear();
    this.flushTimer ??= setTimeout(() => void this.flushLastUsed(), 1000).unref();
  }

  async flushLastUsed(): Promise<void> {
    this.flushTimer = undefined;
    if (this.pendingLastUsed.size === 0) return;
    const batch = this.pendingLastUsed;
    this.pendingLastUsed = new Map();
    const ids = [...batch.keys()];
    const times = ids.map((id) => batch.get(id)!.toISOString());
    try {
      // Plain SQL: one unnest batch for many tokens, which the ORM cannot say.
      await this.pats.manager.query(
        `UPDATE personal_access_tokens p SET last_used_at = v.t
           FROM unnest($1::uuid[], $2::timestamptz[]) AS v(id, t)
          WHERE p.id = v.id AND (p.last_used_at IS NULL OR p.last_used_at < v.t)`,
        [ids, times],
      );
    } catch (err) {
      this.logger.warn(`lastUsedAt not recorded for ${ids.length} tokens: ${(err as Error).message}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    await this.flushLastUsed();
  }

  /** A new session for a user; the secret is returned once and only its hash is kept. */
  async createSession(
    user: { id: string; accountId: string },
    ctx: { ip: string | null; userAgent: string | null },
    manager: EntityManager = this.sessions.manager,
  ): Promise<{ accessToken: string; expiresAt: Date; sessionId: string }> {
    const accessToken = generateToken('ses');
    const expiresAt = new Date(this.clock.now().getTime() + this.config.sessionTtlSeconds * 1000);
    // Plain SQL: login and sign-up (BENCHMARKS.md `login`), one INSERT … RETURNING without an entity.
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO sessions (account_id, user_id, token_hash, expires_at, ip, user_agent, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [user.accountId, user.id, hashToken(accessToken), expiresAt, ctx.ip, ctx.userAgent, this.clock.now()],
    );
    return { accessToken, expiresAt, sessionId: rows[0].id };
  }

  async revokeSession(sessionId: string, manager: EntityManager = this.sessions.manager): Promise<void> {
    // Plain SQL: an UPDATE guarded by `revoked_at IS NULL`, so a second logout changes nothing.
    await manager.query(`UPDATE sessions SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`, [
      sessionId,
      this.clock.now(),
    ]);
  }

  /** Ends every session of a user, but the one given (e.g. the session that changed the password). */
  async revokeSessionsOf(userId: string, manager: EntityManager = this.sessions.manager, exceptSessionId?: string) {
    // Plain SQL: on the measured reset hot path (BENCHMARKS.md `reset`), with the optional session kept.
    await manager.query(
      `UPDATE sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL AND ($3::uuid IS NULL OR id <> $3)`,
      [userId, this.clock.now(), exceptSessionId ?? null],
    );
  }

  /** Deletes up to `limit` sessions whose `column` is before `cutoff` (the maintenance run); returns how many. */
  deleteDeadSessions(column: 'expires_at' | 'revoked_at', cutoff: Date, limit: number, manager: EntityManager) {
    return deleteBatchOlderThan(manager, 'sessions', column, cutoff, limit);
  }
}
