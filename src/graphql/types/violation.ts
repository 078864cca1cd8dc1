import { Field, Int, ObjectType } from 'type-graphql';

/** One broken rule of an input, as BAD_USER_INPUT errors list them in `extensions.violations`. */
@ObjectType({ description: "One broken rule of an input: the same objects as a BAD_USER_INPUT error's extensions.violations." })
export class Violation {
  @Field({ description: 'The input field, e.g. `allowedRedirectUrls`.' })
  field!: string;

  @Field({ description: 'The rule broken, e.g. `redirectUrl`.' })
  rule!: string;

  @Field({ description: 'What is wrong, for people.' })
  message!: string;

  @Field(() => Int, { nullable: true, description: 'Which item of a list field; null for a field that is no list or for the list as a whole.' })
  index?: number | null;
}
