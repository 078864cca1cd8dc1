import { Arg, Authorized, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { type GraphQLContext } from '../context';
import { AuditIntegrity, AuditLogHead, AuditProof } from '../types/auditLog';
import { READ } from './permissions';

/** The tenant's verifiable audit log: signed heads and proofs (docs/audit.md). */
@Resolver()
export class AuditLogResolver {
  @Authorized(READ)
  @Query(() => AuditLogHead, { description: "The tenant's audit log head, signed by the service's audit key." })
  async auditLogHead(@Ctx() { principal, services }: GraphQLContext): Promise<AuditLogHead> {
    const head = await services.auditLog.head(principal.tenantId);
    return { ...head, timestamp: new Date(head.timestamp) };
  }

  @Authorized(READ)
  @Query(() => AuditProof, {
    description: "The audit path (RFC 9162 §2.1.3) of an entry in the tree of `treeSize` leaves; another tenant's entry is NOT_FOUND, like a missing one.",
  })
  auditInclusionProof(
    @Arg('entryId', () => ID, { description: 'The entry (AuditEntry.id).' }) entryId: string,
    @Arg('treeSize', () => Int, { nullable: true, description: "Default: the log's current size." }) treeSize: number | null,
    @Ctx() { principal, services }: GraphQLContext,
  ): AuditProof {
    return services.auditLog.inclusionProof(principal.tenantId, entryId, treeSize);
  }

  @Authorized(READ)
  @Query(() => AuditProof, { description: 'The consistency proof (RFC 9162 §2.1.4) that the tree of `toSize` leaves extends the tree of `fromSize`.' })
  auditConsistencyProof(
    @Arg('fromSize', () => Int) fromSize: number,
    @Arg('toSize', () => Int, { nullable: true, description: "Default: the log's current size." }) toSize: number | null,
    @Ctx() { principal, services }: GraphQLContext,
  ): AuditProof {
    return services.auditLog.consistencyProof(principal.tenantId, fromSize, toSize);
  }

  @Authorized(READ)
  @Query(() => AuditIntegrity, {
    description: "Recomputes the tenant's audit log from the events and compares it with the read model and the last signed head.",
    complexity: 1000,
  })
  auditLogIntegrity(@Ctx() { principal, services }: GraphQLContext): Promise<AuditIntegrity> {
    return services.auditLog.integrity(principal.tenantId);
  }
}
