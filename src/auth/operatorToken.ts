import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** File name of the operator token inside the data directory. */
export const OPERATOR_TOKEN_FILE = 'operator-token';

/** Absolute path of the operator token for a data directory. */
export const operatorTokenPath = (dataDir: string): string => path.join(path.resolve(dataDir), OPERATOR_TOKEN_FILE);

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The operator token in the data directory; null when there is none (the server was never started there). */
export const readOperatorToken = (dataDir: string): string | null => {
  let text: string;
  try {
    text = readFileSync(operatorTokenPath(dataDir), 'utf8').trim();
  } catch {
    return null;
  }
  if (!TOKEN.test(text)) throw new Error(`${operatorTokenPath(dataDir)} is not an operator token; delete it and restart the server to make a new one`);
  return text;
};

/**
 * The operator token of a data directory: the credential of `/metrics` on the main port and of
 * the `/admin/` endpoints (online rebuild). Whoever can read the data directory is the operator.
 * Made (32 random bytes, mode 0600) when missing; processes racing here end up with one token.
 */
export const loadOrCreateOperatorToken = (dataDir: string): string => {
  const existing = readOperatorToken(dataDir);
  if (existing !== null) return existing;
  try {
    writeFileSync(operatorTokenPath(dataDir), `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readOperatorToken(dataDir)!;
};

/** Whether an Authorization header carries the operator token, compared in constant time. */
export const isOperatorBearer = (header: string | undefined, token: string): boolean => {
  const match = /^Bearer ([A-Za-z0-9_-]{1,100})$/i.exec(header?.trim() ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1]);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
};
