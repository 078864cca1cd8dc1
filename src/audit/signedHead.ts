import canonicalize from 'canonicalize';
import * as jose from 'jose';
import { type JSONWebKeySet } from 'jose';
import { type LoadedKey } from '../auth/keyFile';

/** What a tree head states: the tenant's log had `treeSize` leaves with this root at `timestamp`. */
export interface TreeHead {
  tenantId: string;
  treeSize: number;
  /** Lowercase hex of the root hash (MTH, RFC 9162 §2.1.1). */
  rootHash: string;
  /** When it was signed: ISO 8601 in UTC with milliseconds. */
  timestamp: string;
}

/** A tree head with its signature: a compact JWS whose payload is the head's canonical JSON (docs/audit.md). */
export interface SignedTreeHead extends TreeHead {
  signature: string;
}

/** The JWS `typ` of a signed tree head. */
export const TREE_HEAD_TYPE = 'audit-log-head+jws';

/** The bytes a head's signature covers: UTF-8 of the RFC 8785 JSON of its four members. */
export const treeHeadPayload = ({ tenantId, treeSize, rootHash, timestamp }: TreeHead): Uint8Array =>
  Buffer.from(canonicalize({ rootHash, tenantId, timestamp, treeSize }) ?? '', 'utf8');

/** Signs a head with the audit key. */
export const signTreeHead = async (key: LoadedKey, head: TreeHead): Promise<SignedTreeHead> => {
  const signature = await new jose.CompactSign(treeHeadPayload(head))
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: TREE_HEAD_TYPE })
    .sign(key.privateKey);
  return { ...head, signature };
};

/** Why a head does not verify; null when it does. */
export const treeHeadProblem = async (head: SignedTreeHead, keys: JSONWebKeySet): Promise<string | null> => {
  let payload: Uint8Array;
  try {
    ({ payload } = await jose.compactVerify(head.signature, jose.createLocalJWKSet(keys), { algorithms: ['EdDSA', 'ES256'] }));
  } catch (error) {
    return `its signature does not verify with the given key (${error instanceof Error ? error.message : String(error)})`;
  }
  const signed = Buffer.from(payload).toString('utf8');
  const stated = Buffer.from(treeHeadPayload(head)).toString('utf8');
  return signed === stated ? null : `its signature covers ${signed}, not the head's own members ${stated}`;
};
