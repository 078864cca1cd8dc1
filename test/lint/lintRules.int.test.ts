import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const repoRoot = path.resolve(__dirname, '..', '..');
const fixtureRoot = path.join(__dirname, 'fixtures');
const marker = /\/\/ refused: (\S+)/;

interface LintMessage {
  ruleId: string | null;
  line: number;
  message: string;
}
interface LintResult {
  filePath: string;
  messages: LintMessage[];
}

/**
 * Runs the repository's ESLint with the repository's own eslint.config.mjs over the fixture tree,
 * from inside it: the config's file globs and import-x zones are relative to the working directory,
 * so the fixture tree stands for the repository. `--no-ignore` lifts the config's ignoring of it.
 */
async function lintFixtures(): Promise<LintResult[]> {
  const eslint = path.join(repoRoot, 'node_modules', 'eslint', 'bin', 'eslint.js');
  const args = [eslint, '--config', path.join(repoRoot, 'eslint.config.mjs'), '--no-ignore', '--format', 'json', '.'];
  try {
    const { stdout } = await promisify(execFile)(process.execPath, args, {
      cwd: fixtureRoot,
      env: { ...process.env, LINT_LAYER_ROOT: fixtureRoot },
      maxBuffer: 16 * 1024 * 1024,
    });
    return JSON.parse(stdout) as LintResult[];
  } catch (error) {
    // ESLint exits 1 when it reports problems, which the fixtures are made to have; 2 means it failed.
    const { code, stdout, stderr } = error as { code?: number; stdout?: string; stderr?: string };
    if (code !== 1 || !stdout) throw new Error(`ESLint failed (exit ${String(code)}): ${stderr ?? String(error)}`);
    return JSON.parse(stdout) as LintResult[];
  }
}

/** Every TypeScript file of the fixture tree, relative to it. */
const fixtureFiles = (dir = fixtureRoot): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return fixtureFiles(full);
    return /\.tsx?$/.test(entry.name) ? [path.relative(fixtureRoot, full)] : [];
  });

/** `file:line rule` for each line a fixture marks `// refused: rule`. */
const markedLines = (): string[] =>
  fixtureFiles().flatMap((file) =>
    readFileSync(path.join(fixtureRoot, file), 'utf8')
      .split('\n')
      .flatMap((text, index) => {
        const rule = marker.exec(text)?.[1];
        return rule ? [`${file}:${index + 1} ${rule}`] : [];
      }),
  );

describe('npm run lint (eslint.config.mjs) over test/lint/fixtures', () => {
  let results: LintResult[];
  const messagesOf = (file: string): LintMessage[] => {
    const result = results.find((r) => path.relative(fixtureRoot, r.filePath) === file);
    if (!result) throw new Error(`ESLint did not lint ${file}`);
    return result.messages;
  };

  beforeAll(async () => {
    results = await lintFixtures();
  }, 120_000);

  it('lints every fixture file', () => {
    expect(results.map((r) => path.relative(fixtureRoot, r.filePath)).sort()).toEqual(fixtureFiles().sort());
  });

  it('reports exactly the lines marked `// refused: <rule>`, by that rule, and nothing else', () => {
    const reported = results.flatMap((r) => r.messages.map((m) => `${path.relative(fixtureRoot, r.filePath)}:${m.line} ${String(m.ruleId)}`));
    expect(reported.sort()).toEqual(markedLines().sort());
  });

  it.each([
    ['a two-file import cycle', 'src/cycle/ping.ts', 1, 'import-x/no-cycle', 'Dependency cycle'],
    ['the other side of that cycle', 'src/cycle/pong.ts', 1, 'import-x/no-cycle', 'Dependency cycle'],
    ['a duplicate import whose first copy has an inline `type` specifier', 'src/duplicates/inlineType.ts', 1, 'import-x/no-duplicates', 'imported multiple times'],
    ['the domain importing the application', 'src/domain/importsOtherLayers.ts', 1, 'import-x/no-restricted-paths', 'src/domain is pure'],
    ['the domain importing a store adapter', 'src/domain/importsOtherLayers.ts', 2, 'import-x/no-restricted-paths', 'src/domain is pure'],
    ['the domain importing the store port', 'src/domain/importsOtherLayers.ts', 3, 'import-x/no-restricted-paths', 'src/domain is pure'],
    ['the domain importing node:fs', 'src/domain/importsIo.ts', 1, 'import-x/no-nodejs-modules', 'node:fs'],
    ['the domain importing a bare Node module', 'src/domain/importsIo.ts', 2, 'import-x/no-nodejs-modules', '"path"'],
    ['the domain importing better-sqlite3', 'src/domain/importsIo.ts', 3, 'no-restricted-imports', 'are pure'],
    ['the domain importing graphql', 'src/domain/importsIo.ts', 4, 'no-restricted-imports', 'are pure'],
    ['src/errors importing the domain', 'src/errors/reachesDomain.ts', 1, 'import-x/no-restricted-paths', 'src/errors is a shared pure folder'],
    ['src/jsutils importing src/errors', 'src/jsutils/reachesErrors.ts', 1, 'import-x/no-restricted-paths', 'src/jsutils holds one-file pure helpers'],
    ['the application importing a store adapter', 'src/application/reachesAdapters.ts', 1, 'import-x/no-restricted-paths', 'src/application imports only'],
    ['the application importing a store file that is not the port', 'src/application/reachesAdapters.ts', 2, 'import-x/no-restricted-paths', 'src/application imports only'],
    ['the application importing GraphQL', 'src/application/reachesAdapters.ts', 3, 'import-x/no-restricted-paths', 'src/application imports only'],
    ['the application importing a store client', 'src/application/reachesAdapters.ts', 4, 'no-restricted-imports', '@eventstore/db-client'],
    ['the store port re-exporting an adapter', 'src/eventstore/index.ts', 4, 'import-x/no-restricted-paths', 'port never imports an adapter'],
    ['GraphQL importing the sqlite adapter', 'src/graphql/reachesAdapter.ts', 1, 'import-x/no-restricted-paths', 'src/graphql never imports'],
    ['GraphQL importing the EventStoreDB adapter', 'src/graphql/reachesAdapter.ts', 2, 'import-x/no-restricted-paths', 'src/graphql never imports'],
    ['GraphQL importing better-sqlite3', 'src/graphql/reachesAdapter.ts', 3, 'no-restricted-imports', 'better-sqlite3 is used only'],
    ['the EventStoreDB client outside its adapter', 'src/http/usesVendorClient.ts', 1, 'no-restricted-imports', '@eventstore/db-client is used only'],
    ['a web app importing the domain', 'web/console/reachesServer.ts', 2, 'import-x/no-restricted-paths', 'web apps'],
    ['a web app importing GraphQL code', 'web/console/reachesServer.ts', 3, 'import-x/no-restricted-paths', 'web apps'],
    ['a web component (.tsx) importing a server type', 'web/console/Label.tsx', 2, 'import-x/no-restricted-paths', 'web apps'],
  ])('refuses %s', (_case, file, line, rule, says) => {
    expect(messagesOf(file).filter((m) => m.line === line).map((m) => [m.ruleId, m.message.includes(says)])).toEqual([[rule, true]]);
  });

  it.each([
    ['a cycle through type imports only', 'src/cycle/typeOnly.ts'],
    ['one import with a type and a value', 'src/duplicates/merged.ts'],
    ['the domain using src/errors and src/jsutils', 'src/domain/pure.ts'],
    ['src/errors using src/jsutils', 'src/errors/index.ts'],
    ['the application using the domain, the store port, src/errors and src/jsutils', 'src/application/handler.ts'],
    ['a store adapter using the port', 'src/eventstore/sqlite/index.ts'],
    ['the EventStoreDB client inside its adapter', 'src/eventstore/eventstoredb/index.ts'],
    ['GraphQL using the store port and the application', 'src/graphql/schema.ts'],
    ['a web module importing from its own app', 'web/console/format.ts'],
  ])('accepts %s', (_case, file) => {
    expect(messagesOf(file)).toEqual([]);
  });
});
