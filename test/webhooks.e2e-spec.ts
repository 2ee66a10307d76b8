import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { ALL_SCOPES } from '../src/auth/scopes.js';
import { WEBHOOK_EVENT_TYPES } from '../src/webhooks/webhook-events.js';
import { WebhooksService } from '../src/webhooks/webhooks.service.js';
import { api, createTestApp, type TestApp } from './helpers/app.js';
import { bearer, createPat, createUser, login, signUp, type SignedUp } from './helpers/factories.js';
import { mailbox } from './helpers/mailbox.js';

const URL_A = 'https://hooks.example.test/latchkey';
const SECRET = /^whsec_[A-Za-z0-9+/]{43}=$/;

interface Delivery {
  id: string;
  eventId: string;
  type: string;
  attempt: number;
  status: string;
  nextAttemptAt: string | null;
}

describe('webhooks', () => {
  let t: TestApp;
  let dataSource: DataSource;
  let a: SignedUp;
  let b: SignedUp;
  /** Every secret any response handed out: none may appear anywhere else. */
  const secrets: string[] = [];
  const admin = () => bearer(a.accessToken);

  const create = async (as: SignedUp, body: Record<string, unknown>) => {
    const res = await api(t).post('/v3/webhooks').set(bearer(as.accessToken)).send(body);
    if (res.status !== 201) throw new Error(`webhook creation failed: ${res.status} ${JSON.stringify(res.body)}`);
    secrets.push(res.body.secret);
    return res.body as { id: string; secret: string } & Record<string, unknown>;
  };
  const deliveries = async (webhookId: string, query = ''): Promise<Delivery[]> =>
    (await api(t).get(`/v3/webhooks/${webhookId}/deliveries?limit=100${query}`).set(admin()).expect(200)).body;
  const eventsOf = async (as: SignedUp, action: string) =>
    (await api(t).get(`/v3/event-logs?action=${action}&limit=100`).set(bearer(as.accessToken)).expect(200)).body as {
      id: string;
      createdAt: string;
      data: Record<string, unknown>;
    }[];
  const secretsOf = async (id: string, now = t.clock.now()) => {
    const service = t.app.get(WebhooksService);
    return service.signingSecrets((await service.findWithSecrets(id))!, now);
  };

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMITS: 'on', OUTBOX_WORKER: 'off' });
    dataSource = t.app.get(DataSource);
    a = await signUp(t);
    b = await signUp(t);
  }, 120_000);
  afterAll(async () => t?.close());

  describe('create, read, change, delete', () => {
    it('creates an endpoint: the secret once and no-store, the admins emailed, a webhook.created event', async () => {
      const secondAdmin = await createUser(t, a.accessToken, { role: 'admin' });
      await mailbox(t);
      const res = await api(t)
        .post('/v3/webhooks')
        .set(admin())
        .send({ url: URL_A, events: ['user.created', 'user.deleted'], description: 'Portal' })
        .expect(201);
      secrets.push(res.body.secret);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toEqual({
        id: expect.any(String),
        url: URL_A,
        events: ['user.created', 'user.deleted'],
        description: 'Portal',
        enabled: true,
        disabledReason: null,
        createdBy: { type: 'user', id: a.user.id },
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        secret: expect.stringMatching(SECRET),
      });
      const { secret, ...listed } = res.body;
      expect(await secretsOf(res.body.id)).toEqual([secret]);

      expect((await api(t).get(`/v3/webhooks/${res.body.id}`).set(admin()).expect(200)).body).toEqual(listed);
      const list = await api(t).get('/v3/webhooks').set(admin()).expect(200);
      expect(list.body).toEqual([listed]);
      expect(list.headers['x-total-count']).toBe('1');

      const mails = (await mailbox(t)).filter((m) => m.subject === 'A webhook endpoint was added to your account');
      expect(mails.map((m) => m.to).sort()).toEqual([a.user.email, secondAdmin.email].sort());
      expect(mails[0].text).toContain(URL_A);

      const [event] = await eventsOf(a, 'webhook.created');
      expect(event.data).toEqual({
        webhookId: res.body.id,
        host: 'hooks.example.test',
        events: ['user.created', 'user.deleted'],
      });
    });

    it('changes an endpoint: a new url is emailed, disabling drops pending attempts, enabling restarts the clock', async () => {
      const w = await create(a, { url: URL_A, events: ['*'], description: 'Old' });
      await createUser(t, a.accessToken);
      expect((await deliveries(w.id, '&status=pending')).length).toBeGreaterThan(0);
      await mailbox(t);

      const moved = await api(t)
        .patch(`/v3/webhooks/${w.id}`)
        .set(admin())
        .send({ url: 'https://other.example.test/in', description: null })
        .expect(200);
      expect(moved.body).toMatchObject({ url: 'https://other.example.test/in', description: null });
      expect(moved.body.secret).toBeUndefined();
      const urlNotices = async () =>
        (await mailbox(t)).filter((m) => m.subject === "A webhook endpoint's URL was changed");
      const notices = await urlNotices();
      const admins = (await api(t).get('/v3/users?role=admin').set(admin())).body.map(
        (u: { email: string }) => u.email,
      );
      expect(notices.map((m) => m.to).sort()).toEqual(admins.sort());
      expect(notices[0].text).toContain('https://other.example.test/in');
      // The same url again is no change: no second notice.
      await api(t)
        .patch(`/v3/webhooks/${w.id}`)
        .set(admin())
        .send({ url: 'https://other.example.test/in' })
        .expect(200);
      expect(await urlNotices()).toHaveLength(notices.length);

      const off = await api(t).patch(`/v3/webhooks/${w.id}`).set(admin()).send({ enabled: false }).expect(200);
      expect(off.body).toMatchObject({ enabled: false, disabledReason: 'manual' });
      expect(await deliveries(w.id, '&status=pending')).toEqual([]);
      // Disabled: nothing is queued for it.
      await createUser(t, a.accessToken);
      expect(await deliveries(w.id, '&status=pending')).toEqual([]);

      await dataSource.query(`UPDATE webhooks SET failing_since = now() WHERE id = $1`, [w.id]);
      const on = await api(t).patch(`/v3/webhooks/${w.id}`).set(admin()).send({ enabled: true }).expect(200);
      expect(on.body).toMatchObject({ enabled: true, disabledReason: null });
      const [row] = await dataSource.query(`SELECT failing_since FROM webhooks WHERE id = $1`, [w.id]);
      expect(row.failing_since).toBeNull();

      const updates = await eventsOf(a, 'webhook.updated');
      expect(updates.map((e) => e.data.changes)).toEqual(
        expect.arrayContaining([['url', 'description'], ['enabled'], ['enabled']]),
      );
      await api(t).delete(`/v3/webhooks/${w.id}`).set(admin()).expect(204);
    });

    it('deletes an endpoint with its pending attempts and writes webhook.deleted', async () => {
      const w = await create(a, { url: URL_A, events: ['*'] });
      await createUser(t, a.accessToken);
      expect((await deliveries(w.id)).length).toBeGreaterThan(0);
      await api(t).delete(`/v3/webhooks/${w.id}`).set(admin()).expect(204);
      await api(t).get(`/v3/webhooks/${w.id}`).set(admin()).expect(404);
      await api(t).get(`/v3/webhooks/${w.id}/deliveries`).set(admin()).expect(404);
      const [{ n }] = await dataSource.query(
        `SELECT count(*)::int AS n FROM webhook_deliveries WHERE webhook_id = $1`,
        [w.id],
      );
      expect(n).toBe(0);
      expect((await eventsOf(a, 'webhook.deleted')).map((e) => e.data.webhookId)).toContain(w.id);
    });
  });

  describe('who may call', () => {
    it('refuses every change to a PAT with every scope and to a user session, and nothing changes', async () => {
      const w = await create(a, { url: URL_A, events: ['user.created'] });
      const allPat = (await createPat(t, a.accessToken, [...ALL_SCOPES])).token;
      const member = await createUser(t, a.accessToken);
      const memberSession = (await login(t, a.account.alias, member.email)).accessToken;
      const before = (await api(t).get('/v3/webhooks').set(admin())).body;
      const writes = {
        create: () =>
          api(t)
            .post('/v3/webhooks')
            .send({ url: 'https://evil.example.test/', events: ['*'] }),
        update: () => api(t).patch(`/v3/webhooks/${w.id}`).send({ url: 'https://evil.example.test/' }),
        remove: () => api(t).delete(`/v3/webhooks/${w.id}`),
        rotate: () => api(t).post(`/v3/webhooks/${w.id}/rotate-secret`).send({ expireOldNow: true }),
        test: () => api(t).post(`/v3/webhooks/${w.id}/test`),
      };
      for (const token of [allPat, memberSession])
        for (const [label, req] of Object.entries(writes)) {
          const res = await req().set(bearer(token));
          expect({ label, status: res.status, code: res.body.code, secret: res.body.secret }).toEqual({
            label,
            status: 403,
            code: 'FORBIDDEN',
            secret: undefined,
          });
        }
      expect((await api(t).get('/v3/webhooks').set(admin())).body).toEqual(before);
      expect(await secretsOf(w.id)).toEqual([w.secret]);
      expect(await deliveries(w.id, '&type=webhook.test')).toEqual([]);
    });

    it('lets a PAT with account:read read endpoints and deliveries, and no PAT without it', async () => {
      const w = await create(a, { url: URL_A, events: ['user.created'] });
      const reader = (await createPat(t, a.accessToken, ['account:read'])).token;
      const list = await api(t).get('/v3/webhooks').set(bearer(reader)).expect(200);
      expect(list.body.map((x: { id: string }) => x.id)).toContain(w.id);
      await api(t).get(`/v3/webhooks/${w.id}`).set(bearer(reader)).expect(200);
      await api(t).get(`/v3/webhooks/${w.id}/deliveries`).set(bearer(reader)).expect(200);
      const other = (await createPat(t, a.accessToken, ['user:read'])).token;
      const res = await api(t).get('/v3/webhooks').set(bearer(other)).expect(403);
      expect(res.body.code).toBe('INSUFFICIENT_SCOPE');
    });

    it("answers another account's endpoint with 404 on every route, and leaves it alone", async () => {
      const theirs = await create(b, { url: URL_A, events: ['*'] });
      const before = (await api(t).get(`/v3/webhooks/${theirs.id}`).set(bearer(b.accessToken))).body;
      const calls = {
        get: () => api(t).get(`/v3/webhooks/${theirs.id}`),
        update: () => api(t).patch(`/v3/webhooks/${theirs.id}`).send({ enabled: false }),
        remove: () => api(t).delete(`/v3/webhooks/${theirs.id}`),
        rotate: () => api(t).post(`/v3/webhooks/${theirs.id}/rotate-secret`),
        test: () => api(t).post(`/v3/webhooks/${theirs.id}/test`),
        deliveries: () => api(t).get(`/v3/webhooks/${theirs.id}/deliveries`),
      };
      for (const [label, req] of Object.entries(calls)) {
        const res = await req().set(admin());
        expect({ label, status: res.status, code: res.body.code }).toEqual({
          label,
          status: 404,
          code: 'NOT_FOUND',
        });
      }
      expect((await api(t).get('/v3/webhooks').set(admin())).body.map((x: { id: string }) => x.id)).not.toContain(
        theirs.id,
      );
      expect((await api(t).get(`/v3/webhooks/${theirs.id}`).set(bearer(b.accessToken))).body).toEqual(before);
      expect(await secretsOf(theirs.id)).toEqual([theirs.secret]);
    });
  });

  describe('validation', () => {
    const bad = async (body: unknown, field: string, method: 'post' | 'patch' = 'post', id = '') => {
      const res = await api(t)
        [method](`/v3/webhooks${id ? `/${id}` : ''}`)
        .set(admin())
        .send(body as object);
      expect({ body: JSON.stringify(body).slice(0, 80), status: res.status, code: res.body.code }).toEqual({
        body: JSON.stringify(body).slice(0, 80),
        status: 400,
        code: 'VALIDATION_FAILED',
      });
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    };

    it.each([
      ['plain http', 'http://hooks.example.test/'],
      ['another scheme', 'ftp://hooks.example.test/'],
      ['not a URL', 'hooks.example.test/in'],
      ['userinfo', 'https://user:pw@hooks.example.test/'],
      ['a fragment', 'https://hooks.example.test/in#x'],
      ['localhost', 'https://localhost/in'],
      ['*.localhost', 'http://app.localhost/in'],
      ['loopback', 'https://127.0.0.1/in'],
      ['IPv6 loopback', 'https://[::1]/in'],
      ['private', 'https://10.1.2.3/in'],
      ['link-local (metadata)', 'https://169.254.169.254/latest'],
      ['too long', `https://hooks.example.test/${'a'.repeat(2030)}`],
    ])('refuses a url with %s', async (_, url) => {
      await bad({ url, events: ['*'] }, 'url');
    });

    it.each([
      ['missing', undefined],
      ['null', null],
      ['empty', []],
      ['an unknown type', ['user.exploded']],
      ['a type twice', ['user.created', 'user.created']],
      ['* with others', ['*', 'user.created']],
      ['a string', 'user.created'],
      ['a number in it', [1]],
      ['null in it', [null]],
      ['too many', [...WEBHOOK_EVENT_TYPES, 'user.created']],
    ])('refuses events that are %s', async (_, events) => {
      await bad({ url: URL_A, events }, 'events');
    });

    it.each([
      ['a control character', 'line\nbreak'],
      ['a format character', 'abc\u202edef'],
      ['101 characters', 'x'.repeat(101)],
      ['a number', 5],
    ])('refuses a description with %s', async (_, description) => {
      await bad({ url: URL_A, events: ['*'], description }, 'description');
    });

    it('refuses a url that is null, not a string or missing, and unknown fields', async () => {
      await bad({ events: ['*'] }, 'url');
      await bad({ url: null, events: ['*'] }, 'url');
      await bad({ url: 42, events: ['*'] }, 'url');
      await bad({ url: URL_A, events: ['*'], secret: 'whsec_mine' }, 'secret');
    });

    it('refuses nulls and wrong types on PATCH, but null clears the description', async () => {
      const w = await create(a, { url: URL_A, events: ['*'], description: 'To clear' });
      for (const [body, field] of [
        [{ url: null }, 'url'],
        [{ events: null }, 'events'],
        [{ events: [] }, 'events'],
        [{ enabled: null }, 'enabled'],
        [{ enabled: 'false' }, 'enabled'],
        [{ url: 'https://127.0.0.1/' }, 'url'],
        [{ id: w.id }, 'id'],
      ] as const)
        await bad(body, field, 'patch', w.id);
      const res = await api(t).patch(`/v3/webhooks/${w.id}`).set(admin()).send({ description: null }).expect(200);
      expect(res.body.description).toBeNull();
      await api(t).get('/v3/webhooks/not-a-uuid').set(admin()).expect(400);
      await api(t).post(`/v3/webhooks/${w.id}/rotate-secret`).set(admin()).send({ expireOldNow: 'yes' }).expect(400);
      for (const q of ['limit=0', 'limit=101', 'page=0', 'status=done', 'type=user.loggedIn'])
        await api(t).get(`/v3/webhooks/${w.id}/deliveries?${q}`).set(admin()).expect(400);
      await api(t).delete(`/v3/webhooks/${w.id}`).set(admin()).expect(204);
    });

    it('stores and shows a url as it is delivered to: the WHATWG serialisation of what was sent', async () => {
      const c = await signUp(t);
      for (const [sent, stored] of [
        // A backslash is a slash to the parser that delivers: the list must not show an `…@evil.test` host.
        ['https://hooks.example.test\\@evil.test/in', 'https://hooks.example.test/@evil.test/in'],
        // A Unicode host (a lookalike, perhaps) is shown as the ASCII name connected to.
        ['https://bücher.example/in', 'https://xn--bcher-kva.example/in'],
        ['https://аpple.example/in', 'https://xn--pple-43d.example/in'],
        ['HTTPS://HOOKS.Example.TEST:443/In?A=1', 'https://hooks.example.test/In?A=1'],
        ['https://hooks.example.test', 'https://hooks.example.test/'],
      ]) {
        const w = await create(c, { url: sent, events: ['*'] });
        expect({ sent, url: w.url }).toEqual({ sent, url: stored });
        const read = await api(t).get(`/v3/webhooks/${w.id}`).set(bearer(c.accessToken)).expect(200);
        expect(read.body.url).toBe(stored);
        // Another spelling of the same URL is no change: no event, no email to the admins.
        const before = (await eventsOf(c, 'webhook.updated')).length;
        const same = await api(t)
          .patch(`/v3/webhooks/${w.id}`)
          .set(bearer(c.accessToken))
          .send({ url: sent })
          .expect(200);
        expect(same.body.url).toBe(stored);
        expect(await eventsOf(c, 'webhook.updated')).toHaveLength(before);
        await api(t).delete(`/v3/webhooks/${w.id}`).set(bearer(c.accessToken)).expect(204);
      }
    });

    it('refuses an 11th endpoint with 409 CONFLICT', async () => {
      const c = await signUp(t);
      for (let i = 0; i < 10; i++) await create(c, { url: `${URL_A}/${i}`, events: ['*'] });
      const res = await api(t)
        .post('/v3/webhooks')
        .set(bearer(c.accessToken))
        .send({ url: URL_A, events: ['*'] })
        .expect(409);
      expect(res.body.code).toBe('CONFLICT');
      expect((await api(t).get('/v3/webhooks').set(bearer(c.accessToken))).body).toHaveLength(10);
    });
  });

  it('counts concurrent creations one after another: of 12 at once, 10 succeed and 2 are 409', async () => {
    const c = await signUp(t);
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        api(t)
          .post('/v3/webhooks')
          .set(bearer(c.accessToken))
          .send({ url: `${URL_A}/${i}`, events: ['*'] }),
      ),
    );
    for (const r of answers) if (r.status === 201) secrets.push(r.body.secret);
    expect(answers.map((r) => r.status).sort()).toEqual([...Array(10).fill(201), 409, 409]);
    expect((await api(t).get('/v3/webhooks').set(bearer(c.accessToken))).body).toHaveLength(10);
  });

  it('never answers 5xx when changes race the deletion or changes of endpoints subscribed to them', async () => {
    // A change's event queues a delivery to every subscribed endpoint in the change's transaction. An endpoint deleted
    // meanwhile made that insert break the foreign key (500), and an account change, whose row lock kept the deletion's
    // event waiting while the change waited for the endpoint, deadlocked (500).
    const c = await signUp(t);
    const statuses: number[] = [];
    for (let round = 0; round < 8; round++) {
      const doomed = await create(c, { url: `${URL_A}/doomed/${round}`, events: ['*'] });
      const other = await create(c, { url: `${URL_A}/other/${round}`, events: ['*'] });
      const answers = await Promise.all([
        api(t).delete(`/v3/webhooks/${doomed.id}`).set(bearer(c.accessToken)),
        api(t)
          .post('/v3/users')
          .set(bearer(c.accessToken))
          .send({ email: `race-${round}@example.com`, firstName: 'Race', lastName: 'Condition' }),
        api(t)
          .patch(`/v3/accounts/${c.account.id}`)
          .set(bearer(c.accessToken))
          .send({ name: `Race ${round}` }),
        api(t)
          .patch(`/v3/webhooks/${other.id}`)
          .set(bearer(c.accessToken))
          .send({ description: `round ${round}` }),
        api(t).delete(`/v3/webhooks/${other.id}`).set(bearer(c.accessToken)),
      ]);
      statuses.push(...answers.map((r) => r.status));
      expect(answers.map((r) => r.status)).toEqual([204, 201, 200, expect.any(Number), 204]);
      expect([200, 404]).toContain(answers[3].status);
    }
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    // No attempt is left for an endpoint that is gone.
    const orphans = await dataSource.query(
      `SELECT count(*)::int AS n FROM webhook_deliveries d WHERE d.account_id = $1
          AND NOT EXISTS (SELECT 1 FROM webhooks w WHERE w.id = d.webhook_id)`,
      [c.account.id],
    );
    expect(orphans[0].n).toBe(0);
  });

  describe('secret rotation', () => {
    it('keeps the old secret signing for 24 hours, ends the oldest on a second rotation, and expireOldNow', async () => {
      const w = await create(a, { url: URL_A, events: ['user.deleted'] });
      const rotate = async (body?: object) => {
        const req = api(t).post(`/v3/webhooks/${w.id}/rotate-secret`).set(admin());
        const res = await (body ? req.send(body) : req).expect(200);
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.body).toEqual({ secret: expect.stringMatching(SECRET) });
        secrets.push(res.body.secret);
        return res.body.secret as string;
      };
      const s2 = await rotate();
      expect(s2).not.toBe(w.secret);
      expect(await secretsOf(w.id)).toEqual([s2, w.secret]);
      expect(await secretsOf(w.id, new Date(t.clock.now().getTime() + 24 * 3600_000 + 1000))).toEqual([s2]);

      const s3 = await rotate({});
      expect(await secretsOf(w.id)).toEqual([s3, s2]);
      const s4 = await rotate({ expireOldNow: false });
      expect(await secretsOf(w.id)).toEqual([s4, s3]);
      const s5 = await rotate({ expireOldNow: true });
      expect(await secretsOf(w.id)).toEqual([s5]);

      const rotations = (await eventsOf(a, 'webhook.updated')).filter((e) => e.data.webhookId === w.id);
      expect(rotations).toHaveLength(4);
      expect(rotations.every((e) => JSON.stringify(e.data.changes) === '["secret"]')).toBe(true);
      await api(t).delete(`/v3/webhooks/${w.id}`).set(admin()).expect(204);
    });
  });

  describe('test event', () => {
    it('writes webhook.test and queues one delivery to that endpoint only; 409 when disabled; 429 after 10 an hour', async () => {
      const c = await signUp(t);
      const target = await create(c, { url: URL_A, events: ['user.deleted'] });
      const other = await create(c, { url: `${URL_A}/other`, events: ['*'] });
      const res = await api(t).post(`/v3/webhooks/${target.id}/test`).set(bearer(c.accessToken)).expect(202);
      expect(res.body).toEqual({});
      const [event] = await eventsOf(c, 'webhook.test');
      expect(event.data).toEqual({ webhookId: target.id });
      const queued = (await api(t).get(`/v3/webhooks/${target.id}/deliveries`).set(bearer(c.accessToken)).expect(200))
        .body;
      expect(queued).toEqual([
        expect.objectContaining({ eventId: event.id, type: 'webhook.test', attempt: 1, status: 'pending' }),
      ]);
      const toOther = (
        await api(t).get(`/v3/webhooks/${other.id}/deliveries?type=webhook.test`).set(bearer(c.accessToken))
      ).body;
      expect(toOther).toEqual([]);

      for (let i = 1; i < 10; i++)
        await api(t).post(`/v3/webhooks/${target.id}/test`).set(bearer(c.accessToken)).expect(202);
      const limited = await api(t).post(`/v3/webhooks/${target.id}/test`).set(bearer(c.accessToken)).expect(429);
      expect(limited.body.code).toBe('RATE_LIMITED');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      // Per endpoint: another endpoint still has its own 10.
      await api(t).post(`/v3/webhooks/${other.id}/test`).set(bearer(c.accessToken)).expect(202);

      await api(t).patch(`/v3/webhooks/${other.id}`).set(bearer(c.accessToken)).send({ enabled: false }).expect(200);
      const conflict = await api(t).post(`/v3/webhooks/${other.id}/test`).set(bearer(c.accessToken)).expect(409);
      expect(conflict.body.code).toBe('CONFLICT');
    });
  });

  describe('fan-out', () => {
    it('queues one pending attempt per enabled endpoint subscribed to the type, in the event’s transaction', async () => {
      const c = await signUp(t);
      const all = await create(c, { url: `${URL_A}/all`, events: ['*'] });
      const created = await create(c, { url: `${URL_A}/created`, events: ['user.created'] });
      const deleted = await create(c, { url: `${URL_A}/deleted`, events: ['user.deleted'] });
      const off = await create(c, { url: `${URL_A}/off`, events: ['*'] });
      await api(t).patch(`/v3/webhooks/${off.id}`).set(bearer(c.accessToken)).send({ enabled: false }).expect(200);
      const d = await createPat(t, c.accessToken, ['account:read']);
      const read = async (id: string, type: string) =>
        (await api(t).get(`/v3/webhooks/${id}/deliveries?type=${type}`).set(bearer(d.token)).expect(200))
          .body as Delivery[];

      const user = await createUser(t, c.accessToken);
      const [event] = (await eventsOf(c, 'user.created')).filter(
        (e) => (e as { targetUserId?: string }).targetUserId === user.id,
      );
      const expected = {
        eventId: event.id,
        type: 'user.created',
        attempt: 1,
        status: 'pending',
        nextAttemptAt: event.createdAt,
      };
      expect(await read(all.id, 'user.created')).toEqual([expect.objectContaining(expected)]);
      expect(await read(created.id, 'user.created')).toEqual([expect.objectContaining(expected)]);
      expect(await read(deleted.id, 'user.created')).toEqual([]);
      expect(await read(off.id, 'user.created')).toEqual([]);

      // A login is not a deliverable event.
      const before = await dataSource.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE account_id = $1`, [
        c.account.id,
      ]);
      await login(t, c.account.alias, user.email);
      const after = await dataSource.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE account_id = $1`, [
        c.account.id,
      ]);
      expect(after).toEqual(before);

      // Another account's events reach none of these endpoints.
      await createUser(t, b.accessToken);
      expect(await read(all.id, 'user.created')).toHaveLength(1);
    });

    it('the trigger delivers exactly WEBHOOK_EVENT_TYPES but webhook.test, and nothing else', async () => {
      const c = await signUp(t);
      const w = await create(c, { url: URL_A, events: ['*'] });
      await dataSource.query(`DELETE FROM webhook_deliveries WHERE webhook_id = $1`, [w.id]);
      const fannedOut = WEBHOOK_EVENT_TYPES.filter((type) => type !== 'webhook.test');
      const others = ['user.loggedIn', 'user.loginFailed', 'account.created', 'personalAccessToken.deleted', 'x.y'];
      for (const action of [...fannedOut, ...others, 'webhook.test'])
        await dataSource.query(
          `INSERT INTO event_logs (account_id, action, actor_type, actor_id, data) VALUES ($1, $2, 'system', NULL, '{}')`,
          [c.account.id, action],
        );
      const rows: { type: string }[] = await dataSource.query(
        `SELECT type FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY type`,
        [w.id],
      );
      expect(rows.map((r) => r.type)).toEqual([...fannedOut].sort());
    });
  });

  describe('deliveries list', () => {
    it('pages newest first with X-Total-Count', async () => {
      const c = await signUp(t);
      const w = await create(c, { url: URL_A, events: ['user.created'] });
      for (let i = 0; i < 3; i++) {
        await createUser(t, c.accessToken);
        t.clock.advance(1);
      }
      const page = await api(t).get(`/v3/webhooks/${w.id}/deliveries?limit=2`).set(bearer(c.accessToken)).expect(200);
      expect(page.headers['x-total-count']).toBe('3');
      expect(page.body).toHaveLength(2);
      expect(Object.keys(page.body[0]).sort()).toEqual(
        [
          'id',
          'eventId',
          'type',
          'attempt',
          'status',
          'responseStatus',
          'error',
          'durationMs',
          'createdAt',
          'attemptedAt',
          'nextAttemptAt',
        ].sort(),
      );
      const second = await api(t)
        .get(`/v3/webhooks/${w.id}/deliveries?limit=2&page=2`)
        .set(bearer(c.accessToken))
        .expect(200);
      const times = [...page.body, ...second.body].map((d: Delivery & { createdAt: string }) => d.createdAt);
      expect(times).toEqual([...times].sort().reverse());
      expect(new Set(times).size).toBe(3);
    });
  });

  describe('secrets stay secret', () => {
    it('no secret in any GET, list, event, delivery, outbox payload or log line, nor in clear in the database', async () => {
      expect(secrets.length).toBeGreaterThan(10);
      await mailbox(t);
      const texts: string[] = [];
      for (const as of [a, b]) {
        texts.push(JSON.stringify((await api(t).get('/v3/webhooks').set(bearer(as.accessToken))).body));
        texts.push(JSON.stringify((await api(t).get('/v3/event-logs?limit=100').set(bearer(as.accessToken))).body));
      }
      texts.push(JSON.stringify(await dataSource.query(`SELECT * FROM event_logs`)));
      texts.push(JSON.stringify(await dataSource.query(`SELECT * FROM outbox`)));
      texts.push(JSON.stringify(await dataSource.query(`SELECT * FROM webhook_deliveries`)));
      texts.push(JSON.stringify(await dataSource.query(`SELECT * FROM webhooks`)));
      texts.push(...t.logs.lines);
      const all = texts.join('\n');
      for (const secret of secrets) {
        expect(all).not.toContain(secret);
        expect(all).not.toContain(secret.slice('whsec_'.length));
      }
      expect(all).not.toMatch(/whsec_/);
    });
  });
});
