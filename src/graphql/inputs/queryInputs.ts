import { Field, ID, InputType, registerEnumType } from 'type-graphql';
import { LIMITS } from '../../domain/client';
import { DateTimeScalar } from '../scalars';
import { MaxEntries, MaxSearchLength } from './bounds';

/** Fields the client list can be ordered by. */
export enum ClientOrderField {
  NAME = 'NAME',
  CREATED_AT = 'CREATED_AT',
  UPDATED_AT = 'UPDATED_AT',
}

/** Sort direction. */
export enum OrderDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}

/** Most ids one list filter may name. */
const MAX_IDS = 100;
/** Most actions one audit filter may name. */
const MAX_ACTIONS = 50;

registerEnumType(ClientOrderField, { name: 'ClientOrderField' });
registerEnumType(OrderDirection, { name: 'OrderDirection' });

/** Which clients to list. */
@InputType({ description: 'Which clients to list; every given condition must hold.' })
export class ClientFilter {
  @Field(() => String, { nullable: true, description: 'Case-insensitive part of the name or the id.' })
  @MaxSearchLength(LIMITS.nameLength)
  search?: string | null;

  @Field(() => Boolean, { nullable: true })
  enabled?: boolean | null;

  @Field(() => [String], { nullable: true, description: 'Clients carrying all of these tags.' })
  @MaxEntries(LIMITS.tags)
  tags?: string[] | null;

  @Field(() => [ID], { nullable: true })
  @MaxEntries(MAX_IDS)
  ids?: string[] | null;
}

/** The order of the client list. */
@InputType({ description: 'The order of the client list; ties are broken by id.' })
export class ClientOrder {
  @Field(() => ClientOrderField)
  field!: ClientOrderField;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC })
  direction!: OrderDirection;
}

/** Which audit entries to list. */
@InputType({ description: 'Which audit entries to list; every given condition must hold.' })
export class AuditFilter {
  @Field(() => ID, { nullable: true })
  clientId?: string | null;

  @Field(() => ID, { nullable: true, description: "The actor's subject (`sub`)." })
  actorId?: string | null;

  @Field(() => [String], { nullable: true, description: 'Any of these actions, e.g. `client.created`.' })
  @MaxEntries(MAX_ACTIONS)
  actions?: string[] | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Entries that occurred at or after this time.' })
  from?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Entries that occurred before this time.' })
  to?: Date | null;
}
