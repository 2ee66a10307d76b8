import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { EventLogsService, type NewEvent } from '../src/event-logs/event-logs.service.js';
import { api, createTestApp, type TestApp } from './helpers/app.js';
import { bearer, createPat, signUp, type SignedUp } from './helpers/factories.js';

const EVENTS = '/v3/event-logs';
const ITEM_KEYS = ['action', 'actor', 'createdAt', 'data', 'id', 'ip', 'targetUserId', 'userAgent'];

interface Item {
  id: string;
  action: string;
  actor: { type: string; id: string | null };
  targetUserId: string | null;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
  data: Record<string, unknown>;
}

describe('event log', () => {
  let t: TestApp;
  let a: SignedUp;
  let b: SignedUp;
  const secrets: string[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    a = await signUp(t);
    b = await signUp(t);
    secrets.push(a.accessToken, b.accessToken);
  }, 120_000);
  afterAll(async () => t?.close());

  const list = async (token: string, query = '') => {
    const res = await api(t).get(`${EVENTS}${query}`).set(bearer(token));
    expect(res.status).toBe(200);
    return { items: res.body as Item[], total: Number(res.headers['x-total-count']) };
  };

  describe('access', () => {
    it('is open to an admin session and to a PAT with eventLog:read', async () => {
      const pat = await createPat(t, a.accessToken, ['eventLog:read']);
      secrets.push(pat.token);
      expect((await list(pat.token)).total).toBeGreaterThan(0);
      expect((await list(a.accessToken)).total).toBeGreaterThan(0);
    });
  });

  describe('personal access token events', () => {
    it('records a creation by a session, with who, from where, and no secret', async () => {
      const res = await api(t)
        .post('/v3/personal-access-tokens')
        .set(bearer(a.accessToken))
        .set('User-Agent', 'event-log-e2e/1.0')
        .send({ name: 'audited', scopes: ['user:read', 'personalAccessToken:write'] });
      expect(res.status).toBe(201);
      secrets.push(res.body.token);

      const { items } = await list(a.accessToken, '?action=personalAccessToken.created&limit=1');
      expect(Object.keys(items[0]).sort()).toEqual(ITEM_KEYS);
      expect(items[0]).toMatchObject({
        action: 'personalAccessToken.created',
        actor: { type: 'user', id: a.user.id },
        targetUserId: a.user.id,
        userAgent: 'event-log-e2e/1.0',
        data: { name: 'audited', scopes: ['personalAccessToken:write', 'user:read'] },
      });
      expect(typeof items[0].ip).toBe('string');
      expect(Math.abs(Date.parse(items[0].createdAt) - t.clock.now().getTime())).toBeLessThan(5_000);
    });

    it('records a creation by a PAT with the PAT as actor, found by its user too', async () => {
      const parent = await createPat(t, a.accessToken, ['personalAccessToken:write']);
      const child = await createPat(t, parent.token, ['personalAccessToken:read'], { name: 'from a pat' });
      secrets.push(parent.token, child.token);
      const { items } = await list(a.accessToken, `?action=personalAccessToken.created&userId=${a.user.id}`);
      const event = items.find((e) => e.data.name === 'from a pat');
      expect(event).toMatchObject({
        actor: { type: 'personalAccessToken', id: parent.id },
        targetUserId: a.user.id,
        data: { scopes: ['personalAccessToken:read'] },
      });
    });

    it('records revocation and deletion', async () => {
      const pat = await createPat(t, a.accessToken, ['eventLog:read'], { name: 'short-lived' });
      const gone = await createPat(t, a.accessToken, ['eventLog:read'], { name: 'deleted' });
      secrets.push(pat.token, gone.token);
      await api(t)
        .patch(`/v3/personal-access-tokens/${pat.id}`)
        .set(bearer(a.accessToken))
        .send({ revoked: true })
        .expect(200);
      await api(t).delete(`/v3/personal-access-tokens/${gone.id}`).set(bearer(a.accessToken)).expect(204);

      const revoked = await list(a.accessToken, '?action=personalAccessToken.revoked');
      expect(revoked.total).toBe(1);
      expect(revoked.items[0]).toMatchObject({
        actor: { type: 'user', id: a.user.id },
        data: { name: 'short-lived', scopes: ['eventLog:read'], personalAccessTokenId: pat.id },
      });
      const deleted = await list(a.accessToken, '?action=personalAccessToken.deleted');
      expect(deleted.items[0]).toMatchObject({ data: { name: 'deleted', personalAccessTokenId: gone.id } });
    });

    it("never shows another account's events", async () => {
      const mine = await list(b.accessToken, '?limit=100');
      expect(mine.items.every((e) => e.actor.id !== a.user.id && e.targetUserId !== a.user.id)).toBe(true);
      expect((await list(b.accessToken, `?userId=${a.user.id}`)).total).toBe(0);
      expect((await list(b.accessToken, '?action=personalAccessToken.revoked')).total).toBe(0);
    });

    it('holds no secret in any event', async () => {
      const all: Item[] = [];
      for (let page = 1; ; page++) {
        const { items, total } = await list(a.accessToken, `?limit=100&page=${page}`);
        all.push(...items);
        if (all.length >= total) break;
      }
      const text = JSON.stringify(all);
      expect(secrets.length).toBeGreaterThan(5);
      for (const secret of secrets) expect(text).not.toContain(secret);
      expect(text).not.toMatch(/lk_(pat|ses|rst)_/);
    });
  });

  describe('filters and pages', () => {
    let c: SignedUp;
    const X = randomUUID();
    const Y = randomUUID();
    const P = randomUUID();
    /** When event n was written, as the API reports it. */
    const at: Record<number, string> = {};

    /** Five events a minute apart in a fresh account, then two at the same instant. */
    beforeAll(async () => {
      c = await signUp(t);
      const events = t.app.get(EventLogsService);
      const record = (e: Omit<NewEvent, 'accountId'>) => events.record({ accountId: c.account.id, ...e });
      t.clock.advance(3_600);
      const script: Omit<NewEvent, 'accountId'>[] = [
        { action: 'e2e.alpha', actor: { type: 'user', id: X }, data: { n: 1 } },
        { action: 'e2e.beta', actor: { type: 'user', id: Y }, targetUserId: X, data: { n: 2 } },
        { action: 'e2e.alpha', actor: { type: 'personalAccessToken', id: P }, targetUserId: Y, data: { n: 3 } },
        { action: 'e2e.beta', actor: { type: 'anonymous', id: null }, targetUserId: X, data: { n: 4 } },
        { action: 'e2e.alpha', actor: { type: 'user', id: Y }, data: { n: 5 } },
      ];
      for (const e of script) {
        t.clock.advance(60);
        await record(e);
      }
      t.clock.advance(60);
      // The clock is frozen for these two, so only the id orders them.
      const now = jest.spyOn(t.clock, 'now').mockReturnValue(t.clock.now());
      await record({ action: 'e2e.tie', actor: { type: 'user', id: X }, data: { n: 6 } });
      await record({ action: 'e2e.tie', actor: { type: 'user', id: X }, data: { n: 7 } });
      now.mockRestore();
      for (const e of (await list(c.accessToken, '?limit=100')).items)
        if (typeof e.data.n === 'number') at[e.data.n] = e.createdAt;
    });

    const ns = (items: Item[]) => items.map((e) => e.data.n);

    it('filters by action, newest first', async () => {
      const res = await list(c.accessToken, '?action=e2e.alpha');
      expect(ns(res.items)).toEqual([5, 3, 1]);
      expect(res.total).toBe(3);
      expect((await list(c.accessToken, '?action=e2e.none')).total).toBe(0);
    });

    it('filters by user: the acting user or the target user, not a token with that id', async () => {
      expect(ns((await list(c.accessToken, `?userId=${X}&action=e2e.beta`)).items)).toEqual([4, 2]);
      expect(ns((await list(c.accessToken, `?userId=${X}&to=${at[5]}`)).items)).toEqual([4, 2, 1]);
      expect(ns((await list(c.accessToken, `?userId=${Y}`)).items)).toEqual([5, 3, 2]);
      expect((await list(c.accessToken, `?userId=${P}`)).total).toBe(0);
      expect(ns((await list(c.accessToken, `?userId=${Y.toUpperCase()}&action=e2e.alpha`)).items)).toEqual([5, 3]);
    });

    it('filters by time, both ends included', async () => {
      expect(ns((await list(c.accessToken, `?from=${at[2]}&to=${at[4]}`)).items)).toEqual([4, 3, 2]);
      expect(ns((await list(c.accessToken, `?from=${at[4]}&action=e2e.alpha`)).items)).toEqual([5]);
      expect(ns((await list(c.accessToken, `?from=${at[3]}&to=${at[3]}`)).items)).toEqual([3]);
      const justBefore = new Date(Date.parse(at[1]) - 1).toISOString();
      expect((await list(c.accessToken, `?to=${justBefore}&action=e2e.alpha`)).total).toBe(0);
    });

    it('pages with X-Total-Count on every page', async () => {
      const q = `?from=${at[1]}&to=${at[5]}&limit=2`;
      const pages = [];
      for (const page of [1, 2, 3, 4]) pages.push(await list(c.accessToken, `${q}&page=${page}`));
      expect(pages.map((p) => ns(p.items))).toEqual([[5, 4], [3, 2], [1], []]);
      expect(pages.map((p) => p.total)).toEqual([5, 5, 5, 5]);
      const defaults = await list(c.accessToken);
      expect(defaults.items.length).toBe(Math.min(20, defaults.total));
    });

    it('breaks ties of time by id, descending', async () => {
      const { items } = await list(c.accessToken, '?action=e2e.tie');
      expect(items).toHaveLength(2);
      expect(items[0].createdAt).toBe(items[1].createdAt);
      expect(items[0].id > items[1].id).toBe(true);
    });

    it.each([
      ['from after to', () => `?from=${at[3]}&to=${at[2]}`],
      ['a from that is not a date', () => '?from=yesterday'],
      ['a to that is not a date', () => '?to=2024-13-01T00:00:00Z'],
      ['a userId that is not a UUID', () => '?userId=42'],
      ['limit 0', () => '?limit=0'],
      ['limit 101', () => '?limit=101'],
      ['page 0', () => '?page=0'],
      ['an unknown parameter', () => '?actor=me'],
      ['__proto__ as a parameter', () => '?__proto__=x'],
      ['constructor as a parameter', () => '?constructor=x'],
    ])('refuses %s with 400 VALIDATION_FAILED', async (_, query) => {
      const res = await api(t).get(`${EVENTS}${query()}`).set(bearer(c.accessToken));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    });
  });
});
