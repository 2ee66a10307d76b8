import path from 'node:path';

/** A rate limit: `points` events per `durationSeconds` window. */
export interface RateLimitRule {
  points: number;
  durationSeconds: number;
}

/** Every configurable limit of the contract, keyed by a stable name (env `RATE_LIMIT_<NAME>=points/seconds`). */
export const DEFAULT_RATE_LIMITS = {
  SIGNUP_IP: { points: 10, durationSeconds: 3600 },
  LOGIN_IP: { points: 100, durationSeconds: 900 },
  LOGIN_FAILURES_TARGET_IP: { points: 10, durationSeconds: 900 },
  LOGIN_FAILURES_TARGET: { points: 100, durationSeconds: 900 },
  RESET_REQUEST_IP: { points: 50, durationSeconds: 3600 },
  RESET_REQUEST_TARGET: { points: 5, durationSeconds: 3600 },
  RESET_FAILURES_TARGET_IP: { points: 10, durationSeconds: 900 },
  RESET_FAILURES_TARGET: { points: 100, durationSeconds: 900 },
  RESET_FAILURES_IP: { points: 100, durationSeconds: 900 },
  ISSUE_TARGET: { points: 10, durationSeconds: 3600 },
  ISSUE_CALLER: { points: 600, durationSeconds: 3600 },
  WEBHOOK_TEST: { points: 10, durationSeconds: 3600 },
} satisfies Record<string, RateLimitRule>;

export type RateLimitName = keyof typeof DEFAULT_RATE_LIMITS;

/**
 * Limits that are part of a route's own contract rather than the "Rate limits" table, applied whatever RATE_LIMITS
 * says: an edge proxy in front of the service cannot count a webhook's test deliveries per endpoint.
 */
export const ALWAYS_ON_RATE_LIMITS: ReadonlySet<RateLimitName> = new Set<RateLimitName>(['WEBHOOK_TEST']);

/** The validated configuration of one process. Built once from the environment at start-up. */
export class AppConfig {
  readonly nodeEnv: string;
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly dbPoolSize: number;
  readonly dbStatementTimeoutMs: number;
  readonly redisUrl: string | undefined;
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  readonly publicUrl: string;
  readonly publicPortalUrl: string;
  readonly signupEnabled: boolean;
  readonly trustProxy: boolean;
  readonly rateLimitsEnabled: boolean;
  readonly rateLimits: Record<RateLimitName, RateLimitRule>;
  readonly sessionTtlSeconds: number;
  readonly corsOrigins: string[];
  readonly bodyLimitBytes: number;
  readonly logFormat: 'json' | 'text';
  readonly logLevel: 'error' | 'warn' | 'log' | 'debug' | 'verbose';
  readonly outboxPollMs: number;
  readonly outboxMaxAttempts: number;
  /** OUTBOX_WORKER=off: this instance does not poll the outbox (another one does, or tests drain it). */
  readonly outboxWorker: boolean;
  readonly cleanupIntervalMs: number;
  readonly shutdownTimeoutMs: number;
  readonly shutdownDelayMs: number;
  /** WEBHOOK_ALLOW_PRIVATE_NETWORKS=true: webhooks may reach loopback and private addresses (development and tests only). */
  readonly webhookAllowPrivateNetworks: boolean;
  /** WEBHOOK_WORKER=off: this instance does not deliver webhooks (another one does, or tests drive the worker). */
  readonly webhookWorker: boolean;
  readonly webhookPollMs: number;
  /** SECRETS_KEY: the 32-byte key that seals webhook signing secrets and queued emails; undefined: one kept under DATA_DIR. */
  readonly secretsKey: Buffer | undefined;

  constructor(env: Record<string, string | undefined>) {
    const errors: string[] = [];
    const str = (name: string, fallback?: string) => {
      const v = env[name];
      return v === undefined || v === '' ? fallback : v;
    };
    const int = (name: string, fallback: number, min: number, max: number) => {
      const raw = str(name);
      if (raw === undefined) return fallback;
      const n = Number(raw);
      if (!Number.isInteger(n) || n < min || n > max) {
        errors.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
        return fallback;
      }
      return n;
    };
    const bool = (name: string, fallback: boolean) => {
      const raw = str(name);
      if (raw === undefined) return fallback;
      if (/^(1|true|on|yes)$/i.test(raw)) return true;
      if (/^(0|false|off|no)$/i.test(raw)) return false;
      errors.push(`${name} must be true/false or on/off, got "${raw}"`);
      return fallback;
    };
    const url = (name: string, fallback: string) => {
      const raw = str(name, fallback)!.replace(/\/+$/, '');
      try {
        const u = new URL(raw);
        if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
      } catch {
        errors.push(`${name} must be an http(s) URL, got "${raw}"`);
      }
      return raw;
    };

    this.nodeEnv = str('NODE_ENV', 'development')!;
    this.port = int('PORT', 3000, 0, 65535);
    this.host = str('HOST', '0.0.0.0')!;
    this.databaseUrl = str('DATABASE_URL');
    if (this.databaseUrl && !/^postgres(ql)?:\/\//.test(this.databaseUrl)) {
      errors.push('DATABASE_URL must be a postgres:// URL');
    }
    this.dataDir = path.resolve(str('DATA_DIR', './data')!);
    this.dbPoolSize = int('DB_POOL_SIZE', 10, 1, 500);
    this.dbStatementTimeoutMs = int('DB_STATEMENT_TIMEOUT_MS', 10_000, 100, 600_000);
    this.redisUrl = str('REDIS_URL');
    this.smtpUrl = str('SMTP_URL');
    this.mailFrom = str('MAIL_FROM', 'Latchkey <no-reply@localhost>')!;
    this.publicUrl = url('PUBLIC_URL', `http://localhost:${this.port}`);
    this.publicPortalUrl = url('PUBLIC_PORTAL_URL', this.publicUrl);
    this.signupEnabled = bool('SIGNUP_ENABLED', true);
    this.trustProxy = bool('TRUST_PROXY', false);
    this.rateLimitsEnabled = bool('RATE_LIMITS', true);
    // At most 7 days: an admin session is what the human-only changes rely on, so it must not live long.
    this.sessionTtlSeconds = int('SESSION_TTL_SECONDS', 86_400, 60, 604_800);
    this.corsOrigins = (str('CORS_ORIGINS', '') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    this.bodyLimitBytes = int('BODY_LIMIT_BYTES', 100 * 1024, 1024, 10 * 1024 * 1024);
    const logFormat = str('LOG_FORMAT', this.nodeEnv === 'production' ? 'json' : 'text');
    if (logFormat !== 'json' && logFormat !== 'text') errors.push('LOG_FORMAT must be json or text');
    this.logFormat = logFormat === 'text' ? 'text' : 'json';
    const logLevel = str('LOG_LEVEL', 'log')!;
    if (!['error', 'warn', 'log', 'debug', 'verbose'].includes(logLevel)) {
      errors.push('LOG_LEVEL must be one of error, warn, log, debug, verbose');
    }
    this.logLevel = logLevel as AppConfig['logLevel'];
    this.outboxPollMs = int('OUTBOX_POLL_MS', 1000, 10, 600_000);
    this.outboxMaxAttempts = int('OUTBOX_MAX_ATTEMPTS', 10, 1, 100);
    this.outboxWorker = bool('OUTBOX_WORKER', true);
    this.cleanupIntervalMs = int('CLEANUP_INTERVAL_MS', 10 * 60_000, 1000, 86_400_000);
    this.shutdownTimeoutMs = int('SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000);
    this.shutdownDelayMs = int('SHUTDOWN_DELAY_MS', 0, 0, 60_000);
    this.webhookAllowPrivateNetworks = bool('WEBHOOK_ALLOW_PRIVATE_NETWORKS', false);
    this.webhookWorker = bool('WEBHOOK_WORKER', true);
    this.webhookPollMs = int('WEBHOOK_POLL_MS', 1000, 10, 600_000);
    const secretsKey = str('SECRETS_KEY');
    this.secretsKey = undefined;
    if (secretsKey !== undefined) {
      const key = Buffer.from(secretsKey, 'base64');
      if (!/^[A-Za-z0-9+/]{43}=$/.test(secretsKey) || key.length !== 32) {
        errors.push('SECRETS_KEY must be the base64 of 32 random bytes (e.g. `openssl rand -base64 32`)');
      } else {
        this.secretsKey = key;
      }
    }

    const limits = {} as Record<RateLimitName, RateLimitRule>;
    for (const [name, rule] of Object.entries(DEFAULT_RATE_LIMITS) as [RateLimitName, RateLimitRule][]) {
      const raw = str(`RATE_LIMIT_${name}`);
      if (raw === undefined) {
        limits[name] = rule;
        continue;
      }
      const m = /^(\d+)\/(\d+)$/.exec(raw);
      if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) {
        errors.push(`RATE_LIMIT_${name} must look like points/seconds, e.g. 10/900, got "${raw}"`);
        limits[name] = rule;
      } else {
        limits[name] = { points: Number(m[1]), durationSeconds: Number(m[2]) };
      }
    }
    this.rateLimits = limits;
    if (str('RATE_LIMIT_RESET_IP') !== undefined) {
      // Renamed when the reset routes' per-IP limit came to count token failures only.
      errors.push('RATE_LIMIT_RESET_IP is now RATE_LIMIT_RESET_FAILURES_IP (it counts token failures only)');
    }

    if (errors.length) throw new Error(`Invalid configuration:\n- ${errors.join('\n- ')}`);
  }

  get embedded(): boolean {
    return !this.databaseUrl;
  }

  get production(): boolean {
    return this.nodeEnv === 'production';
  }
}
