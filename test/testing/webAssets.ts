import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** The project root, where scripts/build-web.mjs lives. */
export const PROJECT_ROOT = join(__dirname, '..', '..');

/** Runs the web build of the admin console and GraphiQL (it returns at once when the assets are up to date). */
export async function buildWebAssets(): Promise<void> {
  await promisify(execFile)(process.execPath, [join(PROJECT_ROOT, 'scripts', 'build-web.mjs')], {
    cwd: PROJECT_ROOT,
    timeout: 5 * 60_000,
  });
}
