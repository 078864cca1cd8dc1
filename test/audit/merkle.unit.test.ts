import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import {
  EMPTY_TREE_HASH,
  type Hash,
  MemoryMerkleTree,
  MerkleFrontier,
  type PerfectSubtrees,
  completedSubtrees,
  consistencyProof,
  inclusionProof,
  treeHash,
  leafHash,
  nodeHash,
  verifyConsistency,
  verifyInclusion,
} from '../../src/audit/merkle';

/*
 * The module against RFC 9162 §2.1 as written: a reference below spells out MTH, PATH and
 * SUBPROOF recursively over the entries, exactly as the RFC defines them, and the module (which
 * builds proofs from stored perfect subtrees) must give the same bytes and accept its own proofs.
 */
const sha = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  parts.forEach((p) => h.update(p));
  return h.digest();
};
const k = (n: number) => 2 ** Math.ceil(Math.log2(n) - 1);
const mth = (d: Uint8Array[]): Buffer =>
  d.length === 0 ? sha() : d.length === 1 ? sha(Buffer.of(0), d[0]) : sha(Buffer.of(1), mth(d.slice(0, k(d.length))), mth(d.slice(k(d.length))));
const path = (m: number, d: Uint8Array[]): Buffer[] => {
  if (d.length <= 1) return [];
  const s = k(d.length);
  return m < s ? [...path(m, d.slice(0, s)), mth(d.slice(s))] : [...path(m - s, d.slice(s)), mth(d.slice(0, s))];
};
const subproof = (m: number, d: Uint8Array[], b: boolean): Buffer[] => {
  if (m === d.length) return b ? [] : [mth(d)];
  const s = k(d.length);
  return m <= s ? [...subproof(m, d.slice(0, s), b), mth(d.slice(s))] : [...subproof(m - s, d.slice(s), false), mth(d.slice(0, s))];
};

const hex = (hashes: readonly Hash[]) => hashes.map((h) => Buffer.from(h).toString('hex'));
const entries = (n: number) => Array.from({ length: n }, (_, i) => Buffer.from(`entry ${i} ${randomBytes(4).toString('hex')}`));
const treeOf = (d: Uint8Array[]) => {
  const tree = new MemoryMerkleTree();
  d.forEach((entry) => tree.append(leafHash(entry)));
  return tree;
};
const flipped = (hash: Hash, byte: number): Hash => {
  const copy = Uint8Array.from(hash);
  copy[byte % copy.length] ^= 0x01;
  return copy;
};

describe('RFC 9162 Merkle tree', () => {
  it('hashes the empty tree, a leaf and a node with the RFC prefixes', () => {
    expect(Buffer.from(EMPTY_TREE_HASH).toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(Buffer.from(leafHash(new Uint8Array())).toString('hex')).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    const [a, b] = [leafHash(Buffer.from('a')), leafHash(Buffer.from('b'))];
    expect(hex([nodeHash(a, b)])).toEqual(hex([sha(Buffer.of(1), a, b)]));
    expect(hex([new MemoryMerkleTree().root()])).toEqual(hex([EMPTY_TREE_HASH]));
  });

  it('gives the root of every prefix as MTH defines it, for trees of 0 to 70 leaves', () => {
    const d = entries(70);
    const tree = treeOf(d);
    for (let n = 0; n <= 70; n += 1) expect(hex([tree.root(n)])).toEqual(hex([mth(d.slice(0, n))]));
  });

  it('builds every audit path as PATH defines it, and each one verifies', () => {
    const d = entries(41);
    const tree = treeOf(d);
    for (let n = 1; n <= 41; n += 1) {
      const root = tree.root(n);
      for (let m = 0; m < n; m += 1) {
        const proof = inclusionProof(tree, m, n);
        expect(hex(proof)).toEqual(hex(path(m, d.slice(0, n))));
        expect(verifyInclusion(m, n, leafHash(d[m]), proof, root)).toBe(true);
      }
    }
  });

  it('builds every consistency proof as PROOF defines it, and each one verifies', () => {
    const d = entries(37);
    const tree = treeOf(d);
    for (let n = 1; n <= 37; n += 1) {
      for (let m = 1; m <= n; m += 1) {
        const proof = consistencyProof(tree, m, n);
        expect(hex(proof)).toEqual(hex(m === n ? [] : subproof(m, d.slice(0, n), true)));
        expect(verifyConsistency(m, n, tree.root(m), tree.root(n), proof)).toBe(true);
      }
    }
  });

  it('refuses an audit path with any byte changed, an element missing or added, or the wrong index, shape of size, leaf or root', () => {
    const d = entries(23);
    const tree = treeOf(d);
    const root = tree.root();
    for (const m of [0, 5, 15, 16, 22]) {
      const proof = inclusionProof(tree, m, 23);
      const leaf = leafHash(d[m]);
      proof.forEach((_, i) => {
        const bad = proof.map((h, j) => (j === i ? flipped(h, i * 7) : h));
        expect(verifyInclusion(m, 23, leaf, bad, root)).toBe(false);
      });
      expect(verifyInclusion(m, 23, leaf, proof.slice(1), root)).toBe(false);
      expect(verifyInclusion(m, 23, leaf, [...proof, root], root)).toBe(false);
      expect(verifyInclusion((m + 1) % 23, 23, leaf, proof, root)).toBe(false);
      // A size only shapes the fold (the signed head binds size and root), so a size of another shape must fail.
      expect(verifyInclusion(m, 46, leaf, proof, root)).toBe(false);
      expect(verifyInclusion(m, 23, flipped(leaf, m), proof, root)).toBe(false);
      expect(verifyInclusion(m, 23, leaf, proof, flipped(root, 3))).toBe(false);
    }
    expect(verifyInclusion(23, 23, leafHash(d[0]), [], root)).toBe(false);
    expect(verifyInclusion(-1, 23, leafHash(d[0]), [], root)).toBe(false);
  });

  it('refuses a consistency proof with any byte changed, an element missing, or roots and sizes that do not match', () => {
    const d = entries(29);
    const tree = treeOf(d);
    for (const m of [1, 4, 7, 16, 28]) {
      const proof = consistencyProof(tree, m, 29);
      const [from, to] = [tree.root(m), tree.root(29)];
      proof.forEach((_, i) => {
        const bad = proof.map((h, j) => (j === i ? flipped(h, i + 1) : h));
        expect(verifyConsistency(m, 29, from, to, bad)).toBe(false);
      });
      expect(verifyConsistency(m, 29, from, to, proof.slice(0, -1))).toBe(false);
      expect(verifyConsistency(m, 29, flipped(from, 0), to, proof)).toBe(false);
      expect(verifyConsistency(m, 29, from, flipped(to, 0), proof)).toBe(false);
      expect(verifyConsistency(m + 1, 29, from, to, proof)).toBe(false);
      expect(verifyConsistency(m, 58, from, to, proof)).toBe(false);
    }
    expect(verifyConsistency(5, 5, tree.root(5), tree.root(5), [])).toBe(true);
    expect(verifyConsistency(5, 5, tree.root(5), tree.root(6), [])).toBe(false);
    expect(verifyConsistency(0, 9, EMPTY_TREE_HASH, tree.root(9), [])).toBe(true);
    expect(verifyConsistency(9, 5, tree.root(9), tree.root(5), [])).toBe(false);
  });

  it('proves inclusion and consistency in large random trees, and a different leaf never verifies', () => {
    const d = entries(3000);
    const tree = treeOf(d);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 1, max: 3000 }), fc.nat(), (a, b, pick) => {
        const [m, n] = a <= b ? [a, b] : [b, a];
        const index = pick % n;
        const proof = inclusionProof(tree, index, n);
        expect(proof.length).toBeLessThanOrEqual(Math.ceil(Math.log2(n)));
        expect(verifyInclusion(index, n, leafHash(d[index]), proof, tree.root(n))).toBe(true);
        expect(verifyInclusion(index, n, leafHash(d[(index + 1) % 3000]), proof, tree.root(n))).toBe(false);
        expect(verifyConsistency(m, n, tree.root(m), tree.root(n), consistencyProof(tree, m, n))).toBe(true);
        // The head of a shorter tree, passed off as the head of this one, does not verify.
        if (m > 1) expect(verifyConsistency(m, n, tree.root(m - 1), tree.root(n), consistencyProof(tree, m, n))).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps sizes past 32 bits whole: proofs in a tree of 2^32 + 3 leaves verify', () => {
    const size = 2 ** 32 + 3;
    // Stands for a stored tree without holding it: every leaf has the same hash, so a perfect
    // subtree's hash depends only on its level; a place outside the tree throws.
    const byLevel = [leafHash(Buffer.from('leaf'))];
    for (let level = 1; level <= 33; level += 1) byLevel.push(nodeHash(byLevel[level - 1], byLevel[level - 1]));
    const synthetic: PerfectSubtrees = {
      hashAt(level, index) {
        if (!Number.isInteger(level) || !Number.isInteger(index) || (index + 1) * 2 ** level > size) {
          throw new RangeError(`no subtree at level ${level}, index ${index}`);
        }
        return byLevel[level];
      },
    };
    const root = treeHash(synthetic, size);
    for (const index of [0, 2 ** 31, 2 ** 32 - 1, 2 ** 32 + 2]) {
      const proof = inclusionProof(synthetic, index, size);
      expect(verifyInclusion(index, size, synthetic.hashAt(0, index), proof, root)).toBe(true);
    }
    const from = 2 ** 32 + 1;
    expect(verifyConsistency(from, size, treeHash(synthetic, from), root, consistencyProof(synthetic, from, size))).toBe(true);
  });

  it('lists the perfect subtrees one appended leaf completes, as a store would keep them', () => {
    const tree = treeOf(entries(7));
    const completed = completedSubtrees(tree, 7, leafHash(Buffer.from('eighth')));
    expect(completed.map(({ level, index }) => [level, index])).toEqual([[0, 7], [1, 3], [2, 1], [3, 0]]);
    expect(completedSubtrees(tree, 6, tree.hashAt(0, 6)).map(({ level, index }) => [level, index])).toEqual([[0, 6]]);
  });
});

describe('MerkleFrontier', () => {
  it('gives the root of every prefix, as the whole tree does, keeping only the right edge', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 0, maxLength: 8 }), { maxLength: 70 }), (entries) => {
        const frontier = new MerkleFrontier();
        const hex = (hash: Uint8Array) => Buffer.from(hash).toString('hex');
        expect(hex(frontier.root())).toBe(hex(EMPTY_TREE_HASH));
        entries.forEach((entry, index) => {
          frontier.append(leafHash(entry));
          expect(frontier.size).toBe(index + 1);
          expect(hex(frontier.root())).toBe(hex(mth(entries.slice(0, index + 1))));
        });
      }),
    );
  });
});
