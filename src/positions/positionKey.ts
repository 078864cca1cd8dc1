import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../auth';
import { type PositionSeal, createPositionSeal } from './positionSeal';

/** The position key's file in the data directory, made on first start when POSITION_KEY_FILE is not set. */
export const POSITION_KEY_FILE = 'position-key';

/** Where the position key comes from: a file every instance shares (POSITION_KEY_FILE), or this instance's DATA_DIR. */
export type PositionKeyConfig = { kind: 'file'; file: string } | { kind: 'dataDir'; dataDir: string };

const readSecret = (file: string, name: string): Buffer => {
  const secret = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (secret.length < 32) {
    throw new ConfigError(`${name} must hold at least 32 random bytes in base64 (e.g. from \`openssl rand -base64 32\`)`);
  }
  return secret;
};

/**
 * Loads the key that seals the positions tenants see. A POSITION_KEY_FILE must exist (instances
 * sharing it must not each make their own); the data directory's key is made when missing.
 */
export const loadPositionSeal = (config: PositionKeyConfig): PositionSeal => {
  if (config.kind === 'file') {
    let secret: Buffer;
    try {
      secret = readSecret(config.file, 'POSITION_KEY_FILE');
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      throw new ConfigError(`POSITION_KEY_FILE ${config.file} cannot be read: ${(error as Error).message}`);
    }
    return createPositionSeal(secret);
  }
  const file = path.join(config.dataDir, POSITION_KEY_FILE);
  try {
    // 'wx': two processes starting at once cannot each write a key; the second reads the first's.
    writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return createPositionSeal(readSecret(file, file));
};
