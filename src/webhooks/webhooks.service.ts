import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, Repository } from 'typeorm';
import { actorOf, type Principal } from '../auth/principal.js';
import { Errors } from '../common/api-error.js';
import { Clock } from '../common/clock.js';
import { skipOf } from '../common/pagination.dto.js';
import { RateLimiter } from '../common/rate-limiter.service.js';
import type { RequestContext } from '../common/request-context.js';
import { SecretBox } from '../common/secret-box.js';
import { lockForTransaction } from '../common/transaction-lock.js';
import { AppConfig } from '../config/app-config.js';
import { EventLogsService } from '../event-logs/event-logs.service.js';
import type { CreateWebhookDto } from './dto/create-webhook.dto.js';
import type { ListDeliveriesQueryDto } from './dto/list-deliveries-query.dto.js';
import type { RotateWebhookSecretDto } from './dto/rotate-webhook-secret.dto.js';
import type { UpdateWebhookDto } from './dto/update-webhook.dto.js';
import { WebhookDeliveryResponseDto } from './dto/webhook-delivery-response.dto.js';
import { CreatedWebhookDto, WebhookResponseDto, type WebhookSecretDto } from './dto/webhook-response.dto.js';
import { webhookUrlProblem } from './net/webhook-url.js';
import { newWebhookSecret } from './signing.js';
import { WebhookDelivery } from './webhook-delivery.entity.js';
import { TEST_EVENT } from './webhook-events.js';
import { WebhookNotices } from './webhook-notices.js';
import { Webhook } from './webhook.entity.js';

/** At most this many endpoints per account (API.md "Webhooks"). */
export const MAX_WEBHOOKS_PER_ACCOUNT = 10;
/** After a rotation the old secret also signs this long, unless `expireOldNow`. */
export const SECRET_OVERLAP_MS = 24 * 3600 * 1000;

/** The sealed secrets of an endpoint, as signingSecrets() needs them. */
export type WebhookSecrets = Pick<Webhook, 'id' | 'secretSealed' | 'previousSecretSealed' | 'previousSecretExpiresAt'>;

/** The host an event names instead of the URL: a URL's path or query may itself be a credential of the receiver. */
const hostOf = (url: string) => new URL(url).host;

/**
 * The account's webhook endpoints: every change needs an admin session (the controller's policy) and
 * writes an event; a new endpoint and a new URL are emailed to every admin. Deliveries are queued by the
 * event log's trigger (see the Webhooks migration) and sent by the delivery worker.
 */
@Injectable()
export class WebhooksService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Webhook) private readonly webhooks: Repository<Webhook>,
    @InjectRepository(WebhookDelivery) private readonly deliveries: Repository<WebhookDelivery>,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly events: EventLogsService,
    private readonly notices: WebhookNotices,
    private readonly box: SecretBox,
    private readonly rateLimiter: RateLimiter,
  ) {}

  async create(principal: Principal, dto: CreateWebhookDto, ctx: RequestContext): Promise<CreatedWebhookDto> {
    const url = this.checkedUrl(dto.url);
    const id = randomUUID();
    const secret = newWebhookSecret();
    const now = this.clock.now();
    const actor = actorOf(principal);
    return this.dataSource.transaction(async (m) => {
      // Concurrent creations count one after another.
      await this.lockEndpoints(principal, m);
      if ((await m.countBy(Webhook, { accountId: principal.accountId })) >= MAX_WEBHOOKS_PER_ACCOUNT)
        throw Errors.conflict(`An account has at most ${MAX_WEBHOOKS_PER_ACCOUNT} webhook endpoints.`);
      const webhook = m.create(Webhook, {
        id,
        accountId: principal.accountId,
        url,
        events: dto.events,
        description: dto.description ?? null,
        enabled: true,
        disabledReason: null,
        secretSealed: this.box.seal(secret, id),
        previousSecretSealed: null,
        previousSecretExpiresAt: null,
        failingSince: null,
        createdByType: actor.type,
        createdById: actor.id,
        createdAt: now,
        updatedAt: now,
      });
      await m.insert(Webhook, webhook);
      await this.record(principal, 'webhook.created', ctx, m, {
        webhookId: id,
        host: hostOf(webhook.url),
        events: webhook.events,
      });
      await this.notices.send('created', webhook, m);
      return CreatedWebhookDto.withSecret(webhook, secret);
    });
  }

  async list(principal: Principal): Promise<WebhookResponseDto[]> {
    const rows = await this.webhooks.find({
      where: { accountId: principal.accountId },
      order: { createdAt: 'DESC', id: 'DESC' },
    });
    return rows.map((w) => WebhookResponseDto.from(w));
  }

  async get(principal: Principal, id: string): Promise<WebhookResponseDto> {
    return WebhookResponseDto.from(await this.find(principal, id));
  }

  async update(
    principal: Principal,
    id: string,
    dto: UpdateWebhookDto,
    ctx: RequestContext,
  ): Promise<WebhookResponseDto> {
    const url = dto.url === undefined ? undefined : this.checkedUrl(dto.url);
    return this.dataSource.transaction(async (m) => {
      await this.lockEndpoints(principal, m);
      const webhook = await this.find(principal, id, m);
      const changes: Partial<Webhook> = {};
      if (url !== undefined && url !== webhook.url) changes.url = url;
      if (dto.events !== undefined && !sameList(dto.events, webhook.events)) changes.events = dto.events;
      if (dto.description !== undefined && (dto.description ?? null) !== webhook.description)
        changes.description = dto.description ?? null;
      if (dto.enabled === false && webhook.enabled)
        Object.assign(changes, { enabled: false, disabledReason: 'manual' });
      if (dto.enabled === true && !webhook.enabled)
        Object.assign(changes, { enabled: true, disabledReason: null, failingSince: null });
      const changed = Object.keys(changes).filter((k) => k !== 'disabledReason' && k !== 'failingSince');
      if (changed.length === 0) return WebhookResponseDto.from(webhook);

      Object.assign(webhook, changes, { updatedAt: this.clock.now() });
      await m.update(Webhook, { id: webhook.id }, { ...changes, updatedAt: webhook.updatedAt });
      // A disabled endpoint keeps nothing queued.
      if (changes.enabled === false) await m.delete(WebhookDelivery, { webhookId: webhook.id, status: 'pending' });
      await this.record(principal, 'webhook.updated', ctx, m, {
        webhookId: webhook.id,
        changes: changed,
        host: hostOf(webhook.url),
        events: webhook.events,
        enabled: webhook.enabled,
      });
      if (changes.url !== undefined) await this.notices.send('urlChanged', webhook, m);
      return WebhookResponseDto.from(webhook);
    });
  }

  /** Deletes the endpoint; its attempts, pending ones included, go with it (ON DELETE CASCADE). */
  async remove(principal: Principal, id: string, ctx: RequestContext): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await this.lockEndpoints(principal, m);
      const webhook = await this.find(principal, id, m);
      await m.delete(Webhook, { id: webhook.id, accountId: principal.accountId });
      await this.record(principal, 'webhook.deleted', ctx, m, { webhookId: webhook.id, host: hostOf(webhook.url) });
    });
  }

  /**
   * A new signing secret. The one it replaces also signs for 24 hours, unless `expireOldNow`; only the
   * current and the previous secret are kept, so a second rotation ends the oldest at once.
   */
  async rotateSecret(
    principal: Principal,
    id: string,
    dto: RotateWebhookSecretDto,
    ctx: RequestContext,
  ): Promise<WebhookSecretDto> {
    const secret = newWebhookSecret();
    const now = this.clock.now();
    return this.dataSource.transaction(async (m) => {
      await this.lockEndpoints(principal, m);
      const webhook = await this.find(principal, id, m, true);
      const previousSecretExpiresAt = dto.expireOldNow ? null : new Date(now.getTime() + SECRET_OVERLAP_MS);
      await m.update(
        Webhook,
        { id: webhook.id },
        {
          secretSealed: this.box.seal(secret, webhook.id),
          previousSecretSealed: previousSecretExpiresAt ? webhook.secretSealed : null,
          previousSecretExpiresAt,
          updatedAt: now,
        },
      );
      await this.record(principal, 'webhook.updated', ctx, m, {
        webhookId: webhook.id,
        changes: ['secret'],
        previousSecretExpiresAt: previousSecretExpiresAt?.toISOString() ?? null,
      });
      return { secret };
    });
  }

  /**
   * Queues a `webhook.test` event for this endpoint only (the event log's trigger queues its one
   * delivery). A disabled endpoint is 409; 10 an hour per endpoint.
   */
  async test(principal: Principal, id: string, ctx: RequestContext): Promise<void> {
    const webhook = await this.find(principal, id);
    if (!webhook.enabled) throw Errors.conflict('The endpoint is disabled; enable it before sending a test event.');
    await this.rateLimiter.consume('WEBHOOK_TEST', webhook.id);
    await this.record(principal, TEST_EVENT, ctx, this.dataSource.manager, { webhookId: webhook.id });
  }

  /** The endpoint's attempts, newest first, and how many match in all. */
  async listDeliveries(
    principal: Principal,
    id: string,
    q: ListDeliveriesQueryDto,
  ): Promise<[WebhookDeliveryResponseDto[], number]> {
    const webhook = await this.find(principal, id);
    const [rows, total] = await this.deliveries.findAndCount({
      where: {
        webhookId: webhook.id,
        accountId: principal.accountId,
        ...(q.status !== undefined ? { status: q.status } : {}),
        ...(q.type !== undefined ? { type: q.type } : {}),
      },
      order: { createdAt: 'DESC', attempt: 'DESC', id: 'DESC' },
      skip: skipOf(q),
      take: q.limit,
    });
    return [rows.map((d) => WebhookDeliveryResponseDto.from(d)), total];
  }

  /**
   * The secrets that sign a delivery at `now`: the current one, then the previous one while its 24 hours
   * last. `webhook` must have been loaded with its sealed secrets (findWithSecrets).
   */
  signingSecrets(webhook: WebhookSecrets, now: Date): string[] {
    const secrets = [this.box.open(webhook.secretSealed, webhook.id)];
    if (
      webhook.previousSecretSealed &&
      webhook.previousSecretExpiresAt &&
      webhook.previousSecretExpiresAt.getTime() > now.getTime()
    )
      secrets.push(this.box.open(webhook.previousSecretSealed, webhook.id));
    return secrets;
  }

  /** An endpoint with its sealed secrets (never selected otherwise), or null; for the delivery worker. */
  findWithSecrets(id: string): Promise<Webhook | null> {
    return this.webhooks
      .createQueryBuilder('w')
      .addSelect(['w.secretSealed', 'w.previousSecretSealed'])
      .where('w.id = :id', { id })
      .getOne();
  }

  /**
   * Makes the account's endpoint changes (create, change, rotate, delete) run one after another. Each one locks its
   * endpoint and writes an event whose fan-out locks every subscribed endpoint of the account (FOR KEY SHARE): two
   * changes of two endpoints at once would each wait for the other's endpoint.
   */
  private lockEndpoints(principal: Principal, m: EntityManager): Promise<void> {
    return lockForTransaction(m, `webhooks:${principal.accountId}`);
  }

  /** The caller's endpoint, or 404: another account's id does not exist for the caller. */
  private async find(principal: Principal, id: string, m?: EntityManager, withSecrets = false): Promise<Webhook> {
    const repo = m ? m.withRepository(this.webhooks) : this.webhooks;
    const qb = repo.createQueryBuilder('w').where('w.id = :id AND w.accountId = :accountId', {
      id,
      accountId: principal.accountId,
    });
    if (withSecrets) qb.addSelect(['w.secretSealed', 'w.previousSecretSealed']);
    // In a transaction the row is locked: concurrent changes to one endpoint apply one after another.
    if (m) qb.setLock('pessimistic_write');
    const webhook = await qb.getOne();
    if (!webhook) throw Errors.notFound('Webhook');
    return webhook;
  }

  /**
   * The url as it is stored, shown and delivered to: its WHATWG serialisation (a backslash is a slash, a Unicode host
   * its ASCII name, the default port dropped), so every reader of the list sees the host that is connected to; 400
   * when webhookUrlProblem refuses it.
   */
  private checkedUrl(url: string): string {
    const problem = webhookUrlProblem(url, this.config.webhookAllowPrivateNetworks);
    if (problem) throw Errors.invalidField('url', problem);
    return new URL(url).href;
  }

  private record(
    principal: Principal,
    action: string,
    ctx: RequestContext,
    m: EntityManager,
    data: Record<string, unknown>,
  ): Promise<void> {
    return this.events.record({ accountId: principal.accountId, action, actor: actorOf(principal), ctx, data }, m);
  }
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
