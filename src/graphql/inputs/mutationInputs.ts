import { Field, ID, InputType, Int } from 'type-graphql';

const REASON = 'Why; kept in the audit trail.';
const EXPECTED_VERSION = 'The client version you last saw; if it changed since, the mutation fails with CONFLICT.';

/** Fields every mutation on an existing client has. */
@InputType()
abstract class ClientChangeInput {
  @Field(() => ID)
  clientId!: string;

  @Field(() => Int, { nullable: true, description: EXPECTED_VERSION })
  expectedVersion?: number | null;

  @Field(() => String, { nullable: true, description: REASON })
  reason?: string | null;
}

/** Register a client. */
@InputType({ description: 'A new authorization code client.' })
export class AddAuthorizationCodeClientInput {
  @Field(() => ID, { nullable: true, description: 'A UUID; generated when not given. Ids are never reused.' })
  id?: string | null;

  @Field({ description: 'Identifies the application that will use the client (1..200 characters).' })
  name!: string;

  @Field(() => [String], { description: '1..10 URLs the identity server may send sign-in results to.' })
  allowedRedirectUrls!: string[];

  @Field(() => [String], { nullable: true, description: '0..10 URLs users may land on after signing out.' })
  allowedLogoutRedirectUrls?: string[] | null;

  @Field(() => [String], { nullable: true, description: '0..10 origins the app may call the platform from.' })
  allowedCorsOrigins?: string[] | null;

  @Field(() => Int, { nullable: true, description: 'Access token lifetime in seconds, 60..3600; default 3600.' })
  tokenLifetime?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Default true.' })
  enabled?: boolean | null;

  @Field(() => String, { nullable: true })
  clientUri?: string | null;

  @Field(() => String, { nullable: true })
  logoUri?: string | null;

  @Field(() => [String], { nullable: true })
  tags?: string[] | null;

  @Field(() => String, { nullable: true, description: REASON })
  reason?: string | null;
}

/** Change any subset of a client's settings. */
@InputType({ description: 'Any subset of settings; fields left out stay as they are. Lists replace the current ones.' })
export class UpdateAuthorizationCodeClientInput extends ClientChangeInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => [String], { nullable: true })
  allowedRedirectUrls?: string[] | null;

  @Field(() => [String], { nullable: true })
  allowedLogoutRedirectUrls?: string[] | null;

  @Field(() => [String], { nullable: true })
  allowedCorsOrigins?: string[] | null;

  @Field(() => Int, { nullable: true })
  tokenLifetime?: number | null;

  @Field(() => Boolean, { nullable: true })
  enabled?: boolean | null;

  @Field(() => String, { nullable: true, description: 'null removes it.' })
  clientUri?: string | null;

  @Field(() => String, { nullable: true, description: 'null removes it.' })
  logoUri?: string | null;

  @Field(() => [String], { nullable: true })
  tags?: string[] | null;
}

/** Rename a client. */
@InputType()
export class RenameAuthorizationCodeClientInput extends ClientChangeInput {
  @Field()
  name!: string;
}

/** Set the token lifetime. */
@InputType()
export class SetTokenLifetimeInput extends ClientChangeInput {
  @Field(() => Int, { description: '60..3600.' })
  seconds!: number;
}

/** A redirect URL to allow. */
@InputType()
export class AddRedirectUrlInput extends ClientChangeInput {
  @Field()
  url!: string;
}

/** A redirect URL to stop allowing. */
@InputType()
export class RemoveRedirectUrlInput extends ClientChangeInput {
  @Field()
  url!: string;
}

/** A logout redirect URL to allow. */
@InputType()
export class AddLogoutRedirectUrlInput extends ClientChangeInput {
  @Field()
  url!: string;
}

/** A logout redirect URL to stop allowing. */
@InputType()
export class RemoveLogoutRedirectUrlInput extends ClientChangeInput {
  @Field()
  url!: string;
}

/** A CORS origin to allow. */
@InputType()
export class AddCorsOriginInput extends ClientChangeInput {
  @Field()
  origin!: string;
}

/** A CORS origin to stop allowing. */
@InputType()
export class RemoveCorsOriginInput extends ClientChangeInput {
  @Field()
  origin!: string;
}

/** Enable a client. */
@InputType()
export class EnableAuthorizationCodeClientInput extends ClientChangeInput {}

/** Disable a client. */
@InputType()
export class DisableAuthorizationCodeClientInput extends ClientChangeInput {}

/** Give a client back the settings of an earlier version. */
@InputType({ description: 'Every setting back to its value at `toVersion`, recorded as the ordinary events of each change.' })
export class RevertAuthorizationCodeClientInput extends ClientChangeInput {
  @Field(() => Int, { description: 'The version whose settings to bring back: 1 (as created) up to the current version.' })
  toVersion!: number;
}

/** Delete a client for good. */
@InputType()
export class DeleteAuthorizationCodeClientInput extends ClientChangeInput {}
