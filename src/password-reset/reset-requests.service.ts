import { rateLimitKeyOf } from '../common/ip-address.js';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AccountsService } from '../accounts/accounts.service.js';
import { canonicalAlias, canonicalEmail, IdentifierError } from '../common/identifiers.js';
import { RateLimiter } from '../common/rate-limiter.service.js';
import type { RequestContext } from '../common/request-context.js';
import { EventLogsService } from '../event-logs/event-logs.service.js';
import { MailService } from '../mail/mail.service.js';
import { OutboxService } from '../mail/outbox.service.js';
import { UsersService } from '../users/users.service.js';
import type { ResetPasswordRequestDto } from './dto/reset-password-request.dto.js';
import { ResetTokensService } from '../reset-tokens/reset-tokens.service.js';

const ANONYMOUS = { type: 'anonymous', id: null } as const;

/** What the request path hands to the outbox: the claim in canonical form, and who made it. */
interface ResetRequestJob {
  accountAlias: string;
  email: string;
  ip: string | null;
  userAgent: string | null;
}

/**
 * "Send me a reset email". The request path does the same work whether or not the user exists —
 * the rate limits and one outbox insert — and answers 202; the lookup, the token and the email
 * happen in the outbox, off the request path, so neither the answer nor its timing tells anything.
 */
@Injectable()
export class ResetRequestsService implements OnModuleInit {
  constructor(
    private readonly tokens: ResetTokensService,
    private readonly users: UsersService,
    private readonly accounts: AccountsService,
    private readonly rateLimiter: RateLimiter,
    private readonly events: EventLogsService,
    private readonly mail: MailService,
    private readonly outbox: OutboxService,
  ) {}

  onModuleInit(): void {
    this.outbox.registerHandler('reset-request', (payload, manager) =>
      this.fulfil(payload as unknown as ResetRequestJob, manager),
    );
  }

  async request(dto: ResetPasswordRequestDto, ctx: RequestContext): Promise<void> {
    // Keyed by the canonical form, known or not: a 429 never tells whether the user exists, and no
    // spelling of an email gets a budget of its own.
    const accountAlias = canonicalAlias(dto.accountAlias);
    const email = canonicalEmail(dto.email);
    await this.rateLimiter.consume('RESET_REQUEST_IP', rateLimitKeyOf(ctx.ip));
    await this.rateLimiter.consume('RESET_REQUEST_TARGET', `${accountAlias}:${email}`);
    const job: ResetRequestJob = {
      accountAlias,
      email,
      ip: ctx.ip,
      userAgent: ctx.userAgent,
    };
    await this.outbox.enqueue('reset-request', { ...job }, null);
  }

  /** Issues an email-origin token and queues the reset email when the user exists; otherwise nothing. */
  private async fulfil(job: ResetRequestJob, m: EntityManager): Promise<void> {
    let email: string;
    try {
      // Canonical already; again for jobs an earlier version queued with the email as typed.
      email = canonicalEmail(job.email);
    } catch (err) {
      if (err instanceof IdentifierError) return;
      throw err;
    }
    const inAccount = await this.accounts.findByAlias(canonicalAlias(job.accountAlias), m);
    if (!inAccount) return;
    const userId = await this.users.findIdByEmail(inAccount.id, email, m);
    if (!userId) return;
    // Lock first, so a concurrent issuance for the same user waits for this one.
    if (!(await this.users.lockInAccount(userId, inAccount.id, m))) return;
    const account = await this.accounts.findByIdOrFail(inAccount.id, m);
    const user = await this.users.findInAccount(inAccount.id, userId, m);
    const ttlSeconds = Math.min(account.resetTokenTtlSeconds, account.resetTokenMaxTtlSeconds);
    const issued = await this.tokens.issue(
      { accountId: account.id, userId: user.id, origin: 'email', createdBy: ANONYMOUS, ttlSeconds },
      m,
    );
    const ctx: RequestContext = { ip: job.ip, userAgent: job.userAgent };
    const base = { accountId: account.id, actor: ANONYMOUS, targetUserId: user.id, ctx };
    await this.events.record({ ...base, action: 'user.resetPasswordRequested', data: { tokenId: issued.id } }, m);
    await this.events.record(
      {
        ...base,
        action: 'user.resetPasswordToken.created',
        data: { tokenId: issued.id, expiresAt: issued.expiresAt.toISOString(), origin: 'email' },
      },
      m,
    );
    await this.mail.enqueue(
      { event: 'user.reset-password-request', account, user, token: issued.token, expiresAt: issued.expiresAt },
      m,
    );
  }
}
