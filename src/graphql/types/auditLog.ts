import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../scalars';

/** A signed tree head of the tenant's audit log. */
@ObjectType({
  description:
    "A signed statement that the tenant's audit log had `treeSize` entries whose RFC 9162 Merkle tree has root `rootHash`. Keep it: every later head must extend it (auditConsistencyProof), and `audit verify --head` checks an export against it.",
})
export class AuditLogHead {
  @Field(() => ID)
  tenantId!: string;

  @Field(() => Int, { description: 'Entries in the log: leaves 0 to treeSize - 1.' })
  treeSize!: number;

  @Field({ description: 'Root hash of the tree (MTH), lowercase hex; of an empty log, SHA-256 of nothing.' })
  rootHash!: string;

  @Field(() => DateTimeScalar, { description: 'When this head was signed (the first time the log had this size).' })
  timestamp!: Date;

  @Field({
    description:
      "Compact JWS (EdDSA, Ed25519) whose payload is the RFC 8785 JSON of {rootHash, tenantId, timestamp, treeSize}; verify with the key at /.well-known/audit-log-jwks.json (or `npm run cli -- audit key`).",
  })
  signature!: string;
}

/** An RFC 9162 audit path or consistency proof. */
@ObjectType({ description: 'An RFC 9162 proof: an audit path (leafIndex set) or a consistency proof (fromSize set), hashes in RFC order.' })
export class AuditProof {
  @Field(() => Int, { nullable: true, description: "The entry's leaf index, for an audit path." })
  leafIndex!: number | null;

  @Field(() => Int, { nullable: true, description: 'The earlier tree size, for a consistency proof.' })
  fromSize!: number | null;

  @Field(() => Int, { description: 'The size of the tree the proof is against.' })
  treeSize!: number;

  @Field({ description: 'Root hash of that tree, lowercase hex.' })
  rootHash!: string;

  @Field(() => [String], { description: 'The proof: audit path nearest the leaf first (RFC 9162 §2.1.3), or consistency proof (§2.1.4); lowercase hex.' })
  hashes!: string[];
}

/** The outcome of the audit log's integrity check. */
@ObjectType({
  description:
    "The tenant's audit log recomputed from the events and compared with the read model and the last head this service signed. It reads every event: run it on demand.",
})
export class AuditIntegrity {
  @Field({ description: 'True when the read model, the events and the last signed head agree.' })
  ok!: boolean;

  @Field(() => ID)
  tenantId!: string;

  @Field(() => DateTimeScalar)
  checkedAt!: Date;

  @Field(() => Int, { description: 'Entries of the log recomputed from the events.' })
  eventsTreeSize!: number;

  @Field(() => Int, { description: 'Entries the read model holds (it may trail the events by a moment).' })
  readModelTreeSize!: number;

  @Field(() => Int, { nullable: true, description: 'Size of the last head this service signed; null when none was.' })
  headTreeSize!: number | null;

  @Field({ description: 'Root hash of the tree recomputed from the events, lowercase hex.' })
  rootHash!: string;

  @Field(() => [String], { description: 'What does not match, first problem first; empty when ok.' })
  problems!: string[];
}
