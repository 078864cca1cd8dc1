import { Field, ObjectType } from 'type-graphql';

/** One way a presented redirect URL differs from the nearest registered one. */
@ObjectType({ description: 'One way a presented redirect URL differs from the nearest registered one.' })
export class RedirectUrlDifference {
  @Field({
    description:
      'What differs, for programs: `scheme`, `schemeCase`, `userinfo`, `host`, `hostCase`, `loopbackName` (localhost, 127.0.0.1, [::1]), `port`, `path`, `trailingSlash`, `dotSegments`, `percentEncoding`, `query`, `fragment`, `notAUrl`, or `other`.',
  })
  kind!: string;

  @Field({ description: 'The difference in words, naming both values.' })
  message!: string;
}

/** The registered URL nearest to a presented one that matched none. */
@ObjectType({ description: 'The registered URL nearest to a presented one that matched none, and what sets them apart.' })
export class NearestRedirectUrl {
  @Field({ description: 'The registered URL.' })
  url!: string;

  @Field(() => [String], { description: 'Each difference in words (the `message` of `details`), in the order of the parts of the URL, left to right.' })
  differences!: string[];

  @Field(() => [RedirectUrlDifference], { description: 'The same differences with their kinds.' })
  details!: RedirectUrlDifference[];
}

/** Whether a redirect URL presented at sign-in is allowed for a client, and why (not). */
@ObjectType({
  description:
    'Whether a redirect URL presented in an authorization request matches the client\'s registration, as the identity server decides it (RFC 9700 §2.1: exact string comparison; RFC 8252 §7.3: any port for a loopback IP literal over http).',
})
export class RedirectUrlMatch {
  @Field()
  matched!: boolean;

  @Field(() => String, { nullable: true, description: 'The registered URL it matched; null when none did.' })
  matchedUrl!: string | null;

  @Field({ description: 'Why: `exactMatch`, `loopbackAnyPort` (RFC 8252 §7.3), or `noMatch`.' })
  rule!: string;

  @Field(() => NearestRedirectUrl, { nullable: true, description: 'When nothing matched: the nearest registered URL and each difference.' })
  nearest!: NearestRedirectUrl | null;
}
