import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar, JSONScalar } from '../scalars';
import { Actor } from './actor';
import { PageInfo } from './pageInfo';

/** A field an event changed. */
@ObjectType({ description: 'One field an event changed, with its values before and after (JSON; null when absent).' })
class FieldChange {
  @Field()
  field!: string;

  @Field(() => JSONScalar, { nullable: true })
  before!: unknown;

  @Field(() => JSONScalar, { nullable: true })
  after!: unknown;
}

/** One audit entry. */
@ObjectType({ description: 'Who changed what, when and why: one recorded event.' })
export class AuditEntry {
  @Field(() => ID, { description: 'The id of the recorded event.' })
  id!: string;

  @Field({ description: 'Opaque position of the event, for your tenant only: send it as `Consistency-Position` to read up to it from any instance.' })
  position!: string;

  @Field(() => Int, { description: "The entry's place in the tenant's audit log (RFC 9162 leaf index), from 0 in the order the events were recorded." })
  leafIndex!: number;

  @Field({ description: "SHA-256(0x00 || the entry's canonical bytes), lowercase hex: the leaf the log's tree hashes (docs/audit.md)." })
  leafHash!: string;

  @Field(() => DateTimeScalar)
  occurredAt!: Date;

  @Field({ description: 'What happened, e.g. `client.created`, `client.redirect_url.added`.' })
  action!: string;

  @Field(() => ID)
  clientId!: string;

  @Field({ description: 'The name of the client right after this change.' })
  clientName!: string;

  @Field(() => Int, { description: "The client's version right after this change: pass it to authorizationCodeClient(id, version) to see the client as it was then." })
  version!: number;

  @Field(() => Actor)
  actor!: Actor;

  @Field(() => String, { nullable: true, description: 'Why, as the actor said.' })
  reason!: string | null;

  @Field({ description: 'The API operation that made the change; every error and payload carries one too.' })
  operationId!: string;

  @Field({ description: 'Ties together everything done for one user action.' })
  correlationId!: string;

  @Field(() => [FieldChange])
  changes!: FieldChange[];
}

/** An audit entry and its cursor. */
@ObjectType()
class AuditEntryEdge {
  @Field()
  cursor!: string;

  @Field(() => AuditEntry)
  node!: AuditEntry;
}

/** A page of the audit trail, newest first. */
@ObjectType({ description: 'A page of audit entries, newest first.' })
export class AuditEntryConnection {
  @Field(() => [AuditEntryEdge])
  edges!: AuditEntryEdge[];

  @Field(() => [AuditEntry])
  nodes!: AuditEntry[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'Entries matching the filter, over all pages.' })
  totalCount!: number;
}
