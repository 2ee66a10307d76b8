import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, IsNull, type Repository } from 'typeorm';
import type { Principal } from '../auth/principal.js';
import type { Scope } from '../auth/scopes.js';
import { generateToken, hashToken, tokenHint } from '../auth/token-format.js';
import { Errors } from '../common/api-error.js';
import { Clock } from '../common/clock.js';
import { Registration } from '../common/registration.js';
import { type PaginationQueryDto, skipOf } from '../common/pagination.dto.js';
import type { RequestContext } from '../common/request-context.js';
import { byPrincipal } from '../event-logs/by-principal.js';
import { EventLogsService } from '../event-logs/event-logs.service.js';
import type { CreatePersonalAccessTokenDto } from './dto/create-personal-access-token.dto.js';
import {
  CreatedPersonalAccessTokenDto,
  PersonalAccessTokenResponseDto,
} from './dto/personal-access-token-response.dto.js';
import type { UpdatePersonalAccessTokenDto } from './dto/update-personal-access-token.dto.js';
import { PersonalAccessToken } from './personal-access-token.entity.js';
import type { TokenCreators } from './token-creators.js';

/**
 * Personal access tokens. A token acts for the admin who made it (directly or through a parent
 * token), never holds a scope its maker lacks, never outlives its parent and dies with it.
 */
@Injectable()
export class PersonalAccessTokensService {
  private readonly members = new Registration<TokenCreators>('TokenCreators', 'UsersModule');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(PersonalAccessToken) private readonly pats: Repository<PersonalAccessToken>,
    private readonly clock: Clock,
    private readonly events: EventLogsService,
  ) {}

  /** The users module registers here at start-up: creating a token locks its creator's row through it. */
  registerCreators(members: TokenCreators): void {
    this.members.set(members);
  }

  private get creators(): TokenCreators {
    return this.members.get();
  }

  /** Revokes every live token the user made, in the caller's transaction (an admin demoted). */
  async revokeAllOf(userId: string, manager: EntityManager): Promise<void> {
    await manager.update(PersonalAccessToken, { userId, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
  }

  async create(
    principal: Principal,
    dto: CreatePersonalAccessTokenDto,
    ctx: RequestContext,
  ): Promise<CreatedPersonalAccessTokenDto> {
    // The scope check lets only admins through already; kept here so the rule does not hang on scope wiring.
    if (principal.role !== 'admin') throw Errors.forbidden('Only admins create personal access tokens.');
    const scopes = [...new Set(dto.scopes)].sort() as Scope[];
    const lacking = scopes.find((s) => !principal.scopes.has(s));
    if (lacking) throw Errors.insufficientScope(lacking);

    const now = this.clock.now();
    let expiresAt = dto.expiresAt == null ? null : new Date(dto.expiresAt);
    if (expiresAt && expiresAt.getTime() <= now.getTime())
      throw Errors.invalidField('expiresAt', 'expiresAt must be in the future.');
    const parentId = principal.kind === 'pat' ? principal.tokenId : null;
    if (principal.kind === 'pat' && principal.expiresAt) {
      // A child may not outlive its parent. A later expiry is refused rather than silently shortened
      // (the caller would hold a token that dies earlier than asked); none asked means the parent's.
      if (!expiresAt) expiresAt = principal.expiresAt;
      else if (expiresAt.getTime() > principal.expiresAt.getTime())
        throw Errors.invalidField(
          'expiresAt',
          `expiresAt must not be later than the expiry of the token creating it (${principal.expiresAt.toISOString()}).`,
        );
    }

    const token = generateToken('pat');
    return this.dataSource.transaction(async (m) => {
      // The creator's row first, then the parent chain: the order a demotion or deletion takes them in (the user's row
      // for update, then its tokens), so the two never deadlock. Under the lock the creator is still an admin, or the
      // demotion has committed and is seen here: a token made meanwhile would miss its revocation and come back to life
      // with a later promotion.
      const role = await this.creators.roleUnderShareLock(principal.userId, principal.accountId, m);
      if (role !== 'admin') {
        // The token that asked died with its creator's role; a session of a demoted admin is a user's session now.
        if (principal.kind === 'pat') throw Errors.unauthenticated();
        throw Errors.forbidden('Only admins create personal access tokens.');
      }
      if (parentId) await this.assertLiveChain(parentId, m);
      const pat = m.create(PersonalAccessToken, {
        accountId: principal.accountId,
        userId: principal.userId,
        parentTokenId: parentId,
        name: dto.name,
        scopes,
        tokenHash: hashToken(token),
        tokenHint: tokenHint(token),
        expiresAt,
        createdAt: now,
        lastUsedAt: null,
        revokedAt: null,
      });
      const { identifiers } = await m.insert(PersonalAccessToken, pat);
      pat.id = identifiers[0].id as string;
      // The target is the admin the token acts for, so filtering the log by that user finds it.
      await this.events.record(
        {
          ...byPrincipal(principal, ctx),
          action: 'personalAccessToken.created',
          targetUserId: pat.userId,
          data: { personalAccessTokenId: pat.id, name: pat.name, scopes, expiresAt: expiresAt?.toISOString() ?? null },
        },
        m,
      );
      return CreatedPersonalAccessTokenDto.from(pat, token);
    });
  }

  /**
   * The parent and all its ancestors are still live, and stay so until this transaction commits:
   * the share locks make a concurrent revocation wait for the new child, or the child see it.
   */
  private async assertLiveChain(parentId: string, m: EntityManager): Promise<void> {
    const rows: { id: string; revoked_at: Date | null }[] = await m.query(
      `WITH RECURSIVE chain AS (
         SELECT id, parent_token_id FROM personal_access_tokens WHERE id = $1
         UNION
         SELECT p.id, p.parent_token_id FROM personal_access_tokens p JOIN chain c ON p.id = c.parent_token_id
       )
       SELECT p.id, p.revoked_at FROM personal_access_tokens p
        WHERE p.id IN (SELECT id FROM chain)
        FOR SHARE OF p`,
      [parentId],
    );
    if (!rows.some((r) => r.id === parentId) || rows.some((r) => r.revoked_at !== null)) throw Errors.unauthenticated();
  }

  /**
   * A PAT may change (rename, revoke, delete) only itself and the tokens below it; its parent, its
   * siblings and other admins' tokens need an admin session. Otherwise a leaked child could switch
   * off the account's other integrations (the token a SIEM reads the event log with) before acting.
   */
  private async assertInLineage(principal: Principal, patId: string, m: EntityManager): Promise<void> {
    if (principal.kind !== 'pat' || patId === principal.tokenId) return;
    // Plain SQL: the ORM cannot walk the parent chain (a recursive CTE).
    const rows: unknown[] = await m.query(
      `WITH RECURSIVE up AS (
         SELECT parent_token_id AS id FROM personal_access_tokens WHERE id = $1
         UNION
         SELECT p.parent_token_id FROM personal_access_tokens p JOIN up ON p.id = up.id
       )
       SELECT 1 FROM up WHERE id = $2`,
      [patId, principal.tokenId],
    );
    if (rows.length === 0) {
      throw Errors.forbidden(
        'A personal access token may change only itself and the tokens it made; any other needs an admin session.',
      );
    }
  }

  async list(principal: Principal, query: PaginationQueryDto): Promise<[PersonalAccessTokenResponseDto[], number]> {
    const [items, total] = await this.pats.findAndCount({
      where: { accountId: principal.accountId },
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: skipOf(query),
      take: query.limit,
    });
    return [items.map((p) => PersonalAccessTokenResponseDto.from(p)), total];
  }

  async get(principal: Principal, id: string): Promise<PersonalAccessTokenResponseDto> {
    const pat = await this.pats.findOneBy({ id, accountId: principal.accountId });
    if (!pat) throw Errors.notFound('Personal access token');
    return PersonalAccessTokenResponseDto.from(pat);
  }

  async update(
    principal: Principal,
    id: string,
    dto: UpdatePersonalAccessTokenDto,
    ctx: RequestContext,
  ): Promise<PersonalAccessTokenResponseDto> {
    return this.dataSource.transaction(async (m) => {
      // Locked first, so a child being created under it either commits before the revocation reads the tree or fails.
      const pat = await m.findOne(PersonalAccessToken, {
        where: { id, accountId: principal.accountId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!pat) throw Errors.notFound('Personal access token');
      await this.assertInLineage(principal, pat.id, m);
      if (dto.revoked === false && pat.revokedAt)
        throw Errors.invalidField('revoked', 'Revocation is final: a revoked token cannot be restored.');
      if (dto.name !== undefined && dto.name !== pat.name) {
        pat.name = dto.name;
        await m.update(PersonalAccessToken, { id: pat.id }, { name: pat.name });
      }
      if (dto.revoked && !pat.revokedAt) {
        pat.revokedAt = this.clock.now();
        const [, revoked]: [unknown, number] = await m.query(
          `WITH RECURSIVE tree AS (
             SELECT id FROM personal_access_tokens WHERE id = $1 AND account_id = $2
             UNION
             SELECT c.id FROM personal_access_tokens c JOIN tree t ON c.parent_token_id = t.id
           )
           UPDATE personal_access_tokens SET revoked_at = $3
            WHERE id IN (SELECT id FROM tree) AND revoked_at IS NULL`,
          [pat.id, principal.accountId, pat.revokedAt],
        );
        await this.events.record(
          {
            ...byPrincipal(principal, ctx),
            action: 'personalAccessToken.revoked',
            targetUserId: pat.userId,
            data: {
              personalAccessTokenId: pat.id,
              name: pat.name,
              scopes: pat.scopes,
              descendantsRevoked: revoked - 1,
            },
          },
          m,
        );
      }
      return PersonalAccessTokenResponseDto.from(pat);
    });
  }

  /** Deletes the token; the tokens it made go with it (ON DELETE CASCADE on parent_token_id). */
  async remove(principal: Principal, id: string, ctx: RequestContext): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const pat = await m.findOneBy(PersonalAccessToken, { id, accountId: principal.accountId });
      if (!pat) throw Errors.notFound('Personal access token');
      await this.assertInLineage(principal, pat.id, m);
      await m.delete(PersonalAccessToken, { id: pat.id, accountId: principal.accountId });
      await this.events.record(
        {
          ...byPrincipal(principal, ctx),
          action: 'personalAccessToken.deleted',
          targetUserId: pat.userId,
          data: { personalAccessTokenId: pat.id, name: pat.name, scopes: pat.scopes },
        },
        m,
      );
    });
  }
}
