import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../src/auth';
import { POSITION_KEY_FILE, createPositionSeal, loadPositionSeal } from '../../src/positions';

const seal = createPositionSeal(randomBytes(32));
const at = (n: bigint) => ({ commit: n, prepare: n });

describe('sealed positions', () => {
  it('opens what it sealed, for the same tenant only', () => {
    const token = seal.seal('tenant-a', { commit: 12345n, prepare: 12340n });
    expect(seal.open('tenant-a', token)).toEqual({ commit: 12345n, prepare: 12340n });
    expect(seal.open('tenant-b', token)).toBeNull();
    expect(createPositionSeal(randomBytes(32)).open('tenant-a', token)).toBeNull();
  });

  it('gives tokens that show no number: one length, and unrelated text for neighbouring positions', () => {
    const tokens = [0n, 1n, 2n, 1_000_000n, (1n << 64n) - 1n].map((n) => seal.seal('tenant-a', at(n)));
    expect(new Set(tokens.map((token) => token.length))).toEqual(new Set([62]));
    for (const token of tokens) expect(token).toMatch(/^p1\.[A-Za-z0-9_-]{59}$/);
    // Neighbouring positions give unrelated text: about 1 character in 64 agrees by chance.
    const same = [...tokens[1]].slice(3).filter((char, index) => char === tokens[2][index + 3]).length;
    expect(same).toBeLessThan(20);
    expect(seal.seal('tenant-a', at(7n))).toBe(seal.seal('tenant-a', at(7n)));
    expect(seal.seal('tenant-a', at(7n))).not.toBe(seal.seal('tenant-b', at(7n)));
  });

  it('refuses anything else: the plain form, a changed byte, another length', () => {
    const token = seal.seal('tenant-a', at(42n));
    const flipped = `${token.slice(0, 10)}${token[10] === 'A' ? 'B' : 'A'}${token.slice(11)}`;
    for (const bad of ['42.42', '', 'p1.', flipped, `${token}A`, token.slice(0, -2), `p2.${token.slice(3)}`, 'p1.!!!!']) {
      expect(seal.open('tenant-a', bad)).toBeNull();
    }
  });

  it('needs a key of at least 32 bytes', () => {
    expect(() => createPositionSeal(randomBytes(16))).toThrow(RangeError);
  });
});

describe('the position key', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'acc-poskey-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is made once in the data directory and kept: positions survive a restart', () => {
    const token = loadPositionSeal({ kind: 'dataDir', dataDir: dir }).seal('t', at(9n));
    expect(loadPositionSeal({ kind: 'dataDir', dataDir: dir }).open('t', token)).toEqual(at(9n));
    expect(existsSync(path.join(dir, POSITION_KEY_FILE))).toBe(true);
  });

  it('POSITION_KEY_FILE is read, never made: missing or short, it is a ConfigError naming the variable', () => {
    expect(() => loadPositionSeal({ kind: 'file', file: path.join(dir, 'absent') })).toThrow(ConfigError);
    expect(() => loadPositionSeal({ kind: 'file', file: path.join(dir, 'absent') })).toThrow(/POSITION_KEY_FILE/);
    const short = path.join(dir, 'short');
    writeFileSync(short, randomBytes(8).toString('base64'));
    expect(() => loadPositionSeal({ kind: 'file', file: short })).toThrow(/at least 32 random bytes/);
    const shared = path.join(dir, 'shared');
    writeFileSync(shared, `${randomBytes(32).toString('base64')}\n`);
    const token = loadPositionSeal({ kind: 'file', file: shared }).seal('t', at(3n));
    expect(loadPositionSeal({ kind: 'file', file: shared }).open('t', token)).toEqual(at(3n));
  });
});
