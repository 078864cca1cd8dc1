import { Field, ID, ObjectType } from 'type-graphql';

/** The caller, as their token says. */
@ObjectType({ description: 'The caller, as their bearer token says.' })
export class Principal {
  @Field(() => ID, { description: "The token's subject (`sub`)." })
  id!: string;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => ID, { description: 'The tenant whose clients the caller sees (`tid`).' })
  tenantId!: string;

  @Field(() => [String])
  roles!: string[];

  @Field({ description: 'True for a Tenant Administrator: may run mutations.' })
  canManageClients!: boolean;
}
