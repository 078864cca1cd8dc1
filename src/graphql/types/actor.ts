import { Field, ID, ObjectType } from 'type-graphql';

/** Who did something. */
@ObjectType({ description: 'Who did something: the subject and name of their token.' })
export class Actor {
  @Field(() => ID, { description: "The token's subject (`sub`)." })
  id!: string;

  @Field(() => String, { nullable: true })
  name!: string | null;
}
