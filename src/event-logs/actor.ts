/** Who did something: a user's session, a personal access token, or nobody signed in. Stored in `event_logs.actor_type` and `reset_tokens.created_by_type`. */
export type ActorType = 'user' | 'personalAccessToken' | 'anonymous';
