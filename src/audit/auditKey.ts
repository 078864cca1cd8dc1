import path from 'node:path';
import { readFile } from 'node:fs/promises';
import * as jose from 'jose';
import { type JSONWebKeySet, type JWK } from 'jose';
import { ConfigError } from '../auth/configError';
import { type KeyKind, type LoadedKey, keyFromJwk, loadOrCreateKeyFile } from '../auth/keyFile';

/** File name of the development audit key inside the data directory. */
export const DEV_AUDIT_KEY_FILE = 'audit-signing-key.json';

const AUDIT_KEY: KeyKind = {
  alg: 'EdDSA',
  label: 'audit signing key',
  replacing: 'tree heads signed with the old key no longer verify with the new one',
};

/** Where the audit key comes from: the file AUDIT_SIGNING_KEY_FILE names, or (development only) one made in DATA_DIR. */
export interface AuditKeyConfig {
  file: string;
  /** Made on first use when missing (development); a production key file must exist. */
  createIfMissing: boolean;
}

/** Reads AUDIT_SIGNING_KEY_FILE; in production it is required, and the server refuses to start without it. */
export const auditKeyConfigOf = (keyFile: string, dataDir: string, production: boolean): AuditKeyConfig => {
  if (keyFile !== '') return { file: path.resolve(keyFile), createIfMissing: false };
  if (production) {
    throw new ConfigError(
      'AUDIT_SIGNING_KEY_FILE must name the audit log’s Ed25519 private key (a PEM PKCS#8 file or a private JWK) in production: ' +
        'it signs the tree heads reviewers keep. Make one with `openssl genpkey -algorithm ed25519 -out audit-key.pem`.',
    );
  }
  return { file: path.join(path.resolve(dataDir), DEV_AUDIT_KEY_FILE), createIfMissing: true };
};

/** A key given by the operator: a PEM PKCS#8 Ed25519 key or a private JWK; `kid` is the RFC 7638 thumbprint when absent. */
const readGivenKey = async (file: string): Promise<LoadedKey> => {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`AUDIT_SIGNING_KEY_FILE ${file} could not be read: ${(error as Error).message}`, { cause: error });
  }
  let jwk: JWK | undefined;
  try {
    jwk = text.trimStart().startsWith('-----BEGIN')
      ? await jose.exportJWK(await jose.importPKCS8(text, 'EdDSA', { extractable: true }))
      : (JSON.parse(text) as JWK);
  } catch {
    jwk = undefined;
  }
  const withKid = jwk && typeof jwk === 'object' ? { ...jwk, kid: jwk.kid ?? (await thumbprint(jwk)) } : undefined;
  const key = withKid && (await keyFromJwk(AUDIT_KEY, withKid, file));
  if (!key) throw new ConfigError(`AUDIT_SIGNING_KEY_FILE ${file} is not an Ed25519 private key (PEM PKCS#8 or a private JWK with "d")`);
  return key;
};

const thumbprint = (jwk: JWK): Promise<string | undefined> =>
  jose.calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x }).catch(() => undefined);

/** Loads the audit key as configured; a development key is made on first use. */
export const loadAuditKey = (config: AuditKeyConfig): Promise<LoadedKey> =>
  config.createIfMissing ? loadOrCreateKeyFile(AUDIT_KEY, config.file) : readGivenKey(config.file);

/** The public key as a JWKS: what `audit key` prints and the service serves at /.well-known/audit-log-jwks.json. */
export const auditKeySet = (key: LoadedKey): JSONWebKeySet => ({ keys: [key.publicJwk] });
