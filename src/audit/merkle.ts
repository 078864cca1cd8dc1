import { createHash } from 'node:crypto';

/*
 * The Merkle tree of RFC 9162 §2.1, over the hashes of a log's entries: the tree head, the
 * inclusion proofs (audit paths) and the consistency proofs, and the verification of both by the
 * RFC's own algorithms (§2.1.3.2 and §2.1.4.2), which use nothing but the proof. Proofs are built
 * from the hashes of *perfect* subtrees (2^level consecutive leaves starting at a multiple of
 * 2^level): once full, such a subtree never changes, so a store can keep each one as it completes
 * and every other node is a short fold over them. Nothing here knows of audit entries or storage.
 */

/** A SHA-256 hash, 32 bytes. */
export type Hash = Uint8Array;

const sha256 = (...parts: Uint8Array[]): Hash => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);

/** The hash of a tree with no leaves: SHA-256 of nothing. */
export const EMPTY_TREE_HASH: Hash = sha256();

/** A leaf's hash: SHA-256(0x00 || entry). */
export const leafHash = (entry: Uint8Array): Hash => sha256(LEAF_PREFIX, entry);

/** An interior node's hash: SHA-256(0x01 || left || right). */
export const nodeHash = (left: Hash, right: Hash): Hash => sha256(NODE_PREFIX, left, right);

/** Where the perfect subtrees' hashes come from: level 0 is the leaves; (level, index) covers leaves [index·2^level, (index+1)·2^level). */
export interface PerfectSubtrees {
  hashAt(level: number, index: number): Hash;
}

/** A perfect subtree that one appended leaf completes. */
export interface CompletedSubtree {
  level: number;
  index: number;
  hash: Hash;
}

/** The perfect subtrees completed by appending the leaf at `leafIndex` (itself first, at level 0), given those before it. */
export const completedSubtrees = (subtrees: PerfectSubtrees, leafIndex: number, hash: Hash): CompletedSubtree[] => {
  const completed: CompletedSubtree[] = [{ level: 0, index: leafIndex, hash }];
  let index = leafIndex;
  let right = hash;
  for (let level = 1; index % 2 === 1; level += 1) {
    right = nodeHash(subtrees.hashAt(level - 1, index - 1), right);
    index = (index - 1) / 2;
    completed.push({ level, index, hash: right });
  }
  return completed;
};

/** The largest power of two smaller than `n` (n ≥ 2): where RFC 9162 splits a tree of n leaves. */
const splitPoint = (n: number): number => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};

/** Without bit operators, which would cut sizes to 32 bits: a log may pass 2^31 leaves. */
const isPowerOfTwo = (n: number): boolean => n >= 1 && 2 ** Math.round(Math.log2(n)) === n;

/** MTH of the `size` leaves from `start`; `start` is a multiple of every power of two the split reaches, as in any subtree of the RFC's tree. */
const subtreeHash = (subtrees: PerfectSubtrees, start: number, size: number): Hash => {
  if (isPowerOfTwo(size)) return subtrees.hashAt(Math.log2(size), start / size);
  const k = splitPoint(size);
  return nodeHash(subtrees.hashAt(Math.log2(k), start / k), subtreeHash(subtrees, start + k, size - k));
};

/** The root hash of the first `size` leaves (MTH, RFC 9162 §2.1.1). */
export const treeHash = (subtrees: PerfectSubtrees, size: number): Hash =>
  size === 0 ? EMPTY_TREE_HASH : subtreeHash(subtrees, 0, size);

/** The audit path of leaf `index` in the tree of the first `size` leaves (PATH, RFC 9162 §2.1.3.1), nearest the leaf first. */
export const inclusionProof = (subtrees: PerfectSubtrees, index: number, size: number): Hash[] => {
  const path: Hash[] = [];
  let start = 0;
  let n = size;
  let m = index;
  while (n > 1) {
    const k = splitPoint(n);
    if (m < k) {
      path.push(subtreeHash(subtrees, start + k, n - k));
      n = k;
    } else {
      path.push(subtreeHash(subtrees, start, k));
      start += k;
      m -= k;
      n -= k;
    }
  }
  return path.reverse();
};

/** The consistency proof from the first `fromSize` leaves to the first `toSize` (PROOF, RFC 9162 §2.1.4.1); empty when the sizes are equal or `fromSize` is 0. */
export const consistencyProof = (subtrees: PerfectSubtrees, fromSize: number, toSize: number): Hash[] => {
  if (fromSize === 0 || fromSize === toSize) return [];
  const proof: Hash[] = [];
  let start = 0;
  let n = toSize;
  let m = fromSize;
  let whole = true;
  while (m !== n) {
    const k = splitPoint(n);
    if (m <= k) {
      proof.push(subtreeHash(subtrees, start + k, n - k));
      n = k;
    } else {
      proof.push(subtreeHash(subtrees, start, k));
      start += k;
      m -= k;
      n -= k;
      whole = false;
    }
  }
  if (!whole) proof.push(subtreeHash(subtrees, start, m));
  return proof.reverse();
};

const sameHash = (a: Hash, b: Hash): boolean => a.length === b.length && a.every((byte, i) => byte === b[i]);

/** The verifiers' two counters: the node's index and the last index, at the current level. */
type Counters = { fn: number; sn: number };

/** Both counters shifted right once (by division, not `>>`, so sizes past 32 bits stay whole). */
const shiftOnce = (at: Counters): void => {
  at.fn = Math.floor(at.fn / 2);
  at.sn = Math.floor(at.sn / 2);
};

/** Both counters shifted right until `fn`'s lowest bit is set or `fn` is 0 (the RFC's "right-shift both equally"). */
const shiftToSetBit = (at: Counters): void => {
  while (at.fn % 2 === 0 && at.fn !== 0) shiftOnce(at);
};

/** Whether `path` proves that `hash` is leaf `index` of the tree of `size` leaves whose root is `root` (RFC 9162 §2.1.3.2). */
export const verifyInclusion = (index: number, size: number, hash: Hash, path: readonly Hash[], root: Hash): boolean => {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  const at = { fn: index, sn: size - 1 };
  let r = hash;
  for (const p of path) {
    if (at.sn === 0) return false;
    if (at.fn % 2 === 1 || at.fn === at.sn) {
      r = nodeHash(p, r);
      shiftToSetBit(at);
    } else {
      r = nodeHash(r, p);
    }
    shiftOnce(at);
  }
  return at.sn === 0 && sameHash(r, root);
};

/**
 * Whether `proof` shows that the tree of `toSize` leaves with root `toRoot` extends the tree of
 * `fromSize` leaves with root `fromRoot` (RFC 9162 §2.1.4.2). Equal sizes need an empty proof and
 * equal roots; an empty tree is extended by every tree, with an empty proof.
 */
export const verifyConsistency = (fromSize: number, toSize: number, fromRoot: Hash, toRoot: Hash, proof: readonly Hash[]): boolean => {
  if (!Number.isSafeInteger(fromSize) || !Number.isSafeInteger(toSize) || fromSize < 0 || fromSize > toSize) return false;
  if (fromSize === 0) return proof.length === 0 && sameHash(fromRoot, EMPTY_TREE_HASH);
  if (fromSize === toSize) return proof.length === 0 && sameHash(fromRoot, toRoot);
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(fromSize) ? [fromRoot, ...proof] : [...proof];
  const at = { fn: fromSize - 1, sn: toSize - 1 };
  while (at.fn % 2 === 1) shiftOnce(at);
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (at.sn === 0) return false;
    if (at.fn % 2 === 1 || at.fn === at.sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      shiftToSetBit(at);
    } else {
      sr = nodeHash(sr, c);
    }
    shiftOnce(at);
  }
  return at.sn === 0 && sameHash(fr, fromRoot) && sameHash(sr, toRoot);
};

/** A tree kept in memory, leaf by leaf: for tests, for building a head from an export, and for verifying one offline. */
export class MemoryMerkleTree implements PerfectSubtrees {
  private readonly levels: Hash[][] = [[]];

  get size(): number {
    return this.levels[0].length;
  }

  /** Appends one leaf hash; answers its index. */
  append(hash: Hash): number {
    const index = this.size;
    for (const node of completedSubtrees(this, index, hash)) {
      (this.levels[node.level] ??= [])[node.index] = node.hash;
    }
    return index;
  }

  hashAt(level: number, index: number): Hash {
    const hash = this.levels[level]?.[index];
    if (!hash) throw new RangeError(`No complete subtree at level ${level}, index ${index} in a tree of ${this.size} leaves`);
    return hash;
  }

  root(size = this.size): Hash {
    return treeHash(this, size);
  }
}

/**
 * The root of a log read leaf by leaf, in memory logarithmic in its size: it keeps only the
 * perfect subtrees of the right edge (the binary digits of the size), which is all MTH needs.
 */
export class MerkleFrontier {
  private readonly edge: { level: number; hash: Hash }[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Appends one leaf hash. */
  append(hash: Hash): void {
    let node = { level: 0, hash };
    for (let top = this.edge.at(-1); top && top.level === node.level; top = this.edge.at(-1)) {
      this.edge.pop();
      node = { level: node.level + 1, hash: nodeHash(top.hash, node.hash) };
    }
    this.edge.push(node);
    this.count += 1;
  }

  /** MTH of the leaves appended so far. */
  root(): Hash {
    if (this.edge.length === 0) return EMPTY_TREE_HASH;
    let hash = this.edge[this.edge.length - 1].hash;
    for (let i = this.edge.length - 2; i >= 0; i -= 1) hash = nodeHash(this.edge[i].hash, hash);
    return hash;
  }
}
