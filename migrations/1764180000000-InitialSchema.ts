import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Accounts, users, bearer credentials, reset tokens, the event log, email templates and the outbox. */
export class InitialSchema1764180000000 implements MigrationInterface {
  name = 'InitialSchema1764180000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE accounts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        alias text NOT NULL,
        reset_token_ttl_seconds integer NOT NULL DEFAULT 3600,
        reset_token_max_ttl_seconds integer NOT NULL DEFAULT 86400,
        allowed_redirect_hosts text[] NOT NULL DEFAULT '{}',
        min_password_length integer NOT NULL DEFAULT 15,
        notify_on_password_change boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_accounts_alias UNIQUE (alias)
      )`);

    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        email text NOT NULL,
        first_name text NOT NULL,
        last_name text NOT NULL,
        role text NOT NULL CONSTRAINT ck_users_role CHECK (role IN ('admin', 'user')),
        company text,
        locale text,
        metadata jsonb NOT NULL DEFAULT '{}',
        password_hash text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        last_login_at timestamptz,
        password_changed_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_users_account_email ON users (account_id, lower(email))`);
    await q.query(`CREATE INDEX ix_users_account_created ON users (account_id, created_at DESC, id)`);
    await q.query(`CREATE INDEX ix_users_account_role ON users (account_id, role)`);

    await q.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        token_hash bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        ip text,
        user_agent text,
        CONSTRAINT uq_sessions_token_hash UNIQUE (token_hash)
      )`);
    await q.query(`CREATE INDEX ix_sessions_user ON sessions (user_id)`);
    await q.query(`CREATE INDEX ix_sessions_expires ON sessions (expires_at)`);

    await q.query(`
      CREATE TABLE personal_access_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        parent_token_id uuid REFERENCES personal_access_tokens (id) ON DELETE CASCADE,
        name text NOT NULL,
        scopes text[] NOT NULL,
        token_hash bytea NOT NULL,
        token_hint text NOT NULL,
        expires_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz,
        CONSTRAINT uq_pats_token_hash UNIQUE (token_hash)
      )`);
    await q.query(`CREATE INDEX ix_pats_account_created ON personal_access_tokens (account_id, created_at DESC)`);
    await q.query(`CREATE INDEX ix_pats_user ON personal_access_tokens (user_id)`);
    await q.query(`CREATE INDEX ix_pats_parent ON personal_access_tokens (parent_token_id)`);

    await q.query(`
      CREATE TABLE reset_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        token_hash bytea NOT NULL,
        origin text NOT NULL CONSTRAINT ck_reset_tokens_origin CHECK (origin IN ('api', 'email')),
        created_by_type text NOT NULL,
        created_by_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz,
        CONSTRAINT uq_reset_tokens_token_hash UNIQUE (token_hash)
      )`);
    // At most one live token per user, whatever its origin.
    await q.query(
      `CREATE UNIQUE INDEX uq_reset_tokens_live_user ON reset_tokens (user_id) WHERE used_at IS NULL AND revoked_at IS NULL`,
    );
    await q.query(`CREATE INDEX ix_reset_tokens_expires ON reset_tokens (expires_at)`);

    await q.query(`
      CREATE TABLE event_logs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        action text NOT NULL,
        actor_type text NOT NULL,
        actor_id uuid,
        target_user_id uuid,
        ip text,
        user_agent text,
        data jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_event_logs_account_created ON event_logs (account_id, created_at DESC)`);
    await q.query(`CREATE INDEX ix_event_logs_account_action ON event_logs (account_id, action, created_at DESC)`);
    await q.query(`CREATE INDEX ix_event_logs_account_target ON event_logs (account_id, target_user_id)`);
    await q.query(`CREATE INDEX ix_event_logs_account_actor ON event_logs (account_id, actor_id)`);

    await q.query(`
      CREATE TABLE email_templates (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        event text NOT NULL,
        locale text NOT NULL DEFAULT '',
        subject text NOT NULL,
        html_body text,
        text_body text,
        from_name text,
        reply_to text,
        link_template text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_email_templates_account_event_locale UNIQUE (account_id, event, locale)
      )`);

    await q.query(`
      CREATE TABLE outbox (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id uuid REFERENCES accounts (id) ON DELETE CASCADE,
        kind text NOT NULL,
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending',
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        processed_at timestamptz
      )`);
    await q.query(`CREATE INDEX ix_outbox_pending ON outbox (next_attempt_at) WHERE status = 'pending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'outbox',
      'email_templates',
      'event_logs',
      'reset_tokens',
      'personal_access_tokens',
      'sessions',
      'users',
      'accounts',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
