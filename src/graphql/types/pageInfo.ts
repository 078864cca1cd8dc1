import { Field, ObjectType } from 'type-graphql';

/** Relay page information. */
@ObjectType({ description: 'Where this page sits in the whole list (Relay cursor connections).' })
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field()
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first edge; null when the page is empty.' })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge; null when the page is empty.' })
  endCursor!: string | null;
}
