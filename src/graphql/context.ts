import { type ClientCommandHandler } from '../application/clientCommandHandler';
import { type ClientTimeTravel } from '../application/clientTimeTravel';
import { type AuditLog } from '../audit/auditLog';
import { type Principal } from '../auth';
import { type Position } from '../eventstore';
import { type LiveFeed } from '../live';
import { type PositionSeal } from '../positions';
import { type ReadModel } from '../readmodel';

/** What resolvers use besides the request: command handling, the read model and its live feed, clients as they were, and the audit log. */
export interface Services {
  commands: ClientCommandHandler;
  readModel: ReadModel;
  /** The tenants' verifiable audit logs: heads, proofs, the integrity check. */
  auditLog: AuditLog;
  /** Clients as they were at a moment, folded from their events in the store. */
  timeTravel: ClientTimeTravel;
  /** What the read model commits, as it happens: the subscriptions' source. */
  live: LiveFeed;
  waitForProjections: (position: Position, timeoutMs: number) => Promise<boolean>;
  /** Seals the positions a tenant sees and opens those it sends back (`Consistency-Position`). */
  positions: PositionSeal;
}

/** Per-request context: the verified caller, the operation's ids, and the services. */
export interface GraphQLContext {
  principal: Principal;
  operationId: string;
  correlationId: string;
  services: Services;
  /** Set when an answer may not yet show every change the caller made or named. */
  stale: boolean;
  /**
   * Set by the operation plugin once Apollo runs the request (an object: Apollo runs a shallow copy
   * of the context, which shares it); false means Apollo refused the request before running it.
   */
  readonly pipeline: { ran: boolean };
  /**
   * The request's Idempotency-Key, when it is a mutation sent with one; `commands` counts the
   * mutations run so far (an object, shared by Apollo's copy of the context), so each derives its own ids.
   */
  readonly idempotency?: { request: { tenantId: string; principalId: string; key: string; fingerprint: string }; commands: number };
}
