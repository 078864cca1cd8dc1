import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { positionFromToken } from '../../eventstore';
import { InternalError } from '../../errors';
import { type AuditEntryView } from '../../readmodel';
import { type GraphQLContext } from '../context';
import { AuditEntry } from '../types/audit';

/** An audit entry's position, sealed for the caller's tenant like every position a tenant sees. */
@Resolver(() => AuditEntry)
export class AuditEntryResolver {
  @FieldResolver(() => String)
  position(@Root() entry: AuditEntryView, @Ctx() context: GraphQLContext): string {
    const position = positionFromToken(entry.position);
    if (position === null) throw new InternalError(`The audit entry ${entry.id} has no readable position`);
    return context.services.positions.seal(context.principal.tenantId, position);
  }
}
