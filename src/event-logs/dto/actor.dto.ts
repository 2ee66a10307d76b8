import type { ActorType } from '../actor.js';

/** Who did something: a user (session), a personal access token, or nobody signed in. */
export class ActorDto {
  type: ActorType;

  /** The user's or the token's id; null for `anonymous`. */
  id: string | null;
}
