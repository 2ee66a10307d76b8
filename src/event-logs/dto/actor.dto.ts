import type { ActorType } from '../actor.js';

/** Who did something: a user (session), a personal access token, nobody signed in, or the service itself. */
export class ActorDto {
  type: ActorType;

  /** The user's or the token's id; null for `anonymous` and `system`. */
  id: string | null;
}
