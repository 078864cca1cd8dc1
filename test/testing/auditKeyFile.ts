import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

/** Writes an Ed25519 private key as PEM PKCS#8 (what `openssl genpkey -algorithm ed25519` makes) for AUDIT_SIGNING_KEY_FILE. */
export const writeAuditKeyFile = (dir: string, name = 'audit-key.pem'): string => {
  const file = path.join(dir, name);
  const { privateKey } = generateKeyPairSync('ed25519');
  writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  return file;
};
