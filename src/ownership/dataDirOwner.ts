import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, rmdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';

/** What holds a data directory: the server, or a command that rewrites what the server reads. */
export type OwnerRole = 'server' | 'rebuild' | 'restore';

/** Who holds a data directory, as its lock file records it. */
export interface OwnerRecord {
  role: OwnerRole;
  pid: number;
  host: string;
  startedAt: string;
}

/** A data directory this process holds; `release` gives it up (idempotent). */
export interface DataDirOwnership {
  readonly lockFile: string;
  release(): void;
}

/** Another live process holds the data directory: the message names it and what to do. */
export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: OwnerRecord | null,
  ) {
    super(
      owner === null
        ? `${dataDir} is locked by ${ownerLockFile(dataDir)}, which cannot be read; remove it if no server or command uses this DATA_DIR`
        : `${dataDir} is in use by ${describeOwner(owner)}; stop it first, or use another DATA_DIR`,
    );
    this.name = 'DataDirInUseError';
  }
}

/** The lock file of a data directory. */
export const ownerLockFile = (dataDir: string): string => path.join(dataDir, 'owner.lock');

/** A take-over left by a process killed inside it (a few microseconds' work) is broken after this long. */
const TAKEOVER_STALE_MS = 10_000;

/** "the server (pid 123 on host h, started 2026-...)" */
export const describeOwner = (owner: OwnerRecord): string =>
  `${owner.role === 'server' ? 'the server' : `\`${owner.role}\``} (pid ${owner.pid} on host ${owner.host}, started ${owner.startedAt})`;

const readOwner = (file: string): { text: string; owner: OwnerRecord | null } | null => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const owner = JSON.parse(text) as OwnerRecord;
    return { text, owner: Number.isSafeInteger(owner.pid) && typeof owner.host === 'string' ? owner : null };
  } catch {
    return { text, owner: null };
  }
};

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The records of the locks this process holds now (a test may run a server and a command in one process). */
const heldHere = new Set<string>();

/**
 * Whether a recorded owner is gone: on this host, its pid no longer runs, or it is this very
 * process's pid on a record this process did not write (a container restarted as pid 1 again).
 * An owner on another host (a shared volume) is never presumed gone.
 */
const isGone = (held: { text: string; owner: OwnerRecord }, self: OwnerRecord): boolean =>
  held.owner.host === self.host && (held.owner.pid === self.pid ? !heldHere.has(held.text.trim()) : !isRunning(held.owner.pid));

/** Runs `work` holding the take-over guard, a directory made atomically; answers false when another process holds it. */
const withTakeoverGuard = (lockFile: string, work: () => void): boolean => {
  const guard = `${lockFile}.takeover`;
  try {
    mkdirSync(guard);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const guarded = statSync(guard, { throwIfNoEntry: false });
    if (guarded !== undefined && Date.now() - guarded.mtimeMs > TAKEOVER_STALE_MS) rmSync(guard, { recursive: true, force: true });
    return false;
  }
  try {
    work();
    return true;
  } finally {
    rmdirSync(guard);
  }
};

/**
 * Takes the data directory for this process, or throws DataDirInUseError naming the live holder.
 * The record is written whole to a file of its own (O_EXCL) and published by a hard link, which
 * fails when the lock exists, so a reader never sees half a record. A lock whose holder is gone
 * (killed) is replaced under a take-over guard, after checking it is still the same dead holder's,
 * so two starters racing for it cannot both win.
 */
export const acquireDataDir = (dataDir: string, role: OwnerRole, now: () => Date = () => new Date()): DataDirOwnership => {
  mkdirSync(dataDir, { recursive: true });
  const lockFile = ownerLockFile(dataDir);
  const self: OwnerRecord = { role, pid: process.pid, host: hostname(), startedAt: now().toISOString() };
  const mine = JSON.stringify(self);
  const candidate = `${lockFile}.${process.pid}.${randomBytes(6).toString('hex')}`;
  writeFileSync(candidate, `${mine}\n`, { flag: 'wx' });
  try {
    for (let attempt = 0; ; attempt += 1) {
      try {
        linkSync(candidate, lockFile);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const held = readOwner(lockFile);
      if (held === null) continue;
      if (held.owner === null || !isGone({ text: held.text, owner: held.owner }, self)) {
        throw new DataDirInUseError(dataDir, held.owner);
      }
      let tookOver = false;
      withTakeoverGuard(lockFile, () => {
        if (readOwner(lockFile)?.text !== held.text) return;
        renameSync(candidate, lockFile);
        tookOver = true;
      });
      if (tookOver) return ownership(lockFile, mine);
      if (attempt > 200) throw new DataDirInUseError(dataDir, held.owner);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  } finally {
    rmSync(candidate, { force: true });
  }
  return ownership(lockFile, mine);
};

const ownership = (lockFile: string, mine: string): DataDirOwnership => {
  let released = false;
  heldHere.add(mine);
  return {
    lockFile,
    release() {
      if (released) return;
      released = true;
      heldHere.delete(mine);
      // Only our own record goes: a lock taken over from us (we were presumed dead) stays its new holder's.
      if (readOwner(lockFile)?.text.trim() === mine) unlinkSync(lockFile);
    },
  };
};
