import { execFile } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');
const codegen = path.join(root, 'node_modules', '.bin', 'graphql-codegen');
/** One run of the generator takes a second or two; more on a busy machine. */
const CODEGEN_TIMEOUT_MS = 60_000;

/** Runs GraphQL Code Generator's check in `cwd`: exit code 0 when the generated files are what it would write. */
function check(cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(codegen, ['--config', 'codegen.yml', '--check'], { cwd }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

/** A copy of what codegen reads and writes, in a temporary folder, for `change` to edit. */
async function checkCopy(change: (dir: string) => void): Promise<{ code: number; output: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'console-codegen-'));
  try {
    for (const item of ['codegen.yml', 'schema/schema.graphql', 'web/console/documents', 'web/console/generated']) {
      cpSync(path.join(root, item), path.join(dir, item), { recursive: true });
    }
    symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    change(dir);
    return await check(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("the console's generated types and documents (web/console/generated)", () => {
  it('are what GraphQL Code Generator makes of schema/schema.graphql and web/console/documents', async () => {
    const { code, output } = await check(root);
    if (code !== 0) throw new Error(`The console's generated files are stale: run \`npm run codegen\` and commit the result.\n${output}`);
  }, CODEGEN_TIMEOUT_MS);

  it('are found stale when the schema changes without regenerating', async () => {
    const { code, output } = await checkCopy((dir) =>
      appendFileSync(path.join(dir, 'schema/schema.graphql'), '\nextend input AddAuthorizationCodeClientInput {\n  probe: String\n}\n'),
    );
    expect(code).not.toBe(0);
    expect(output).toContain('web/console/generated/graphql.ts');
  }, CODEGEN_TIMEOUT_MS);

  it('are found stale when a document changes without regenerating', async () => {
    const { code, output } = await checkCopy((dir) =>
      appendFileSync(path.join(dir, 'web/console/documents/me.graphql'), '\nquery ConsoleProbe {\n  me {\n    id\n  }\n}\n'),
    );
    expect(code).not.toBe(0);
    expect(output).toContain('web/console/generated/graphql.ts');
  }, CODEGEN_TIMEOUT_MS);
});
