import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { api, createTestApp, type TestApp } from './helpers/app.js';
import { bearer, signUp, type SignedUp } from './helpers/factories.js';

// Interleaving needs lookups that really wait on the database: against PostgreSQL
// (TEST_DATABASE_URL) a shared passport strategy object swaps principals and leaves requests hanging.
describe('bearer authentication under concurrency', () => {
  let t: TestApp;
  let a: SignedUp;
  let b: SignedUp;
  beforeAll(async () => {
    t = await createTestApp();
    a = await signUp(t);
    b = await signUp(t);
  }, 120_000);
  afterAll(async () => t?.close());

  it('gives every one of many interleaved requests its own principal', async () => {
    const get = (who: SignedUp) =>
      api(t)
        .get(`/v3/accounts/${who.account.id}`)
        .set(bearer(who.accessToken))
        // A hang shows as a timeout; generous, because npm test runs two files at once on a 2-core machine.
        .timeout(15_000)
        .then(
          (r) => ({ status: r.status, id: r.body.id as string | undefined }),
          () => ({ status: 0, id: undefined }),
        );
    const callers = Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b));
    const responses = await Promise.all(callers.map(get));
    expect(responses).toEqual(callers.map((who) => ({ status: 200, id: who.account.id })));
  }, 60_000);
});
