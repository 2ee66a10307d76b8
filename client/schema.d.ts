/**
 * Generated from openapi.json by `npm run client:generate`. Do not edit.
 */

export interface paths {
    "/v3/event-logs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the account's events, newest first; X-Total-Count holds the total */
        get: operations["EventLogs_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v3/personal-access-tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the account's personal access tokens, newest first (no secrets) */
        get: operations["PersonalAccessTokens_list"];
        put?: never;
        /**
         * Create a personal access token; its secret is in this response only
         * @description Admins only. Every scope asked must be held by the caller; a token made by a token expires no later than it.
         */
        post: operations["PersonalAccessTokens_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v3/personal-access-tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a personal access token (no secret) */
        get: operations["PersonalAccessTokens_get"];
        put?: never;
        post?: never;
        /**
         * Delete a personal access token and the tokens it made
         * @description A personal access token may change only itself and the tokens it made: any other needs an admin session (403 FORBIDDEN).
         */
        delete: operations["PersonalAccessTokens_remove"];
        options?: never;
        head?: never;
        /**
         * Rename or revoke a personal access token; revoking also revokes the tokens it made
         * @description A personal access token may change only itself and the tokens it made: any other needs an admin session (403 FORBIDDEN).
         */
        patch: operations["PersonalAccessTokens_update"];
        trace?: never;
    };
    "/v3/accounts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign up: create an account, its first admin and a session */
        post: operations["Accounts_signUp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v3/accounts/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Log in with account alias, email and password; returns a session token */
        post: operations["Accounts_login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v3/accounts/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Log out: revoke the calling session */
        post: operations["Accounts_logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v3/accounts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get the account and its settings */
        get: operations["Accounts_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Update the account name or settings
         * @description A personal access token with `account:write` may change only `name`: a body holding any other key is 403 FORBIDDEN whatever the values; the settings need an admin session.
         */
        patch: operations["Accounts_update"];
        trace?: never;
    };
    "/v3/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the account's users
         * @description The total count is in `X-Total-Count`.
         */
        get: operations["Users_list"];
        put?: never;
        /**
         * Create a user
         * @description Creating an `admin` needs an admin session. A given password must pass the account policy.
         */
        post: operations["Users_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v3/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a user */
        get: operations["Users_get"];
        put?: never;
        post?: never;
        /**
         * Delete a user
         * @description Its sessions, PATs and reset tokens go with it. Deleting an admin needs an admin session.
         */
        delete: operations["Users_remove"];
        options?: never;
        head?: never;
        /**
         * Update a user
         * @description A user may change only its own first and last name and locale. Promoting to admin or changing an admin's email needs an admin session; demoting an admin revokes the PATs it created.
         */
        patch: operations["Users_update"];
        trace?: never;
    };
    "/v3/users/{id}/reset-password-token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Issue a reset token for a user with role "user" (kills the earlier one); optionally email it */
        post: operations["UserPasswords_issue"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v3/users/{id}/reset-password-tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a user's outstanding reset tokens (metadata only, never the secret) */
        get: operations["UserPasswords_listTokens"];
        put?: never;
        post?: never;
        /** Revoke every outstanding reset token of a user with role "user" */
        delete: operations["UserPasswords_revokeTokens"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v3/users/{id}/reset-password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Set a new password with a reset token; ends every session of the user and does not log in */
        post: operations["UserPasswords_resetPassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v3/users/{id}/reset-password/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Check a reset token without using it: when it expires and the minimum password length
         * @description Judges the token exactly as reset-password does, against the same failure budget; the token stays unused.
         */
        post: operations["UserPasswords_verifyResetToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v3/users/{id}/reset-password/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * "I did not ask for this": kill every outstanding reset token of the user with one of them
         * @description Writes user.resetPasswordCanceled, changes nothing else and sends nothing. Judges the token exactly as reset-password does, against the same failure budget.
         */
        post: operations["UserPasswords_cancelResetToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v3/users/{id}/update-password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Change one's own password; ends the user's other sessions and reset tokens */
        post: operations["UserPasswords_updatePassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v3/accounts/reset-password-request": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Email a user the account's reset link; the same answer whether or not the user exists */
        post: operations["ResetPasswordRequest_request"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v3/accounts/{id}/email-templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the account's email templates, built-in defaults included */
        get: operations["EmailTemplates_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v3/accounts/{id}/email-templates/{event}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Create or replace the template of an event and locale
         * @description Every field, event and locale: the emails carry reset tokens and the password-changed notice, so a personal access token of any scope gets 403 FORBIDDEN.
         */
        put: operations["EmailTemplates_put"];
        post?: never;
        /**
         * Delete the account's template of an event and locale, back to the next in the fallback order
         * @description Any event and locale: a personal access token of any scope gets 403 FORBIDDEN.
         */
        delete: operations["EmailTemplates_remove"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v3/accounts/{id}/email-templates/{event}/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Render a template with sample data, optionally with unsaved changes */
        post: operations["EmailTemplates_preview"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v3/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the account's webhook endpoints (at most 10), newest first (no secrets) */
        get: operations["Webhooks_list"];
        put?: never;
        /**
         * Add a webhook endpoint; its signing secret is in this response only
         * @description Needs an admin session: a personal access token of any scope gets 403 FORBIDDEN, so a leaked token cannot send the account’s events anywhere. Every admin of the account is emailed. At most 10 endpoints per account.
         */
        post: operations["Webhooks_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v3/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a webhook endpoint (no secret) */
        get: operations["Webhooks_get"];
        put?: never;
        post?: never;
        /**
         * Delete a webhook endpoint; no attempt starts after the answer
         * @description Needs an admin session: a personal access token of any scope gets 403 FORBIDDEN, so a leaked token cannot send the account’s events anywhere.
         */
        delete: operations["Webhooks_remove"];
        options?: never;
        head?: never;
        /**
         * Change, disable or enable a webhook endpoint
         * @description Needs an admin session: a personal access token of any scope gets 403 FORBIDDEN, so a leaked token cannot send the account’s events anywhere. A new url is emailed to every admin; disabling drops the pending attempts.
         */
        patch: operations["Webhooks_update"];
        trace?: never;
    };
    "/v3/webhooks/{id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Replace the signing secret; the new one is in this response only
         * @description Needs an admin session: a personal access token of any scope gets 403 FORBIDDEN, so a leaked token cannot send the account’s events anywhere. The old secret also signs for 24 hours (two signatures), unless expireOldNow; a second rotation ends the oldest at once.
         */
        post: operations["Webhooks_rotateSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v3/webhooks/{id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a webhook.test event to this endpoint only
         * @description Needs an admin session: a personal access token of any scope gets 403 FORBIDDEN, so a leaked token cannot send the account’s events anywhere. 10 an hour per endpoint.
         */
        post: operations["Webhooks_test"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v3/webhooks/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The endpoint's delivery attempts, made or scheduled, newest first */
        get: operations["Webhooks_listDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        ActorDto: {
            /** @enum {string} */
            type: "user" | "personalAccessToken" | "anonymous" | "system";
            /** @description The user's or the token's id; null for `anonymous` and `system`. */
            id: string | null;
        };
        EventLogResponseDto: {
            /** @example user.created */
            action: string;
            /**
             * @description Details of the action; never a secret or a password.
             * @example {
             *       "name": "CI deploys",
             *       "scopes": [
             *         "user:read"
             *       ]
             *     }
             */
            data: {
                [key: string]: unknown;
            };
            id: string;
            actor: components["schemas"]["ActorDto"];
            /** @description The user the action was about, if any. */
            targetUserId: string | null;
            ip: string | null;
            userAgent: string | null;
            /** Format: date-time */
            createdAt: string;
        };
        ErrorDetailDto: {
            /** @description The field at fault, dotted for nested fields. */
            field: string;
            message: string;
        };
        ErrorResponseDto: {
            /** @example 400 */
            statusCode: number;
            /** @example Bad Request */
            error: string;
            /** @example The request is not valid. */
            message: string;
            /**
             * @description A stable machine code, e.g. VALIDATION_FAILED, UNAUTHENTICATED, INSUFFICIENT_SCOPE, NOT_FOUND.
             * @example VALIDATION_FAILED
             */
            code: string;
            details?: components["schemas"]["ErrorDetailDto"][];
        };
        CreatePersonalAccessTokenDto: {
            /**
             * @description A label to tell tokens apart: a name like the others (trimmed, 1–100 characters, no control or format character),
             *     since it is shown to admins in lists and the event log.
             * @example CI deploys
             */
            name: string;
            /**
             * @description The scopes the token holds; each must be held by the caller. Stored deduplicated and sorted.
             * @example [
             *       "user:read"
             *     ]
             */
            scopes: ("account:read" | "account:write" | "user:read" | "user:write" | "user:resetPasswordToken" | "personalAccessToken:read" | "personalAccessToken:write" | "eventLog:read")[];
            /**
             * Format: date-time
             * @description When the token stops working, in the future. Omitted or null: never — except for a token made
             *     by a token, which then expires with its parent (and may not outlive it).
             * @example 2030-01-01T00:00:00Z
             */
            expiresAt?: string | null;
        };
        CreatedPersonalAccessTokenDto: {
            /**
             * @example [
             *       "user:read"
             *     ]
             */
            scopes: string[];
            id: string;
            name: string;
            /** Format: date-time */
            expiresAt: string | null;
            /** Format: date-time */
            createdAt: string;
            /** @description The secret, `lk_pat_…`. Shown once: store it now. */
            token: string;
        };
        PersonalAccessTokenResponseDto: {
            /**
             * @example [
             *       "user:read"
             *     ]
             */
            scopes: string[];
            id: string;
            name: string;
            /** @description The user (session) or the token that made it. */
            createdBy: components["schemas"]["ActorDto"];
            /** @description The last four characters of the secret. */
            tokenHint: string;
            /**
             * Format: date-time
             * @description Null: never expires.
             */
            expiresAt: string | null;
            /** Format: date-time */
            createdAt: string;
            /**
             * Format: date-time
             * @description When the token last authenticated a request (recorded at most once a minute).
             */
            lastUsedAt: string | null;
            revoked: boolean;
            /** Format: date-time */
            revokedAt: string | null;
        };
        UpdatePersonalAccessTokenDto: {
            /**
             * @description A label to tell tokens apart: a name like the others (trimmed, 1–100 characters, no control or format character),
             *     since it is shown to admins in lists and the event log.
             * @example CI deploys
             */
            name?: string;
            /**
             * @description `true` revokes the token and every token it made. Revocation is final: `false` on a revoked token is a 400.
             * @example true
             */
            revoked?: boolean;
        };
        SignUpDto: {
            /**
             * Format: email
             * @description The first admin's email; its rules are a user's. The example is the one login's example signs in with.
             * @example owner@acme.example
             */
            email: string;
            /** @example Ada */
            firstName: string;
            /** @example Lovelace */
            lastName: string;
            /**
             * @description The account's display name.
             * @example Acme Widgets
             */
            name: string;
            /**
             * @description Unique lower-case slug, 3–40 of `a-z0-9-`, used at login.
             * @example acme-widgets
             */
            alias: string;
            /**
             * @description At least 15 characters; common passwords and your own names are refused. Between the account's `minPasswordLength` (8–64) and 256 code points; a weak one is 400 `WEAK_PASSWORD`.
             * @example velvet quasar lantern mosaic 7241
             */
            password: string;
        };
        AccountResponseDto: {
            id: string;
            name: string;
            /** @description Unique lower-case slug used at login. */
            alias: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /** @description Default lifetime of a reset token, in seconds. */
            resetTokenTtlSeconds: number;
            /** @description Longest lifetime a caller may ask for, in seconds (at most 604800). */
            resetTokenMaxTtlSeconds: number;
            /** @description Hosts that email-template reset links may point to. */
            allowedRedirectHosts: string[];
            /** @description Minimum password length in code points (8–64). */
            minPasswordLength: number;
            /** @description Email users when their password changes (always done when the reset token came through the API). */
            notifyOnPasswordChange: boolean;
        };
        UserResponseDto: {
            /** @enum {string} */
            role: "admin" | "user";
            metadata: {
                [key: string]: unknown;
            };
            id: string;
            accountId: string;
            email: string;
            firstName: string;
            lastName: string;
            company: string | null;
            locale: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /** Format: date-time */
            lastLoginAt: string | null;
            /** Format: date-time */
            passwordChangedAt: string | null;
        };
        SignUpResponseDto: {
            account: components["schemas"]["AccountResponseDto"];
            user: components["schemas"]["UserResponseDto"];
            /** @description A session token, `lk_ses_…`: send it as `Authorization: Bearer …`. Shown once. */
            accessToken: string;
            /** Format: date-time */
            expiresAt: string;
        };
        LoginDto: {
            /**
             * @description Trimmed and lower-cased before it is matched.
             * @example acme-widgets
             */
            accountAlias: string;
            /**
             * @description Matched by its canonical form (case, Unicode and IDNA spelling of the domain folded).
             * @example owner@acme.example
             */
            email: string;
            /**
             * @description Longer than 1,024 UTF-16 code units: 401 INVALID_CREDENTIALS, counted as a failed login, without
             *     being hashed (no length bound here: a too-long password is a wrong password, not a malformed body).
             * @example velvet quasar lantern mosaic 7241
             */
            password: string;
        };
        SessionResponseDto: {
            /** @description A session token, `lk_ses_…`: send it as `Authorization: Bearer …`. Shown once. */
            accessToken: string;
            /** Format: date-time */
            expiresAt: string;
        };
        UpdateAccountDto: {
            /** @example Acme Widgets */
            name?: string;
            /**
             * @description Default reset-token lifetime in seconds (60 … resetTokenMaxTtlSeconds; admin session only).
             * @example 3600
             */
            resetTokenTtlSeconds?: number;
            /**
             * @description Longest reset-token lifetime a caller may ask for, in seconds (60 … 604800; admin session only).
             * @example 86400
             */
            resetTokenMaxTtlSeconds?: number;
            /**
             * @description Hosts that reset links may point to (admin session only): lower-case A-label host names,
             *     optionally `host:port`, each once; `localhost` is allowed for development. An entry written otherwise
             *     (`Portal.example`, `bücher.example`, `portal.example:443`) is 400, naming the form to write.
             * @example []
             */
            allowedRedirectHosts?: string[];
            /**
             * @description Minimum password length, 8–64 (admin session only).
             * @example 15
             */
            minPasswordLength?: number;
            /**
             * @description Email users when their password changes (admin session only).
             * @example true
             */
            notifyOnPasswordChange?: boolean;
        };
        CreateUserDto: {
            /**
             * Format: email
             * @description Stored trimmed and NFC-normalised; unique in the account by its canonical form (case, Unicode and IDNA folded).
             * @example ada@example.com
             */
            email: string;
            /** @example Ada */
            firstName: string;
            /** @example Lovelace */
            lastName: string;
            /**
             * @description Default `user`. Creating an `admin` needs an admin session.
             * @example user
             * @enum {string}
             */
            role?: "admin" | "user";
            /**
             * @description Optional: a user without a password signs in after a reset. Checked against the account's password policy. Between the account's `minPasswordLength` (8–64) and 256 code points; a weak one is 400 `WEAK_PASSWORD`.
             * @example amber comet teacup harbor 9153
             */
            password?: string;
            /**
             * @description `null` clears it.
             * @example Analytical Engines Ltd
             */
            company?: string | null;
            /**
             * @description A language tag such as `de` or `pt-BR`; picks the user's email templates. `null` clears it.
             * @example en-GB
             */
            locale?: string | null;
            /**
             * @description Free-form JSON object: at most 50 keys and 4 KB.
             * @example {
             *       "plan": "pro"
             *     }
             */
            metadata?: {
                [key: string]: unknown;
            };
        };
        UpdateUserDto: {
            /**
             * Format: email
             * @description Stored trimmed and NFC-normalised; unique in the account by its canonical form (case, Unicode and IDNA folded).
             * @example ada@example.com
             */
            email?: string;
            /** @example Ada */
            firstName?: string;
            /** @example Lovelace */
            lastName?: string;
            /**
             * @description Default `user`. Creating an `admin` needs an admin session.
             * @example user
             * @enum {string}
             */
            role?: "admin" | "user";
            /**
             * @description `null` clears it.
             * @example Analytical Engines Ltd
             */
            company?: string | null;
            /**
             * @description A language tag such as `de` or `pt-BR`; picks the user's email templates. `null` clears it.
             * @example en-GB
             */
            locale?: string | null;
            /**
             * @description Free-form JSON object: at most 50 keys and 4 KB.
             * @example {
             *       "plan": "pro"
             *     }
             */
            metadata?: {
                [key: string]: unknown;
            };
        };
        IssueResetTokenDto: {
            /**
             * @description Lifetime in seconds, from 60 to the account's `resetTokenMaxTtlSeconds`; default the account's `resetTokenTtlSeconds`.
             * @example 3600
             */
            expiresInSeconds?: number | null;
            /**
             * @description Also queue the account's branded `user.reset-password-request` email to the user.
             * @default false
             */
            send?: boolean | null;
        };
        IssuedResetTokenResponseDto: {
            /**
             * @description The single-use secret (`lk_rst_…`); only its SHA-256 is stored.
             * @example lk_rst_4Vq8Zk2mT7pXw9RbN3cL6yHs1fJd5GtQe0aUoKiWvMz2zrwMT
             */
            resetPasswordToken: string;
            /** Format: date-time */
            expiresAt: string;
            /**
             * @description The account's reset link rendered with this token, ready to email as it is.
             * @example https://portal.example/reset-password?userId=7f0c…#token=lk_rst_…
             */
            link: string;
        };
        ResetTokenResponseDto: {
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            expiresAt: string;
            /**
             * @description `api`: issued through `reset-password-token`; `email`: by a `reset-password-request`.
             * @enum {string}
             */
            origin: "api" | "email";
            id: string;
            /** @description The PAT or session user that issued it; `anonymous` for a reset requested by email. */
            createdBy: components["schemas"]["ActorDto"];
        };
        ResetPasswordDto: {
            /**
             * @description The reset token (`lk_rst_…`) from the email link or from `reset-password-token`.
             * @example lk_rst_4Vq8Zk2mT7pXw9RbN3cL6yHs1fJd5GtQe0aUoKiWvMz2zrwMT
             */
            token: string;
            /**
             * @description The new password: the account's minimum length to 256 characters, not guessable. Between the account's `minPasswordLength` (8–64) and 256 code points; a weak one is 400 `WEAK_PASSWORD`.
             * @example velvet quasar lantern mosaic 7241
             */
            newPassword: string;
        };
        ResetLinkTokenDto: {
            /**
             * @description The reset token (`lk_rst_…`) from the email link or from `reset-password-token`.
             * @example lk_rst_4Vq8Zk2mT7pXw9RbN3cL6yHs1fJd5GtQe0aUoKiWvMz2zrwMT
             */
            token: string;
        };
        VerifiedResetTokenResponseDto: {
            /**
             * Format: date-time
             * @description When the token stops working.
             */
            expiresAt: string;
            /**
             * @description The account's minimum password length, in code points after NFC normalisation.
             * @example 15
             */
            minPasswordLength: number;
        };
        UpdatePasswordDto: {
            /**
             * @description The current password; longer than 1,024 UTF-16 code units it is WRONG_PASSWORD, never hashed.
             * @example velvet quasar lantern mosaic 7241
             */
            oldPassword: string;
            /**
             * @description The new password: the account's minimum length to 256 characters, not guessable. Between the account's `minPasswordLength` (8–64) and 256 code points; a weak one is 400 `WEAK_PASSWORD`.
             * @example amber comet teacup harbor 9153
             */
            newPassword: string;
        };
        ResetPasswordRequestDto: {
            /**
             * @description Trimmed and lower-cased before it is matched.
             * @example acme-widgets
             */
            accountAlias: string;
            /**
             * Format: email
             * @description Matched by its canonical form; the email goes to the address stored for the user, never this text. Text that is
             *     no address (no user can have it) is a malformed body: 400, known user or not.
             * @example ada@example.com
             */
            email: string;
        };
        EmailTemplateResponseDto: {
            /** @enum {string} */
            event: "user.reset-password-request" | "user.password-changed" | "user.email-changed";
            /** @description null: the account's template for every locale without its own (and the built-in ones). */
            locale: string | null;
            subject: string;
            htmlBody: string | null;
            textBody: string | null;
            fromName: string | null;
            replyTo: string | null;
            linkTemplate: string | null;
            /** @description true for a built-in template, which applies when the account has none of its own. */
            isDefault: boolean;
            /** Format: date-time */
            createdAt: string | null;
            /** Format: date-time */
            updatedAt: string | null;
        };
        PutEmailTemplateDto: {
            /**
             * @description A BCP 47 language tag (`de`, `pt-BR`); omitted: the account's template for every locale without its own.
             * @example de
             */
            locale?: string;
            /**
             * @description Mustache template of one line (no control character or line separator: CR, LF, tab and U+2028 are 400); placeholders such as
             *     {{account.name}} are rendered unescaped.
             * @example Your {{account.name}} password
             */
            subject: string;
            /**
             * @description Mustache template of the HTML part; placeholder values are HTML-escaped. htmlBody, textBody or both. At most 102400 characters, and the whole body within `BODY_LIMIT_BYTES` (413 beyond).
             * @example <p>Hello {{user.firstName}},</p><p>{{account.name}}</p>
             */
            htmlBody?: string | null;
            /**
             * @description Mustache template of the plain-text part. At most 102400 characters, and the whole body within `BODY_LIMIT_BYTES` (413 beyond).
             * @example Hello {{user.firstName}},
             *
             *     {{account.name}}
             */
            textBody?: string | null;
            /**
             * @description Display name of the sender; the address is the service's MAIL_FROM. Default: the account's name.
             * @example Acme Support
             */
            fromName?: string | null;
            /**
             * Format: email
             * @example support@acme.example
             */
            replyTo?: string | null;
            /**
             * @description Only for user.reset-password-request, and only from an admin session: an https URL on one of the account's allowedRedirectHosts, with placeholders (percent-encoded) only in its path, query and fragment, such as `https://portal.acme.example/reset?user={{user.id}}#token={{token}}`. Null: the built-in link.
             * @example null
             */
            linkTemplate?: string | null;
        } | {
            htmlBody: string;
        } | {
            textBody: string;
        };
        PreviewEmailTemplateDto: {
            /**
             * @description A BCP 47 language tag (`de`, `pt-BR`); omitted: the account's template for every locale without its own.
             * @example de
             */
            locale?: string;
            /**
             * @description Mustache template of one line (no control character or line separator: CR, LF, tab and U+2028 are 400); placeholders such as
             *     {{account.name}} are rendered unescaped.
             * @example Your {{account.name}} password
             */
            subject?: string;
            /**
             * @description Mustache template of the HTML part; placeholder values are HTML-escaped. htmlBody, textBody or both. At most 102400 characters, and the whole body within `BODY_LIMIT_BYTES` (413 beyond).
             * @example <p>Hello {{user.firstName}},</p><p>{{account.name}}</p>
             */
            htmlBody?: string | null;
            /**
             * @description Mustache template of the plain-text part. At most 102400 characters, and the whole body within `BODY_LIMIT_BYTES` (413 beyond).
             * @example Hello {{user.firstName}},
             *
             *     {{account.name}}
             */
            textBody?: string | null;
            /**
             * @description Only for user.reset-password-request, and only from an admin session: an https URL on one of the account's allowedRedirectHosts, with placeholders (percent-encoded) only in its path, query and fragment, such as `https://portal.acme.example/reset?user={{user.id}}#token={{token}}`. Null: the built-in link.
             * @example null
             */
            linkTemplate?: string | null;
        };
        EmailPreviewResponseDto: {
            subject: string;
            /** @description null when the template has no HTML part. */
            html: string | null;
            /** @description null when the template has no text part. */
            text: string | null;
            /** @description The reset link; null for events without one. */
            link: string | null;
        };
        CreateWebhookDto: {
            /**
             * Format: uri
             * @description Where deliveries are POSTed: `https` (plain `http` only for localhost in development), at most
             *     2,048 characters, no user name or password, no fragment. Stored and shown in its WHATWG serialisation, the
             *     form it is delivered to: `HTTPS://Hooks.Example.com:443` is `https://hooks.example.com/`, a Unicode host its
             *     ASCII (Punycode) name, a backslash a slash.
             * @example https://portal.example.com/webhooks/latchkey
             */
            url: string;
            /**
             * @description The event types to deliver, each at most once, or `["*"]` for every type (types added later included).
             * @example [
             *       "user.passwordReset",
             *       "user.deleted"
             *     ]
             */
            events: ("*" | "user.created" | "user.updated" | "user.deleted" | "user.passwordReset" | "user.passwordUpdated" | "user.resetPasswordToken.created" | "user.resetPasswordToken.revoked" | "user.resetPasswordRequested" | "user.resetPasswordCanceled" | "personalAccessToken.created" | "personalAccessToken.revoked" | "account.updated" | "emailTemplate.updated" | "webhook.created" | "webhook.updated" | "webhook.deleted" | "webhook.test")[];
            /**
             * @description A note for the account's admins, at most 100 characters; `null` clears it.
             * @example Customer portal
             */
            description?: string | null;
        };
        CreatedWebhookDto: {
            /**
             * @description The event types delivered, or `["*"]` for all.
             * @example [
             *       "user.passwordReset",
             *       "user.deleted"
             *     ]
             */
            events: string[];
            /**
             * @description Why it is disabled: `failing` (every attempt failed for 3 days) or `manual`; null while enabled.
             * @enum {string|null}
             */
            disabledReason: "failing" | "manual" | null;
            /**
             * @description The signing secret, `whsec_…` (Standard Webhooks). Shown once: store it now.
             * @example whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
             */
            secret: string;
            id: string;
            url: string;
            description: string | null;
            enabled: boolean;
            /** @description The user (session) that added it. */
            createdBy: components["schemas"]["ActorDto"];
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        WebhookResponseDto: {
            /**
             * @description The event types delivered, or `["*"]` for all.
             * @example [
             *       "user.passwordReset",
             *       "user.deleted"
             *     ]
             */
            events: string[];
            /**
             * @description Why it is disabled: `failing` (every attempt failed for 3 days) or `manual`; null while enabled.
             * @enum {string|null}
             */
            disabledReason: "failing" | "manual" | null;
            id: string;
            url: string;
            description: string | null;
            enabled: boolean;
            /** @description The user (session) that added it. */
            createdBy: components["schemas"]["ActorDto"];
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        UpdateWebhookDto: {
            /**
             * Format: uri
             * @description Where deliveries are POSTed: `https` (plain `http` only for localhost in development), at most
             *     2,048 characters, no user name or password, no fragment. Stored and shown in its WHATWG serialisation, the
             *     form it is delivered to: `HTTPS://Hooks.Example.com:443` is `https://hooks.example.com/`, a Unicode host its
             *     ASCII (Punycode) name, a backslash a slash.
             * @example https://portal.example.com/webhooks/latchkey
             */
            url?: string;
            /**
             * @description The event types to deliver, each at most once, or `["*"]` for every type (types added later included).
             * @example [
             *       "user.passwordReset",
             *       "user.deleted"
             *     ]
             */
            events?: ("*" | "user.created" | "user.updated" | "user.deleted" | "user.passwordReset" | "user.passwordUpdated" | "user.resetPasswordToken.created" | "user.resetPasswordToken.revoked" | "user.resetPasswordRequested" | "user.resetPasswordCanceled" | "personalAccessToken.created" | "personalAccessToken.revoked" | "account.updated" | "emailTemplate.updated" | "webhook.created" | "webhook.updated" | "webhook.deleted" | "webhook.test")[];
            /**
             * @description A note for the account's admins, at most 100 characters; `null` clears it.
             * @example Customer portal
             */
            description?: string | null;
            /**
             * @description `false` stops deliveries and drops the pending ones (`disabledReason: "manual"`); `true` resumes with
             *     new events and restarts the 3-day failure clock.
             */
            enabled?: boolean;
        };
        RotateWebhookSecretDto: {
            /** @description `true`: the old secret stops signing at once. Default: it also signs for 24 hours, so receivers can switch. */
            expireOldNow?: boolean;
        };
        WebhookSecretDto: {
            /**
             * @description The new signing secret, `whsec_…`.
             * @example whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
             */
            secret: string;
        };
        WebhookDeliveryResponseDto: {
            /** @enum {string} */
            status: "pending" | "succeeded" | "failed";
            id: string;
            /** @description The event log entry delivered: the `webhook-id` header, the same on every attempt. */
            eventId: string;
            type: string;
            /** @description 1 for the first attempt, then one more per retry. */
            attempt: number;
            /** @description The receiver's HTTP status; null when none came. */
            responseStatus: number | null;
            /** @description Why the attempt failed, e.g. `timeout` or `address not allowed`; null otherwise. */
            error: string | null;
            durationMs: number | null;
            /** Format: date-time */
            createdAt: string;
            /**
             * Format: date-time
             * @description When the attempt was made; null while it is pending.
             */
            attemptedAt: string | null;
            /**
             * Format: date-time
             * @description When a pending attempt is due.
             */
            nextAttemptAt: string | null;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: {
        /** @description No cache may keep the answer. */
        NoStore: "no-store";
        /** @description Seconds until the spent limit lets a request through again. */
        RetryAfter: number;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    EventLogs_list: {
        parameters: {
            query?: {
                /** @description Page number, from 1. */
                page?: number;
                /** @description Items per page, 1 to 100. */
                limit?: number;
                /** @description Exact action name, e.g. `user.created`. */
                action?: string;
                /** @description Events at or after this instant (RFC 3339, with an offset). */
                from?: string;
                /** @description Events at or before this instant (RFC 3339, with an offset); not before `from`. */
                to?: string;
                /** @description Events whose actor is this user (by session) or whose target is this user. */
                userId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    /** @description Items matching the filters, over all pages. */
                    "X-Total-Count": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventLogResponseDto"][];
                };
            };
            /** @description Bad filter, from after to, or page/limit out of range (VALIDATION_FAILED) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, malformed, unknown, expired or revoked bearer token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Needs the `eventLog:read` scope. (INSUFFICIENT_SCOPE or FORBIDDEN) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    PersonalAccessTokens_list: {
        parameters: {
            query?: {
                /** @description Page number, from 1. */
                page?: number;
                /** @description Items per page, 1 to 100. */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    /** @description Items matching the filters, over all pages. */
                    "X-Total-Count": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PersonalAccessTokenResponseDto"][];
                };
            };
            /** @description page or limit out of range (VALIDATION_FAILED) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, malformed, unknown, expired or revoked bearer token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Needs the `personalAccessToken:read` scope. (INSUFFICIENT_SCOPE or FORBIDDEN) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    PersonalAccessTokens_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreatePersonalAccessTokenDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedPersonalAccessTokenDto"];
                };
            };
            /** @description Unknown scope, bad name, or expiresAt in the past or after the parent token (VALIDATION_FAILED) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, malformed, unknown, expired or revoked bearer token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Needs the `personalAccessToken:write` scope. (INSUFFICIENT_SCOPE or FORBIDDEN) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The body is larger than `BODY_LIMIT_BYTES` (default 102,400 bytes, counted decoded). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A body that is not `application/json` in UTF-8, or in a content coding other than gzip, deflate or br (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    PersonalAccessTokens_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PersonalAccessTokenResponseDto"];
                };
            };
            /** @description Malformed id (VALIDATION_FAILED) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, malformed, unknown, expired or revoked bearer token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Needs the `personalAccessToken:read` scope. (INSUFFICIENT_SCOPE or FORBIDDEN) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    PersonalAccessTokens_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed id (VALIDATION_FAILED) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, malformed, unknown, expired or revoked bearer token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Needs the `personalAccessToken:write` scope. (INSUFFICIENT_SCOPE or FORBIDDEN) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The body is larger than `BODY_LIMIT_BYTES` (default 102,400 bytes, counted decoded). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A body that is not `application/json` in UTF-8, or in a content coding other than gzip, deflate or br (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    PersonalAccessTokens_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdatePersonalAccessTokenDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PersonalAccessTokenResponseDto"];
                };
            };
            /** @description Malformed id or body, or un-revoking a revoked token (VALIDATION_FAILED) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, malformed, unknown, expired or revoked bearer token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Needs the `personalAccessToken:write` scope. (INSUFFICIENT_SCOPE or FORBIDDEN) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The body is larger than `BODY_LIMIT_BYTES` (default 102,400 bytes, counted decoded). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A body that is not `application/json` in UTF-8, or in a content coding other than gzip, deflate or br (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    Accounts_signUp: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SignUpDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SignUpResponseDto"];
                };
            };
            /** @description VALIDATION_FAILED or WEAK_PASSWORD */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Sign-up is disabled (FORBIDDEN) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The alias is taken (CONFLICT) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The body is larger than `BODY_LIMIT_BYTES` (default 102,400 bytes, counted decoded). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A body that is not `application/json` in UTF-8, or in a content coding other than gzip, deflate or br (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description RATE_LIMITED */
            429: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    Accounts_login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionResponseDto"];
                };
            };
            /** @description VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Wrong alias, email or password (INVALID_CREDENTIALS) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The body is larger than `BODY_LIMIT_BYTES` (default 102,400 bytes, counted decoded). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A body that is not `application/json` in UTF-8, or in a content coding other than gzip, deflate or br (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description RATE_LIMITED */
            429: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    Accounts_logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description VALIDATION_FAILED: a token in the query string (`access_token`; tokens go in the Authorization header), or a body that is not valid JSON. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, malformed, unknown, expired or revoked bearer token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Needs a session token. (INSUFFICIENT_SCOPE or FORBIDDEN) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The body is larger than `BODY_LIMIT_BYTES` (default 102,400 bytes, counted decoded). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A body that is not `application/json` in UTF-8, or in a content coding other than gzip, deflate or br (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    Accounts_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccountResponseDto"];
                };
            };
            /** @description Malformed id (VALIDATION_FAILED) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, malformed, unknown, expired or revoked bearer token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Needs the `account:read` scope. (INSUFFICIENT_SCOPE or FORBIDDEN) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    Accounts_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateAccountDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccountResponseDto"];
                };
            };
            /** @description VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, malformed, unknown, expired or revoked bearer token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Needs the `account:write` scope; any body field other than `name` needs an admin session. (INSUFFICIENT_SCOPE or FORBIDDEN) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The body is larger than `BODY_LIMIT_BYTES` (default 102,400 bytes, counted decoded). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A body that is not `application/json` in UTF-8, or in a content coding other than gzip, deflate or br (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    Users_list: {
        parameters: {
            query?: {
                /** @description Page number, from 1. */
                page?: number;
                /** @description Items per page, 1 to 100. */
                limit?: number;
                role?: "admin" | "user";
                /** @description Exact match by canonical form: ignoring case, Unicode normalisation and IDNA spelling of the domain. */
                email?: string;
                /** @description A `-` prefix sorts descending; ties are broken by id. */
                sort?: "createdAt" | "-createdAt" | "email" | "-email" | "lastName" | "-lastName";
                /** @description Substring of the email, first or last name, or company, ignoring case. */
                search?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    /** @description Users matching the filters. */
                    "X-Total-Count": number;
                    "Cache-Control": components["headers"]["NoStore"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserResponseDto"][];
                };
            };
            /** @description Invalid input (VALIDATION_FAILED). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, malformed, unknown, expired or revoked bearer token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Needs the `user:read` scope. (INSUFFICIENT_SCOPE or FORBIDDEN) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    Users_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateUserDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserResponseDto"];
                };
            };
            /** @description Invalid input or WEAK_PASSWORD. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, malformed, unknown, expired or revoked bearer token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Needs the `user:write` scope. (INSUFFICIENT_SCOPE or FORBIDDEN) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The email is taken in the account (CONFLICT). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The body is larger than `BODY_LIMIT_BYTES` (default 102,400 bytes, counted decoded). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A body that is not `application/json` in UTF-8, or in a content coding other than gzip, deflate or br (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    Users_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserResponseDto"];
                };
            };
            /** @description Invalid input (VALIDATION_FAILED). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, malformed, unknown, expired or revoked bearer token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Needs the `user:read` scope, or a session of the user named in the path. (INSUFFICIENT_SCOPE or FORBIDDEN) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    Users_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input (VALIDATION_FAILED). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, malformed, unknown, expired or revoked bearer token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Needs the `user:write` scope. (INSUFFICIENT_SCOPE or FORBIDDEN) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The last admin (CONFLICT). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The body is larger than `BODY_LIMIT_BYTES` (default 102,400 bytes, counted decoded). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A body that is not `application/json` in UTF-8, or in a content coding other than gzip, deflate or br (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    Users_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateUserDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserResponseDto"];
                };
            };
            /** @description Invalid input (VALIDATION_FAILED). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, malformed, unknown, expired or revoked bearer token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Needs the `user:write` scope, or a session of the user named in the path. (INSUFFICIENT_SCOPE or FORBIDDEN) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Email taken, or the last admin demoted (CONFLICT). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The body is larger than `BODY_LIMIT_BYTES` (default 102,400 bytes, counted decoded). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A body that is not `application/json` in UTF-8, or in a content coding other than gzip, deflate or br (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    UserPasswords_issue: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["IssueResetTokenDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IssuedResetTokenResponseDto"];
                };
            };
            /** @description Malformed id or expiresInSeconds out of range (VALIDATION_FAILED) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, malformed, unknown, expired or revoked bearer token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Needs the `user:resetPasswordToken` scope. (INSUFFICIENT_SCOPE or FORBIDDEN) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The body is larger than `BODY_LIMIT_BYTES` (default 102,400 bytes, counted decoded). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A body that is not `application/json` in UTF-8, or in a content coding other than gzip, deflate or br (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description RATE_LIMITED */
            429: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    UserPasswords_listTokens: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    /** @description Items matching the filters, over all pages. */
                    "X-Total-Count": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ResetTokenResponseDto"][];
                };
            };
            /** @description Malformed id (VALIDATION_FAILED) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, malformed, unknown, expired or revoked bearer token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Needs the `user:read` scope. (INSUFFICIENT_SCOPE or FORBIDDEN) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    UserPasswords_revokeTokens: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every outstanding token of the user is dead. */
            204: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed id (VALIDATION_FAILED) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, malformed, unknown, expired or revoked bearer token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Needs the `user:resetPasswordToken` scope. (INSUFFICIENT_SCOPE or FORBIDDEN) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The body is larger than `BODY_LIMIT_BYTES` (default 102,400 bytes, counted decoded). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A body that is not `application/json` in UTF-8, or in a content coding other than gzip, deflate or br (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    UserPasswords_resetPassword: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ResetPasswordDto"];
            };
        };
        responses: {
            /** @description The password is changed. */
            204: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description RESET_TOKEN_INVALID for any token failure (judged first), then VALIDATION_FAILED or WEAK_PASSWORD (the token stays unused) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The body is larger than `BODY_LIMIT_BYTES` (default 102,400 bytes, counted decoded). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A body that is not `application/json` in UTF-8, or in a content coding other than gzip, deflate or br (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description RATE_LIMITED: the token failure budget is spent (a live token always proceeds) */
            429: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    UserPasswords_verifyResetToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ResetLinkTokenDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VerifiedResetTokenResponseDto"];
                };
            };
            /** @description RESET_TOKEN_INVALID for any token failure, a malformed id or body included */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The body is larger than `BODY_LIMIT_BYTES` (default 102,400 bytes, counted decoded). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A body that is not `application/json` in UTF-8, or in a content coding other than gzip, deflate or br (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description RATE_LIMITED: the token failure budget is spent (a live token always proceeds) */
            429: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    UserPasswords_cancelResetToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ResetLinkTokenDto"];
            };
        };
        responses: {
            /** @description Every outstanding reset token of the user is dead. */
            204: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description RESET_TOKEN_INVALID for any token failure, a malformed id or body included */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The body is larger than `BODY_LIMIT_BYTES` (default 102,400 bytes, counted decoded). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A body that is not `application/json` in UTF-8, or in a content coding other than gzip, deflate or br (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description RATE_LIMITED: the token failure budget is spent (a live token always proceeds) */
            429: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    UserPasswords_updatePassword: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdatePasswordDto"];
            };
        };
        responses: {
            /** @description The password is changed. */
            204: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description VALIDATION_FAILED, WRONG_PASSWORD or WEAK_PASSWORD */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, malformed, unknown, expired or revoked bearer token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Only a session of the user named in the path. (INSUFFICIENT_SCOPE or FORBIDDEN) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The body is larger than `BODY_LIMIT_BYTES` (default 102,400 bytes, counted decoded). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A body that is not `application/json` in UTF-8, or in a content coding other than gzip, deflate or br (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description RATE_LIMITED */
            429: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    ResetPasswordRequest_request: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ResetPasswordRequestDto"];
            };
        };
        responses: {
            /** @description Always, whether or not the user exists. */
            202: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The body is larger than `BODY_LIMIT_BYTES` (default 102,400 bytes, counted decoded). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A body that is not `application/json` in UTF-8, or in a content coding other than gzip, deflate or br (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description RATE_LIMITED */
            429: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    EmailTemplates_list: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The caller's own account id; any other is 404. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    /** @description Items matching the filters, over all pages. */
                    "X-Total-Count": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EmailTemplateResponseDto"][];
                };
            };
            /** @description Malformed account id or invalid body. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, malformed, unknown, expired or revoked bearer token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Needs the `account:read` scope. (INSUFFICIENT_SCOPE or FORBIDDEN) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Another account, or an unknown event. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    EmailTemplates_put: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The caller's own account id; any other is 404. */
                id: string;
                /** @description An unknown event is 404. */
                event: "user.reset-password-request" | "user.password-changed" | "user.email-changed";
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PutEmailTemplateDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EmailTemplateResponseDto"];
                };
            };
            /** @description Malformed account id or invalid body. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, malformed, unknown, expired or revoked bearer token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Needs an admin session (a login session of a current admin); any personal access token or `user` session is refused. (INSUFFICIENT_SCOPE or FORBIDDEN) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Another account, or an unknown event. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A concurrent write of the same template. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The body is larger than `BODY_LIMIT_BYTES` (default 102,400 bytes, counted decoded). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A body that is not `application/json` in UTF-8, or in a content coding other than gzip, deflate or br (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    EmailTemplates_remove: {
        parameters: {
            query?: {
                /** @description Omitted: the template without a locale. */
                locale?: string;
            };
            header?: never;
            path: {
                /** @description The caller's own account id; any other is 404. */
                id: string;
                /** @description An unknown event is 404. */
                event: "user.reset-password-request" | "user.password-changed" | "user.email-changed";
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed account id or invalid body. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, malformed, unknown, expired or revoked bearer token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Needs an admin session (a login session of a current admin); any personal access token or `user` session is refused. (INSUFFICIENT_SCOPE or FORBIDDEN) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Another account, or an unknown event. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The body is larger than `BODY_LIMIT_BYTES` (default 102,400 bytes, counted decoded). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A body that is not `application/json` in UTF-8, or in a content coding other than gzip, deflate or br (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    EmailTemplates_preview: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The caller's own account id; any other is 404. */
                id: string;
                /** @description An unknown event is 404. */
                event: "user.reset-password-request" | "user.password-changed" | "user.email-changed";
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["PreviewEmailTemplateDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EmailPreviewResponseDto"];
                };
            };
            /** @description Malformed account id or invalid body. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, malformed, unknown, expired or revoked bearer token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Needs the `account:read` scope. (INSUFFICIENT_SCOPE or FORBIDDEN) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Another account, or an unknown event. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The body is larger than `BODY_LIMIT_BYTES` (default 102,400 bytes, counted decoded). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A body that is not `application/json` in UTF-8, or in a content coding other than gzip, deflate or br (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    Webhooks_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    /** @description Items matching the filters, over all pages. */
                    "X-Total-Count": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookResponseDto"][];
                };
            };
            /** @description VALIDATION_FAILED: a token in the query string (`access_token`; tokens go in the Authorization header). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, malformed, unknown, expired or revoked bearer token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Needs the `account:read` scope. (INSUFFICIENT_SCOPE or FORBIDDEN) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    Webhooks_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateWebhookDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedWebhookDto"];
                };
            };
            /** @description Bad url, events or description (VALIDATION_FAILED) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, malformed, unknown, expired or revoked bearer token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Needs an admin session (a login session of a current admin); any personal access token or `user` session is refused. (INSUFFICIENT_SCOPE or FORBIDDEN) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The account has 10 endpoints already (CONFLICT) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The body is larger than `BODY_LIMIT_BYTES` (default 102,400 bytes, counted decoded). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A body that is not `application/json` in UTF-8, or in a content coding other than gzip, deflate or br (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    Webhooks_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookResponseDto"];
                };
            };
            /** @description Malformed id (VALIDATION_FAILED) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, malformed, unknown, expired or revoked bearer token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Needs the `account:read` scope. (INSUFFICIENT_SCOPE or FORBIDDEN) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    Webhooks_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted, with its pending attempts. */
            204: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed id (VALIDATION_FAILED) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, malformed, unknown, expired or revoked bearer token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Needs an admin session (a login session of a current admin); any personal access token or `user` session is refused. (INSUFFICIENT_SCOPE or FORBIDDEN) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The body is larger than `BODY_LIMIT_BYTES` (default 102,400 bytes, counted decoded). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A body that is not `application/json` in UTF-8, or in a content coding other than gzip, deflate or br (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    Webhooks_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateWebhookDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookResponseDto"];
                };
            };
            /** @description Malformed id or body (VALIDATION_FAILED) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, malformed, unknown, expired or revoked bearer token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Needs an admin session (a login session of a current admin); any personal access token or `user` session is refused. (INSUFFICIENT_SCOPE or FORBIDDEN) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The body is larger than `BODY_LIMIT_BYTES` (default 102,400 bytes, counted decoded). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A body that is not `application/json` in UTF-8, or in a content coding other than gzip, deflate or br (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    Webhooks_rotateSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["RotateWebhookSecretDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookSecretDto"];
                };
            };
            /** @description Malformed id or body (VALIDATION_FAILED) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, malformed, unknown, expired or revoked bearer token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Needs an admin session (a login session of a current admin); any personal access token or `user` session is refused. (INSUFFICIENT_SCOPE or FORBIDDEN) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The body is larger than `BODY_LIMIT_BYTES` (default 102,400 bytes, counted decoded). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A body that is not `application/json` in UTF-8, or in a content coding other than gzip, deflate or br (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    Webhooks_test: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Queued. */
            202: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description Malformed id (VALIDATION_FAILED) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, malformed, unknown, expired or revoked bearer token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Needs an admin session (a login session of a current admin); any personal access token or `user` session is refused. (INSUFFICIENT_SCOPE or FORBIDDEN) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The endpoint is disabled (CONFLICT) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description The body is larger than `BODY_LIMIT_BYTES` (default 102,400 bytes, counted decoded). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description A body that is not `application/json` in UTF-8, or in a content coding other than gzip, deflate or br (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description RATE_LIMITED, with Retry-After */
            429: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
    Webhooks_listDeliveries: {
        parameters: {
            query?: {
                /** @description Page number, from 1. */
                page?: number;
                /** @description Items per page, 1 to 100. */
                limit?: number;
                status?: "pending" | "succeeded" | "failed";
                /** @description The event type. */
                type?: "user.created" | "user.updated" | "user.deleted" | "user.passwordReset" | "user.passwordUpdated" | "user.resetPasswordToken.created" | "user.resetPasswordToken.revoked" | "user.resetPasswordRequested" | "user.resetPasswordCanceled" | "personalAccessToken.created" | "personalAccessToken.revoked" | "account.updated" | "emailTemplate.updated" | "webhook.created" | "webhook.updated" | "webhook.deleted" | "webhook.test";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    /** @description Items matching the filters, over all pages. */
                    "X-Total-Count": number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDeliveryResponseDto"][];
                };
            };
            /** @description Malformed id, or a query parameter out of range (VALIDATION_FAILED) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Missing, malformed, unknown, expired or revoked bearer token. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description Needs the `account:read` scope. (INSUFFICIENT_SCOPE or FORBIDDEN) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponseDto"];
                };
            };
        };
    };
}
