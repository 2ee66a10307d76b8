import { actorOf, type Principal } from '../auth/principal.js';
import type { RequestContext } from '../common/request-context.js';
import type { NewEvent } from './event-logs.service.js';

/** The fields of an event that a principal's request caused: its account, the principal as the actor, the request. */
export const byPrincipal = (principal: Principal, ctx: RequestContext) =>
  ({ accountId: principal.accountId, actor: actorOf(principal), ctx }) satisfies Partial<NewEvent>;
