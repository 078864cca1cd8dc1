import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../scalars';
import { Actor } from './actor';
import { PageInfo } from './pageInfo';

/** An authorization code client, as the read model holds it. */
@ObjectType({
  description:
    'An OAuth 2.0 / OIDC client that signs users in with the authorization code flow and PKCE (a SPA or a native app). No secret, no refresh token.',
})
export class AuthorizationCodeClient {
  @Field(() => ID, { description: 'The Client Id apps send (a GUID, lower case).' })
  id!: string;

  @Field()
  name!: string;

  @Field()
  enabled!: boolean;

  @Field(() => Int, { description: 'Lifetime of issued access tokens, in seconds (60..3600).' })
  tokenLifetime!: number;

  @Field(() => [String], { description: 'Where the identity server may send sign-in results; compared by exact string.' })
  allowedRedirectUrls!: string[];

  @Field(() => [String], { description: 'Where users may land after signing out.' })
  allowedLogoutRedirectUrls!: string[];

  @Field(() => [String], { description: 'Other origins the app may call the platform from, in serialized form.' })
  allowedCorsOrigins!: string[];

  @Field(() => String, { nullable: true })
  clientUri!: string | null;

  @Field(() => String, { nullable: true })
  logoUri!: string | null;

  @Field(() => [String])
  tags!: string[];

  @Field(() => Int, { description: 'Events applied so far; pass it as `expectedVersion` to guard against lost updates.' })
  version!: number;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar)
  updatedAt!: Date;

  @Field(() => Actor)
  createdBy!: Actor;
}

/** A client and its cursor. */
@ObjectType()
class AuthorizationCodeClientEdge {
  @Field()
  cursor!: string;

  @Field(() => AuthorizationCodeClient)
  node!: AuthorizationCodeClient;
}

/** A page of clients. */
@ObjectType({ description: 'A page of authorization code clients.' })
export class AuthorizationCodeClientConnection {
  @Field(() => [AuthorizationCodeClientEdge])
  edges!: AuthorizationCodeClientEdge[];

  @Field(() => [AuthorizationCodeClient])
  nodes!: AuthorizationCodeClient[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'Clients matching the filter, over all pages.' })
  totalCount!: number;
}

/** What every mutation answers. */
@ObjectType({ description: 'What a mutation answers.' })
export class ClientPayload {
  @Field(() => AuthorizationCodeClient, { nullable: true, description: 'The client after the change; null once deleted.' })
  client!: AuthorizationCodeClient | null;

  @Field({ description: 'False when the client already was as asked: nothing was recorded.' })
  changed!: boolean;

  @Field({ description: 'Identifies this operation in the audit trail and in logs.' })
  operationId!: string;

  @Field({
    description:
      'Opaque position of the change. Send it as the `Consistency-Position` header to read your own write from any instance.',
  })
  position!: string;
}
