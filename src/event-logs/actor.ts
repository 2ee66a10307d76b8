/**
 * Who did something: a user's session, a personal access token, nobody signed in, or the service itself
 * (e.g. disabling a failing webhook). Stored in `event_logs.actor_type`, `reset_tokens.created_by_type`
 * and `webhooks.created_by_type`.
 */
export type ActorType = 'user' | 'personalAccessToken' | 'anonymous' | 'system';
