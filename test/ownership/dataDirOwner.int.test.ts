import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { DataDirInUseError, acquireDataDir, ownerLockFile } from '../../src/ownership/dataDirOwner';

describe('acquireDataDir', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(path.join(tmpdir(), 'acc-lock-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));
  const leave = (record: object) => writeFileSync(ownerLockFile(dataDir), JSON.stringify(record));

  it('refuses a second holder in the same process, and frees the directory on release', () => {
    const first = acquireDataDir(dataDir, 'server');
    expect(() => acquireDataDir(dataDir, 'rebuild')).toThrow(DataDirInUseError);
    expect(() => acquireDataDir(dataDir, 'rebuild')).toThrow(`in use by the server (pid ${process.pid} on host ${hostname()}`);
    first.release();
    acquireDataDir(dataDir, 'rebuild').release();
  });

  it('takes over a record of this pid from an earlier life (a container restarted as the same pid)', () => {
    leave({ role: 'server', pid: process.pid, host: hostname(), startedAt: '2020-01-01T00:00:00.000Z' });
    const owner = acquireDataDir(dataDir, 'server');
    expect(JSON.parse(readFileSync(owner.lockFile, 'utf8'))).toMatchObject({ pid: process.pid, role: 'server' });
    expect(JSON.parse(readFileSync(owner.lockFile, 'utf8')).startedAt).not.toBe('2020-01-01T00:00:00.000Z');
    owner.release();
  });

  it('never presumes an owner on another host gone, and says what a lock it cannot read means', () => {
    leave({ role: 'server', pid: 1, host: 'elsewhere', startedAt: '2020-01-01T00:00:00.000Z' });
    expect(() => acquireDataDir(dataDir, 'server')).toThrow('in use by the server (pid 1 on host elsewhere');
    writeFileSync(ownerLockFile(dataDir), 'garbage');
    expect(() => acquireDataDir(dataDir, 'server')).toThrow(/cannot be read; remove it if no server or command uses this DATA_DIR/);
  });

  it('leaves a lock taken over from it to its new holder on release', () => {
    const owner = acquireDataDir(dataDir, 'server');
    leave({ role: 'server', pid: 1, host: 'elsewhere', startedAt: '2020-01-01T00:00:00.000Z' });
    owner.release();
    expect(readFileSync(ownerLockFile(dataDir), 'utf8')).toContain('elsewhere');
  });
});
