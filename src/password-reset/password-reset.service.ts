import { rateLimitKeyOf } from '../common/ip-address.js';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { CredentialsService } from '../access-tokens/credentials.service.js';
import type { Account } from '../accounts/account.entity.js';
import { AccountsService } from '../accounts/accounts.service.js';
import { actorOf, isAdminSession, type Principal } from '../auth/principal.js';
import { Errors } from '../common/api-error.js';
import { canonicalAlias, canonicalEmail } from '../common/identifiers.js';
import { RateLimiter } from '../common/rate-limiter.service.js';
import type { RequestContext } from '../common/request-context.js';
import { AppValidationPipe } from '../common/validation.pipe.js';
import { byPrincipal } from '../event-logs/by-principal.js';
import { EventLogsService, type NewEvent } from '../event-logs/event-logs.service.js';
import { type MailAccount, MailService, type Recipient, type SavedTemplate } from '../mail/mail.service.js';
import type { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import type { IssueResetTokenDto } from './dto/issue-reset-token.dto.js';
import { IssuedResetTokenResponseDto } from './dto/issued-reset-token-response.dto.js';
import { ResetPasswordDto } from './dto/reset-password.dto.js';
import { ResetLinkTokenDto, VerifiedResetTokenResponseDto } from './dto/reset-link.dto.js';
import { ResetTokenResponseDto } from './dto/reset-token-response.dto.js';
import type { UpdatePasswordDto } from './dto/update-password.dto.js';
import { PasswordHasher } from '../passwords/password-hasher.js';
import { PasswordPolicy } from '../passwords/password-policy.service.js';
import { ResetTokenJudge } from './reset-token-judge.js';
import { ResetTokensService } from '../reset-tokens/reset-tokens.service.js';

/** The shortest lifetime a delegated reset token may have. */
const MIN_RESET_TOKEN_TTL_SECONDS = 60;

const ANONYMOUS = { type: 'anonymous', id: null } as const;
/** Thrown inside reset-password's transaction to roll it back when the token is no longer there to consume. */
const NOT_CONSUMED = Symbol('reset token not consumed');

const onlyUserRole = () => Errors.forbidden('Reset tokens are issued and revoked only for users with role "user".');

/**
 * Delegated reset tokens (issue, list, revoke), reset-password and update-password. Passwords are
 * checked and hashed before a transaction opens, so no row lock is held across argon2id or zxcvbn.
 */
@Injectable()
export class PasswordResetService {
  /** Validates the reset-password body, once the token is known to be live, like every other body. */
  private readonly bodyPipe = new AppValidationPipe();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: ResetTokensService,
    private readonly users: UsersService,
    private readonly accounts: AccountsService,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly credentials: CredentialsService,
    private readonly rateLimiter: RateLimiter,
    private readonly judge: ResetTokenJudge,
    private readonly events: EventLogsService,
    private readonly mail: MailService,
  ) {}

  async issue(
    principal: Principal,
    userId: string,
    dto: IssueResetTokenDto,
    ctx: RequestContext,
  ): Promise<IssuedResetTokenResponseDto> {
    const { user, account, linkTemplates } = await this.users.findWithAccount(principal.accountId, userId);
    if (user.role !== 'user') throw onlyUserRole();
    const max = account.resetTokenMaxTtlSeconds;
    const ttlSeconds = dto.expiresInSeconds ?? Math.min(account.resetTokenTtlSeconds, max);
    if (ttlSeconds < MIN_RESET_TOKEN_TTL_SECONDS || ttlSeconds > max) {
      throw Errors.invalidField(
        'expiresInSeconds',
        `expiresInSeconds must be from ${MIN_RESET_TOKEN_TTL_SECONDS} to ${max} (the account's resetTokenMaxTtlSeconds)`,
      );
    }
    // Counted only for a request that would issue: a refused one must not spend the user's budget, which the portal
    // needs for the real link.
    await this.rateLimiter.consume('ISSUE_CALLER', principal.tokenId);
    await this.rateLimiter.consume('ISSUE_TARGET', user.id);
    const actor = actorOf(principal);
    return this.dataSource.transaction(async (m) => {
      // The role is checked again under the lock: a promotion in between must not get a token.
      const locked = await this.users.lockInAccount(user.id, account.id, m);
      if (!locked) throw Errors.notFound('User');
      if (locked.role !== 'user') throw onlyUserRole();
      const issued = await this.tokens.issue(
        { accountId: account.id, userId: user.id, origin: 'api', createdBy: actor, ttlSeconds },
        m,
      );
      await this.events.record(
        {
          accountId: account.id,
          action: 'user.resetPasswordToken.created',
          actor,
          targetUserId: user.id,
          ctx,
          data: { tokenId: issued.id, expiresAt: issued.expiresAt.toISOString(), origin: 'api', emailed: !!dto.send },
        },
        m,
      );
      if (dto.send) {
        await this.mail.enqueue(
          { event: 'user.reset-password-request', account, user, token: issued.token, expiresAt: issued.expiresAt },
          m,
        );
      }
      return Object.assign(new IssuedResetTokenResponseDto(), {
        resetPasswordToken: issued.token,
        expiresAt: issued.expiresAt.toISOString(),
        // The link templates came with the user: one round trip fewer, none of them inside the transaction.
        link: this.mail.resetLinkFrom(account, user, issued.token, linkTemplates, issued.expiresAt),
      });
    });
  }

  async listOutstanding(principal: Principal, userId: string): Promise<ResetTokenResponseDto[]> {
    const user = await this.users.findInAccount(principal.accountId, userId);
    const tokens = await this.tokens.listOutstanding(user.id, user.accountId);
    return tokens.map((t) => ResetTokenResponseDto.from(t));
  }

  async revokeAll(principal: Principal, userId: string, ctx: RequestContext): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const locked = await this.users.lockInAccount(userId, principal.accountId, m);
      if (!locked) throw Errors.notFound('User');
      // Revoking only takes power away: an admin session may do it for anyone, admins included.
      if (locked.role !== 'user' && !isAdminSession(principal)) throw onlyUserRole();
      const count = await this.tokens.revokeAllFor(userId, m);
      await this.events.record(
        {
          ...byPrincipal(principal, ctx),
          action: 'user.resetPasswordToken.revoked',
          targetUserId: userId,
          data: { count },
        },
        m,
      );
    });
  }

  /**
   * Sets a new password with a reset token. The token is judged first (ResetTokenJudge), so a
   * request without a live token is RESET_TOKEN_INVALID whatever the rest of the body holds and
   * nobody can probe the password policy without one; WEAK_PASSWORD with a live token is no failure.
   */
  async resetPassword(pathId: string, body: unknown, ctx: RequestContext): Promise<void> {
    const { live, failureKeys } = await this.judge.judge(pathId, body, ctx);
    const failed = () => this.judge.failure(failureKeys);

    const dto = (await this.bodyPipe.transform(body, { type: 'body', metatype: ResetPasswordDto })) as ResetPasswordDto;
    // One plain statement for the user, its account and the password-changed templates: on the measured reset hot path.
    const found = await this.users.withAccountAndPasswordChangedTemplates(live.accountId, live.userId);
    if (!found) throw await failed(); // deleted since the lookup
    const { user, account, templates } = found;
    const password = await this.policy.assertAcceptable(dto.newPassword, this.policyContext(account, user));
    const passwordHash = await this.hasher.hash(password);

    const consumed = await this.dataSource
      .transaction(async (m) => {
        // The user's row lock first (setting the hash takes it), as a role or email change takes it before revoking
        // the tokens: the two serialise (no deadlock), and the consume below sees the role that change committed.
        if (!(await this.users.setPasswordHash(user.id, account.id, passwordHash, m))) throw NOT_CONSUMED;
        // The consume revokes the user's other tokens too; a token another request took first undoes the hash.
        const used = await this.tokens.consume(live.id, m);
        if (!used) throw NOT_CONSUMED;
        await this.afterPasswordChange(m, account, user, {
          event: {
            action: 'user.passwordReset',
            actor: ANONYMOUS,
            ctx,
            data: { tokenId: used.id, origin: used.origin },
          },
          // A portal that reset the password through the API must not do it behind the user's back.
          alwaysNotify: used.origin === 'api',
          templates,
        });
        return true;
      })
      .catch((err: unknown) => {
        if (err === NOT_CONSUMED) return false;
        throw err;
      });
    if (!consumed) throw await failed();
  }

  /**
   * Checks a reset token without using it: when it expires and the account's minimum password
   * length. Judged exactly like reset-password's token, against the same failure budget.
   */
  async verify(pathId: string, body: unknown, ctx: RequestContext): Promise<VerifiedResetTokenResponseDto> {
    const { live, failureKeys } = await this.judge.judge(pathId, body, ctx);
    // With a live token, the rest of the body is checked as reset-password checks it: an unknown field is 400.
    await this.bodyPipe.transform(body, { type: 'body', metatype: ResetLinkTokenDto });
    const minPasswordLength = await this.accounts.minPasswordLengthOf(live.accountId);
    if (minPasswordLength === null) throw await this.judge.failure(failureKeys); // deleted since the lookup
    return Object.assign(new VerifiedResetTokenResponseDto(), {
      expiresAt: live.expiresAt.toISOString(),
      minPasswordLength,
    });
  }

  /**
   * "I did not ask for this": kills every outstanding token of the user and records it, changing
   * nothing else and sending nothing. Judged like reset-password's token; of a cancel and a reset
   * racing with one token, exactly one succeeds (both revoke or consume it in one guarded statement).
   */
  async cancel(pathId: string, body: unknown, ctx: RequestContext): Promise<void> {
    const { live, failureKeys } = await this.judge.judge(pathId, body, ctx);
    await this.bodyPipe.transform(body, { type: 'body', metatype: ResetLinkTokenDto });
    const canceled = await this.dataSource.transaction(async (m) => {
      const count = await this.tokens.cancel(live.id, live.userId, m);
      if (count === null) return false; // a concurrent request used or cancelled it first
      await this.events.record(
        {
          accountId: live.accountId,
          action: 'user.resetPasswordCanceled',
          actor: ANONYMOUS,
          targetUserId: live.userId,
          ctx,
          data: { tokenId: live.id, origin: live.origin, count },
        },
        m,
      );
      return true;
    });
    if (!canceled) throw await this.judge.failure(failureKeys);
  }

  /**
   * A user changes their own password. A wrong old password counts as a failed login for the
   * account + email + IP, so this route cannot be used to guess it faster than login.
   */
  async updatePassword(principal: Principal, userId: string, dto: UpdatePasswordDto, ctx: RequestContext) {
    if (userId !== principal.userId) {
      await this.users.findInAccount(principal.accountId, userId);
      throw Errors.forbidden('Only the user may change their own password.');
    }
    const user = await this.users.findInAccount(principal.accountId, userId);
    const account = await this.accounts.findByIdOrFail(principal.accountId);
    // The keys login counts failures under (per account + email + IP, and per account + email), so neither route
    // buys guesses the other has spent, and guessing from many addresses is bounded as at login.
    const target = `${canonicalAlias(account.alias)}:${canonicalEmail(user.email)}`;
    // Counted up front like a login attempt, and given back when the old password is right.
    const succeeded = await this.rateLimiter.countFailureUpFront([
      ['LOGIN_FAILURES_TARGET_IP', `${target}:${rateLimitKeyOf(ctx.ip)}`],
      ['LOGIN_FAILURES_TARGET', target],
    ]);
    const oldHash = await this.users.passwordHashOf(user.id, account.id);
    if (!(await this.hasher.verify(oldHash, dto.oldPassword))) throw Errors.wrongPassword();
    await succeeded();
    const password = await this.policy.assertAcceptable(dto.newPassword, this.policyContext(account, user));
    const passwordHash = await this.hasher.hash(password);
    await this.dataSource.transaction(async (m) => {
      // Only over the hash the old password was checked against (verify refuses a missing one): a reset, or another
      // change, that committed since has made the old password wrong, and its password stands.
      if (!(await this.users.setPasswordHash(user.id, account.id, passwordHash, m, oldHash!)))
        throw (await this.users.passwordHashOf(user.id, account.id, m)) === null
          ? Errors.notFound('User')
          : Errors.wrongPassword();
      await this.tokens.revokeAllFor(user.id, m);
      await this.afterPasswordChange(m, account, user, {
        event: { action: 'user.passwordUpdated', actor: actorOf(principal), ctx },
        keepSessionId: principal.tokenId,
      });
    });
  }

  /**
   * What reset-password and update-password both do once the new hash is set and the user's reset tokens are dead, in
   * the caller's transaction: kill the user's sessions (but `keepSessionId`), record the event, and queue the
   * password-changed notification when the account asks for it or `alwaysNotify` says so (with the saved `templates`
   * when the caller read them already).
   */
  private async afterPasswordChange(
    m: EntityManager,
    account: Pick<Account, 'notifyOnPasswordChange'> & MailAccount,
    user: Recipient,
    change: {
      event: Pick<NewEvent, 'action' | 'actor' | 'ctx' | 'data'>;
      keepSessionId?: string;
      alwaysNotify?: boolean;
      templates?: SavedTemplate[];
    },
  ): Promise<void> {
    await this.credentials.revokeSessionsOf(user.id, m, change.keepSessionId);
    await this.events.record({ accountId: account.id, targetUserId: user.id, ...change.event }, m);
    if (account.notifyOnPasswordChange || change.alwaysNotify) {
      if (change.templates) await this.mail.enqueuePasswordChanged({ account, user }, change.templates, m);
      else await this.mail.enqueue({ event: 'user.password-changed', account, user }, m);
    }
  }

  private policyContext(
    account: Pick<Account, 'minPasswordLength' | 'name'>,
    user: Pick<User, 'email' | 'firstName' | 'lastName'>,
  ) {
    return {
      minLength: account.minPasswordLength,
      email: user.email,
      firstName: user.firstName,
      lastName: user.lastName,
      accountName: account.name,
    };
  }
}
