// The physical limit the service is measured against: the five benchmarked routes written by hand
// on node:http, pg (named prepared statements) and @node-rs/argon2; with BASELINE_ZXCVBN=on also @zxcvbn-ts
// (at its defaults) in a worker thread for the password policy. It does what the contract requires of each route (token lookup
// by SHA-256, scope and tenant checks, the same hashing, the same rows written) and nothing else:
// no framework, no validation library, no ORM, and queries folded together wherever SQL allows.
//
//   DATABASE_URL=postgres://… PORT=4000 node bench/baseline.mjs
import { hash, verify } from '@node-rs/argon2';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { ARGON2_OPTIONS, generateToken, hashToken, parseToken } from './common.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The built-in email templates are data; the service's rendered emails are the same size.
const { BUILT_IN_TEMPLATES } = await import(pathToFileURL(path.join(ROOT, 'dist/src/mail/default-templates.js')).href);
// The one canonical email form is the contract's, not an implementation detail: the same function.
const { canonicalAlias, canonicalEmail, IdentifierError } = await import(
  pathToFileURL(path.join(ROOT, 'dist/src/common/identifiers.js')).href
);

const PORT = Number(process.env.PORT ?? 4000);
const PUBLIC_URL = (process.env.PUBLIC_URL ?? `http://localhost:${PORT}`).replace(/\/+$/, '');
const PORTAL_URL = (process.env.PUBLIC_PORTAL_URL ?? PUBLIC_URL).replace(/\/+$/, '');
const SESSION_TTL_MS = Number(process.env.SESSION_TTL_SECONDS ?? 86_400) * 1000;
const BODY_LIMIT = 100 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DB_POOL_SIZE ?? 10),
  application_name: 'latchkey-baseline',
});
const query = async (client, name, text, values) => (await client.query({ name, text, values })).rows;
const exec = async (client, name, text, values) => (await client.query({ name, text, values })).rowCount;

// --- responses ------------------------------------------------------------------------------

// The headers helmet() gives every response of the service, so both send the same bytes.
const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' https: 'unsafe-inline';upgrade-insecure-requests",
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Origin-Agent-Cluster': '?1',
  'Referrer-Policy': 'no-referrer',
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'X-DNS-Prefetch-Control': 'off',
  'X-Download-Options': 'noopen',
  'X-Frame-Options': 'SAMEORIGIN',
  'X-Permitted-Cross-Domain-Policies': 'none',
  'X-XSS-Protection': '0',
};

class HttpError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}
const unauthenticated = () => new HttpError(401, 'UNAUTHENTICATED', 'A valid bearer token is required.');
const notFound = () => new HttpError(404, 'NOT_FOUND', 'User not found.');
const resetTokenInvalid = () => new HttpError(400, 'RESET_TOKEN_INVALID', 'The reset token is invalid or expired.');
const invalid = (message) => new HttpError(400, 'VALIDATION_FAILED', message);

function send(res, status, body, noStore = false) {
  const headers = { ...SECURITY_HEADERS, 'X-Request-Id': randomUUID() };
  if (noStore) headers['Cache-Control'] = 'no-store';
  if (body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  const json = JSON.stringify(body);
  headers['Content-Type'] = 'application/json; charset=utf-8';
  headers['Content-Length'] = Buffer.byteLength(json);
  res.writeHead(status, headers).end(json);
}

function readJson(req) {
  return new Promise((resolve, reject) => {
    if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
      req.resume();
      if (Number(req.headers['content-length'] ?? 0) === 0) return resolve({});
      return reject(new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Request bodies must be application/json.'));
    }
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > BODY_LIMIT) reject(new HttpError(413, 'PAYLOAD_TOO_LARGE', 'The body is too large.'));
      else chunks.push(c);
    });
    req.on('end', () => {
      if (size === 0) return resolve({});
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(invalid('The body is not valid JSON.'));
      }
    });
    req.on('error', reject);
  });
}

const clientInfo = (req) => ({ ip: req.socket.remoteAddress ?? null, userAgent: req.headers['user-agent'] ?? null });

// --- bearer credentials ---------------------------------------------------------------------

const IMPLIES = {
  'account:write': ['account:read'],
  'user:write': ['user:read', 'user:resetPasswordToken'],
  'personalAccessToken:write': ['personalAccessToken:read'],
};
const ALL_SCOPES = new Set([
  'account:read',
  'account:write',
  'user:read',
  'user:write',
  'user:resetPasswordToken',
  'personalAccessToken:read',
  'personalAccessToken:write',
  'eventLog:read',
]);
function expandScopes(held) {
  const out = new Set();
  for (const s of held) {
    if (!ALL_SCOPES.has(s)) continue;
    out.add(s);
    for (const i of IMPLIES[s] ?? []) out.add(i);
  }
  return out;
}

// lastUsedAt: at most once a minute per PAT, in one batched UPDATE a second, like the service.
const lastUsedWritten = new Map();
let pendingLastUsed = new Map();
let flushTimer;
function touch(id) {
  const now = Date.now();
  const last = lastUsedWritten.get(id);
  if (last !== undefined && now - last < 60_000) return;
  lastUsedWritten.set(id, now);
  pendingLastUsed.set(id, new Date(now).toISOString());
  flushTimer ??= setTimeout(flushLastUsed, 1000).unref();
}
async function flushLastUsed() {
  flushTimer = undefined;
  const batch = pendingLastUsed;
  pendingLastUsed = new Map();
  await pool
    .query(
      `UPDATE personal_access_tokens p SET last_used_at = v.t FROM unnest($1::uuid[], $2::timestamptz[]) AS v(id, t)
        WHERE p.id = v.id AND (p.last_used_at IS NULL OR p.last_used_at < v.t)`,
      [[...batch.keys()], [...batch.values()]],
    )
    .catch(() => undefined);
}

async function authenticate(req) {
  const m = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
  const token = m?.[1];
  const kind = parseToken(token);
  if (kind === 'pat') {
    const [row] = await query(
      pool,
      'pat',
      `SELECT p.id, p.account_id, p.user_id, p.scopes, u.role
         FROM personal_access_tokens p JOIN users u ON u.id = p.user_id
        WHERE p.token_hash = $1 AND p.revoked_at IS NULL AND (p.expires_at IS NULL OR p.expires_at > $2) AND u.role = 'admin'`,
      [hashToken(token), new Date()],
    );
    if (!row) throw unauthenticated();
    touch(row.id);
    return { kind, accountId: row.account_id, userId: row.user_id, tokenId: row.id, scopes: expandScopes(row.scopes) };
  }
  if (kind === 'ses') {
    const [row] = await query(
      pool,
      'session',
      `SELECT s.id, s.account_id, s.user_id, u.role FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2`,
      [hashToken(token), new Date()],
    );
    if (!row) throw unauthenticated();
    const scopes = row.role === 'admin' ? ALL_SCOPES : new Set();
    return { kind: 'session', accountId: row.account_id, userId: row.user_id, tokenId: row.id, scopes };
  }
  throw unauthenticated();
}

function requireScope(principal, scope, targetId, selfAllowed) {
  if (principal.scopes.has(scope)) return;
  if (selfAllowed && principal.kind === 'session' && principal.userId === targetId) return;
  throw new HttpError(403, 'INSUFFICIENT_SCOPE', `This operation needs the ${scope} scope.`);
}

const actorOf = (p) => (p.kind === 'pat' ? ['personalAccessToken', p.tokenId] : ['user', p.userId]);

function recordEvent(client, accountId, action, [actorType, actorId], targetUserId, ctx, data) {
  return exec(
    client,
    'event',
    `INSERT INTO event_logs (account_id, action, actor_type, actor_id, target_user_id, ip, user_agent, data, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [accountId, action, actorType, actorId, targetUserId, ctx.ip, ctx.userAgent, data, new Date()],
  );
}

async function transaction(fn) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

// --- templates ------------------------------------------------------------------------------

const localeChain = (locale) => {
  if (!locale) return [''];
  const lang = locale.split('-')[0];
  return [...new Set([locale, lang, ''])];
};
const escapeHtml = (s) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
function render(template, values, html) {
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, key) => {
    const v = key.split('.').reduce((o, k) => o?.[k], values) ?? '';
    return html ? escapeHtml(v) : String(v);
  });
}
/** The saved template that applies to the locale, else the built-in one. */
function pickTemplate(saved, event, locale) {
  const chain = localeChain(locale);
  const best = (saved ?? [])
    .filter((t) => chain.includes(t.locale))
    .sort((a, b) => chain.indexOf(a.locale) - chain.indexOf(b.locale));
  return best[0] ?? { ...BUILT_IN_TEMPLATES[event], link_template: null };
}
const templatesSql = (event) =>
  `(SELECT json_agg(json_build_object('locale', e.locale, 'subject', e.subject, 'htmlBody', e.html_body,
            'textBody', e.text_body, 'fromName', e.from_name, 'replyTo', e.reply_to, 'link_template', e.link_template))
      FROM email_templates e WHERE e.account_id = a.id AND e.event = '${event}') AS templates`;

// --- password policy: zxcvbn in worker threads ----------------------------------------------

const require = createRequire(import.meta.url);
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { ZxcvbnFactory } = require(workerData.core);
const common = require(workerData.common);
const en = require(workerData.en);
const zxcvbn = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...en.dictionary },
  graphs: common.adjacencyGraphs,
  translations: en.translations,
});
parentPort.on('message', ({ id, password, userInputs }) => {
  const r = zxcvbn.check(password, userInputs);
  parentPort.postMessage({ id, score: r.score, warning: r.feedback.warning || null });
});
`;
// Off by default (BASELINE_ZXCVBN=on to score): the baseline is argon2-bound, and the service's scoring budget
// is what the comparison measures.
const SCORE = process.env.BASELINE_ZXCVBN === 'on';
const workers = Array.from({ length: SCORE ? Math.max(1, Math.min(2, os.availableParallelism() - 1)) : 0 }, () => {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      core: require.resolve('@zxcvbn-ts/core'),
      common: require.resolve('@zxcvbn-ts/language-common'),
      en: require.resolve('@zxcvbn-ts/language-en'),
    },
  });
  const slot = { worker, busy: 0 };
  worker.on('message', (m) => {
    slot.busy--;
    const resolve = pendingScores.get(m.id);
    pendingScores.delete(m.id);
    resolve?.(m);
  });
  worker.unref();
  return slot;
});
const pendingScores = new Map();
let nextScoreId = 1;
function score(password, userInputs) {
  if (!SCORE) return Promise.resolve({ score: 4, warning: null });
  const slot = workers.reduce((a, b) => (b.busy < a.busy ? b : a));
  const id = nextScoreId++;
  slot.busy++;
  return new Promise((resolve) => {
    pendingScores.set(id, resolve);
    slot.worker.postMessage({ id, password: Array.from(password).slice(0, 32).join(''), userInputs });
  });
}

/** API.md's rules: length in code points after NFC, context words of 4+ characters, zxcvbn ≥ 3 on 32 code points. */
async function policyProblem(password, ctx) {
  const normalized = password.normalize('NFC');
  const length = Array.from(normalized).length;
  if (length < ctx.minLength) return `The password must be at least ${ctx.minLength} characters long.`;
  if (length > 256) return 'The password must be at most 256 characters long.';
  const lower = normalized.toLowerCase();
  const words = [ctx.email.split('@')[0], ctx.firstName, ctx.lastName, ...ctx.accountName.split(/[^\p{L}\p{N}]+/u)]
    .map((w) => (w ?? '').normalize('NFC').trim().toLowerCase())
    .filter((w) => Array.from(w).length >= 4);
  if (words.some((w) => lower.includes(w))) return 'The password must not contain your own details.';
  const result = await score(normalized, words);
  return result.score < 3 ? `The password is too easy to guess. ${result.warning ?? ''}`.trim() : null;
}

// --- routes ---------------------------------------------------------------------------------

async function getUser(req, res, id) {
  const principal = await authenticate(req);
  requireScope(principal, 'user:read', id, true);
  if (!UUID.test(id)) throw invalid('id must be a UUID');
  const [u] = await query(
    pool,
    'user',
    `SELECT id, account_id, email, first_name, last_name, role, company, locale, metadata, created_at, updated_at,
            last_login_at, password_changed_at
       FROM users WHERE id = $1 AND account_id = $2`,
    [id.toLowerCase(), principal.accountId],
  );
  if (!u) throw notFound();
  send(res, 200, userResponse(u));
}

const userResponse = (u) => ({
  id: u.id,
  accountId: u.account_id,
  email: u.email,
  firstName: u.first_name,
  lastName: u.last_name,
  role: u.role,
  company: u.company,
  locale: u.locale,
  metadata: u.metadata,
  createdAt: u.created_at.toISOString(),
  updatedAt: u.updated_at.toISOString(),
  lastLoginAt: u.last_login_at?.toISOString() ?? null,
  passwordChangedAt: u.password_changed_at?.toISOString() ?? null,
});

async function issueResetToken(req, res, id) {
  const principal = await authenticate(req);
  requireScope(principal, 'user:resetPasswordToken', id, false);
  if (!UUID.test(id)) throw invalid('id must be a UUID');
  const body = await readJson(req);
  if (
    typeof body !== 'object' ||
    body === null ||
    Object.keys(body).some((k) => k !== 'expiresInSeconds' && k !== 'send')
  )
    throw invalid('Unknown field.');
  const userId = id.toLowerCase();
  const [u] = await query(
    pool,
    'issue_user',
    `SELECT u.id, u.role, u.email, u.first_name, u.last_name, u.locale, a.id AS account_id,
            a.reset_token_ttl_seconds, a.reset_token_max_ttl_seconds, ${templatesSql('user.reset-password-request')}
       FROM users u JOIN accounts a ON a.id = u.account_id WHERE u.id = $1 AND u.account_id = $2`,
    [userId, principal.accountId],
  );
  if (!u) throw notFound();
  const onlyUsers = () => new HttpError(403, 'FORBIDDEN', 'Reset tokens are issued only for users with role "user".');
  if (u.role !== 'user') throw onlyUsers();
  const max = u.reset_token_max_ttl_seconds;
  const ttl = body.expiresInSeconds ?? Math.min(u.reset_token_ttl_seconds, max);
  if (!Number.isInteger(ttl) || ttl < 60 || ttl > max) throw invalid(`expiresInSeconds must be from 60 to ${max}`);
  const token = generateToken('rst');
  const actor = actorOf(principal);
  const now = new Date();
  const expiresAt = new Date(now.getTime() + ttl * 1000);
  await transaction(async (c) => {
    const [locked] = await query(
      c,
      'lock_user',
      `SELECT role FROM users WHERE id = $1 AND account_id = $2 FOR UPDATE`,
      [userId, u.account_id],
    );
    if (!locked) throw notFound();
    if (locked.role !== 'user') throw onlyUsers();
    await exec(
      c,
      'revoke_tokens',
      `UPDATE reset_tokens SET revoked_at = $2 WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL`,
      [userId, now],
    );
    const [row] = await query(
      c,
      'insert_token',
      `INSERT INTO reset_tokens (account_id, user_id, token_hash, origin, created_by_type, created_by_id, created_at, expires_at)
       VALUES ($1, $2, $3, 'api', $4, $5, $6, $7) RETURNING id`,
      [u.account_id, userId, hashToken(token), actor[0], actor[1], now, expiresAt],
    );
    await recordEvent(c, u.account_id, 'user.resetPasswordToken.created', actor, userId, clientInfo(req), {
      tokenId: row.id,
      expiresAt: expiresAt.toISOString(),
      origin: 'api',
      emailed: !!body.send,
    });
  });
  const template = pickTemplate(u.templates, 'user.reset-password-request', u.locale);
  const values = { user: { id: userId }, token };
  const link = template.link_template
    ? template.link_template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, k) =>
        encodeURIComponent(k.split('.').reduce((o, p) => o?.[p], values) ?? ''),
      )
    : `${PORTAL_URL}/reset-password?userId=${encodeURIComponent(userId)}#token=${encodeURIComponent(token)}`;
  send(res, 201, { resetPasswordToken: token, expiresAt: expiresAt.toISOString(), link }, true);
}

async function resetPassword(req, res, id) {
  if (!UUID.test(id)) throw resetTokenInvalid();
  const userId = id.toLowerCase();
  const body = await readJson(req).catch(() => null);
  const token = body?.token;
  if (parseToken(token) !== 'rst') throw resetTokenInvalid();
  const [t] = await query(
    pool,
    'reset_find',
    // The user's account is compared below, not joined on: with it in the join, the generic plan PostgreSQL caches
    // after five runs reached the user through the account's index (about 11 users an account on average), reading
    // every user of a large account (the benchmark's 10,000) to find one.
    `SELECT t.id, t.account_id, u.account_id AS user_account_id, u.email, u.first_name, u.last_name, u.locale,
            a.name AS account_name, a.min_password_length, a.notify_on_password_change,
            ${templatesSql('user.password-changed')}
       FROM reset_tokens t JOIN users u ON u.id = t.user_id JOIN accounts a ON a.id = t.account_id
      WHERE t.token_hash = $1 AND t.user_id = $2 AND t.used_at IS NULL AND t.revoked_at IS NULL AND t.expires_at > $3`,
    [hashToken(token), userId, new Date()],
  );
  if (!t || t.user_account_id !== t.account_id) throw resetTokenInvalid();
  if (Object.keys(body).some((k) => k !== 'token' && k !== 'newPassword')) throw invalid('Unknown field.');
  if (typeof body.newPassword !== 'string') throw invalid('newPassword must be a string');
  const problem = await policyProblem(body.newPassword, {
    minLength: t.min_password_length,
    email: t.email,
    firstName: t.first_name,
    lastName: t.last_name,
    accountName: t.account_name,
  });
  if (problem) throw new HttpError(400, 'WEAK_PASSWORD', problem);
  const passwordHash = await hash(body.newPassword.normalize('NFC'), ARGON2_OPTIONS);
  const ctx = clientInfo(req);
  const consumed = await transaction(async (c) => {
    const now = new Date();
    const [used] = await query(
      c,
      'consume',
      `UPDATE reset_tokens SET used_at = $2 WHERE id = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $2
       RETURNING id, origin`,
      [t.id, now],
    );
    if (!used) return false;
    await exec(
      c,
      'set_password',
      `UPDATE users SET password_hash = $2, password_changed_at = $3, updated_at = $3 WHERE id = $1`,
      [userId, passwordHash, now],
    );
    await exec(
      c,
      'revoke_tokens',
      `UPDATE reset_tokens SET revoked_at = $2 WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL`,
      [userId, now],
    );
    await exec(c, 'revoke_sessions', `UPDATE sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL`, [
      userId,
      now,
    ]);
    await recordEvent(c, t.account_id, 'user.passwordReset', ['anonymous', null], userId, ctx, {
      tokenId: used.id,
      origin: used.origin,
    });
    if (t.notify_on_password_change || used.origin === 'api') {
      const template = pickTemplate(t.templates, 'user.password-changed', t.locale);
      const values = {
        user: { id: userId, email: t.email, firstName: t.first_name, lastName: t.last_name },
        account: { name: t.account_name },
      };
      const payload = {
        event: 'user.password-changed',
        to: t.email,
        subject: render(template.subject, values, false),
        html: template.htmlBody == null ? null : render(template.htmlBody, values, true),
        text: template.textBody == null ? null : render(template.textBody, values, false),
        fromName: template.fromName ?? t.account_name,
        replyTo: template.replyTo ?? null,
      };
      await exec(
        c,
        'outbox',
        `INSERT INTO outbox (kind, payload, account_id, status, attempts, next_attempt_at, created_at)
         VALUES ('email', $1, $2, 'pending', 0, $3, $3) RETURNING id`,
        [payload, t.account_id, now],
      );
    }
    return true;
  });
  if (!consumed) throw resetTokenInvalid();
  send(res, 204);
}

const ALIAS = /^[a-z0-9-]{3,40}$/;
const SIGNUP_FIELDS = ['name', 'alias', 'email', 'password', 'firstName', 'lastName'];
const MIN_PASSWORD_LENGTH = 15;
/** A name as the contract takes it: trimmed, 1 to 100 code points. */
function nameOf(body, key) {
  const v = typeof body[key] === 'string' ? body[key].trim() : '';
  const n = Array.from(v).length;
  if (n < 1 || n > 100) throw invalid(`${key} must be 1 to 100 characters`);
  return v;
}

async function signUp(req, res) {
  const body = await readJson(req);
  if (typeof body !== 'object' || body === null || Object.keys(body).some((k) => !SIGNUP_FIELDS.includes(k)))
    throw invalid('Unknown field.');
  const name = nameOf(body, 'name');
  const firstName = nameOf(body, 'firstName');
  const lastName = nameOf(body, 'lastName');
  if (typeof body.alias !== 'string' || !ALIAS.test(body.alias))
    throw invalid('alias must be 3 to 40 of a-z, 0-9 and -');
  if (typeof body.email !== 'string' || typeof body.password !== 'string')
    throw invalid('email and password are required');
  let emailCanonical;
  try {
    emailCanonical = canonicalEmail(body.email);
  } catch (err) {
    if (err instanceof IdentifierError) throw invalid(err.message);
    throw err;
  }
  const email = body.email.trim();
  const problem = await policyProblem(body.password, {
    minLength: MIN_PASSWORD_LENGTH,
    email,
    firstName,
    lastName,
    accountName: name,
  });
  if (problem) throw new HttpError(400, 'WEAK_PASSWORD', problem);
  const passwordHash = await hash(body.password.normalize('NFC'), ARGON2_OPTIONS);
  const ctx = clientInfo(req);
  const accessToken = generateToken('ses');
  const now = new Date();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  const { a, u } = await transaction(async (c) => {
    const [a] = await query(
      c,
      'insert_account',
      `INSERT INTO accounts (name, alias, created_at, updated_at) VALUES ($1, $2, $3, $3)
       RETURNING id, name, alias, created_at, updated_at, reset_token_ttl_seconds, reset_token_max_ttl_seconds,
                 allowed_redirect_hosts, min_password_length, notify_on_password_change`,
      [name, body.alias, now],
    );
    const [u] = await query(
      c,
      'insert_admin',
      `INSERT INTO users (account_id, email, email_canonical, first_name, last_name, role, password_hash,
                          password_changed_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, 'admin', $6, $7, $7, $7)
       RETURNING id, account_id, email, first_name, last_name, role, company, locale, metadata, created_at,
                 updated_at, last_login_at, password_changed_at`,
      [a.id, email, emailCanonical, firstName, lastName, passwordHash, now],
    );
    await exec(
      c,
      'insert_session',
      `INSERT INTO sessions (account_id, user_id, token_hash, expires_at, ip, user_agent, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [a.id, u.id, hashToken(accessToken), expiresAt, ctx.ip, ctx.userAgent, now],
    );
    await recordEvent(c, a.id, 'account.created', ['user', u.id], u.id, ctx, { alias: a.alias });
    await recordEvent(c, a.id, 'user.created', ['user', u.id], u.id, ctx, { role: 'admin' });
    return { a, u };
  }).catch((err) => {
    if (err.code === '23505') throw new HttpError(409, 'CONFLICT', 'That alias is taken.');
    throw err;
  });
  const account = {
    id: a.id,
    name: a.name,
    alias: a.alias,
    createdAt: a.created_at.toISOString(),
    updatedAt: a.updated_at.toISOString(),
    resetTokenTtlSeconds: a.reset_token_ttl_seconds,
    resetTokenMaxTtlSeconds: a.reset_token_max_ttl_seconds,
    allowedRedirectHosts: a.allowed_redirect_hosts,
    minPasswordLength: a.min_password_length,
    notifyOnPasswordChange: a.notify_on_password_change,
  };
  send(res, 201, { account, user: userResponse(u), accessToken, expiresAt: expiresAt.toISOString() }, true);
}

let dummyHash;
async function login(req, res) {
  const body = await readJson(req);
  const { accountAlias, email, password } = body ?? {};
  if (typeof accountAlias !== 'string' || typeof email !== 'string' || typeof password !== 'string')
    throw invalid('accountAlias, email and password are required strings');
  if (Object.keys(body).length !== 3) throw invalid('Unknown field.');
  let canonical;
  try {
    canonical = canonicalEmail(email);
  } catch (err) {
    if (err instanceof IdentifierError) throw invalid(err.message);
    throw err;
  }
  const [row] = await query(
    pool,
    'login_find',
    `SELECT u.id, u.account_id, a.id AS account_exists, u.password_hash
       FROM accounts a LEFT JOIN users u ON u.account_id = a.id AND u.email_canonical = $2
      WHERE a.alias = $1`,
    [canonicalAlias(accountAlias), canonical],
  );
  const normalized = password.normalize('NFC');
  const ok = row?.password_hash
    ? await verify(row.password_hash, normalized).catch(() => false)
    : await verify(dummyHash, normalized).then(
        () => false,
        () => false,
      );
  const ctx = clientInfo(req);
  if (!ok || !row?.id) {
    if (row?.account_exists) {
      await recordEvent(pool, row.account_exists, 'user.loginFailed', ['anonymous', null], row.id ?? null, ctx, {
        email: email.trim().toLowerCase(),
      });
    }
    throw new HttpError(401, 'INVALID_CREDENTIALS', 'The account alias, email or password is wrong.');
  }
  const accessToken = generateToken('ses');
  const now = new Date();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await transaction(async (c) => {
    await exec(
      c,
      'insert_session',
      `INSERT INTO sessions (account_id, user_id, token_hash, expires_at, ip, user_agent, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [row.account_id, row.id, hashToken(accessToken), expiresAt, ctx.ip, ctx.userAgent, now],
    );
    await exec(c, 'last_login', `UPDATE users SET last_login_at = $2 WHERE id = $1`, [row.id, now]);
    await recordEvent(c, row.account_id, 'user.loggedIn', ['user', row.id], row.id, ctx, {});
  });
  send(res, 200, { accessToken, expiresAt: expiresAt.toISOString() }, true);
}

const USER_ROUTE = /^\/v3\/users\/([^/?]+)(\/reset-password-token|\/reset-password)?\/?(\?.*)?$/;

async function route(req, res) {
  const url = req.url ?? '/';
  const m = USER_ROUTE.exec(url);
  if (m && req.method === 'GET' && !m[2]) return getUser(req, res, decodeURIComponent(m[1]));
  if (m && req.method === 'POST' && m[2] === '/reset-password-token') return issueResetToken(req, res, m[1]);
  if (m && req.method === 'POST' && m[2] === '/reset-password') return resetPassword(req, res, m[1]);
  if (req.method === 'POST' && url === '/v3/accounts/login') return login(req, res);
  if (req.method === 'POST' && url === '/v3/accounts') return signUp(req, res);
  if (req.method === 'GET' && url === '/health') return send(res, 200, { status: 'ok' });
  throw new HttpError(404, 'NOT_FOUND', `Cannot ${req.method} ${url.split('?')[0]}`);
}

dummyHash = await hash('latchkey-timing-equaliser', ARGON2_OPTIONS);
const server = http.createServer((req, res) => {
  route(req, res).catch((err) => {
    if (res.headersSent) return;
    if (err instanceof HttpError) {
      send(res, err.status, {
        statusCode: err.status,
        error: http.STATUS_CODES[err.status],
        message: err.message,
        code: err.code,
      });
    } else {
      console.error(err);
      send(res, 500, { statusCode: 500, error: 'Internal Server Error', message: 'Internal error', code: 'INTERNAL' });
    }
  });
});
server.keepAliveTimeout = 5000;
server.listen(PORT, '127.0.0.1', () => console.log(`baseline listening on 127.0.0.1:${PORT}`));
const stop = () => server.close(() => pool.end().then(() => process.exit(0)));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
