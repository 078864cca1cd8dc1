// Builds the browser apps into dist/public: the admin console (web/console -> dist/public/console)
// and GraphiQL (web/graphiql -> dist/public/graphiql), each self-contained for offline use. esbuild
// names every output after its content (`[name]-[hash]`, the favicon too) and its metafile says which
// is which; the server compresses on the fly (src/http/webApp.ts). Skips an app when its output is
// newer than every input; `--force` rebuilds anyway.
// Status goes to stderr: `npm run token` builds first and must keep stdout for the token alone.
import { mkdir, readFile, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { URL, fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const publicDir = join(root, 'dist', 'public');
const lockDir = join(publicDir, '.build-web.lock');

/** What every app's output depends on besides its own source: this script, the installed packages. */
const sharedInputs = [
  join(root, 'web', 'tsconfig.json'),
  fileURLToPath(import.meta.url),
  join(root, 'package-lock.json'),
  join(root, 'node_modules', '.package-lock.json'),
];

/** Monaco's workers, each bundled on its own; the keys are the labels Monaco asks for. */
const workerEntries = {
  editor: 'monaco-editor/esm/vs/editor/editor.worker.js',
  json: 'monaco-editor/esm/vs/language/json/json.worker.js',
  graphql: 'monaco-graphql/esm/graphql.worker.js',
};

const target = ['es2022', 'chrome111', 'edge111', 'firefox115', 'safari16.4'];

function log(message) {
  process.stderr.write(`[build-web] ${message}\n`);
}

async function newestMtime(path) {
  let info;
  try {
    info = await stat(path);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(path);
  const times = await Promise.all(entries.map((entry) => newestMtime(join(path, entry))));
  return Math.max(info.mtimeMs, ...times);
}

/**
 * Kept by measurement: esbuild has no up-to-date check of its own, and `npm start`, `npm run token`,
 * `schema`, `rebuild`, `bench` and five test files' setup all run this script. Building both apps
 * again took 1.8 s on a quiet 2-core machine and 4.7 to 6.2 s on a busy one (GraphiQL with Monaco is
 * 6.8 MB); this check answers in 0.1 to 0.4 s.
 */
async function isUpToDate(app) {
  const built = await stat(join(app.outDir, 'index.html')).catch(() => undefined);
  if (!built) return false;
  const newest = Math.max(...(await Promise.all([app.sourceDir, ...sharedInputs].map(newestMtime))));
  return newest <= built.mtimeMs;
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/**
 * Runs `work` while holding a lock directory, so parallel builds (test workers, two shells) queue and
 * the later ones find the output up to date. Kept by measurement: without it the browser suites
 * under `jest --maxWorkers=3` built GraphiQL three times at once (9 to 12 s each instead of one
 * 4 s build), and a reader polling the page while two builds published found it missing (1 read
 * in 9508). The owner's pid is checked because a build stopped with Ctrl-C leaves the lock behind.
 */
async function withLock(work) {
  await mkdir(publicDir, { recursive: true });
  for (const started = Date.now(); ; ) {
    try {
      await mkdir(lockDir);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const owner = Number(await readFile(join(lockDir, 'pid'), 'utf8').catch(() => 'NaN'));
      if (Number.isInteger(owner) && !isAlive(owner)) await rm(lockDir, { recursive: true, force: true });
      else if (Date.now() - started > 10 * 60_000) throw new Error(`timed out waiting for ${lockDir}`);
      else await sleep(200);
    }
  }
  try {
    await writeFile(join(lockDir, 'pid'), String(process.pid));
    return await work();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

/** GraphiQL's style.css already carries Monaco's CSS; the copies Monaco's modules import are dropped. */
const monacoCssFromGraphiqlStyle = {
  name: 'monaco-css-from-graphiql-style',
  setup(builder) {
    builder.onLoad({ filter: /[\\/]monaco-editor[\\/].*\.css$/ }, () => ({ contents: '', loader: 'css' }));
  },
};

/** The metafile's outputs as `[file, output]` pairs, files relative to `dir`. */
function outputsIn(result, dir) {
  return Object.entries(result.metafile.outputs).map(([file, output]) => [relative(dir, join(root, file)), output]);
}

/** The output esbuild wrote for an entry point (a path relative to the project root). */
function outputOf(outputs, entryPoint) {
  const found = outputs.find(([, output]) => output.entryPoint === relative(root, entryPoint).split(sep).join('/'));
  if (!found) throw new Error(`no output for ${entryPoint}`);
  return found;
}

/** Monaco's workers as classic scripts (each loads with `new Worker(url)`); answers their file names by label. */
async function buildWorkers(dir) {
  const result = await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(Object.entries(workerEntries).map(([label, path]) => [`${label}.worker`, path])),
    bundle: true,
    format: 'iife',
    minify: true,
    target,
    outdir: dir,
    entryNames: '[name]-[hash]',
    plugins: [monacoCssFromGraphiqlStyle],
    metafile: true,
    logLevel: 'warning',
  });
  const outputs = outputsIn(result, dir);
  const files = Object.entries(workerEntries).map(([label, path]) => [label, outputOf(outputs, join(root, 'node_modules', path))[0]]);
  return { files: Object.fromEntries(files), outputs };
}

/**
 * Bundles an app's `main.tsx` (named after the app) into `dir` as minified ES modules for the
 * browsers in `target`, and copies its `favicon.svg` beside them, every name content-hashed by
 * esbuild; `extra` adds the app's own esbuild options. Answers the page's file names (js, css,
 * favicon) and every output.
 */
async function buildPage(name, dir, sourceDir, extra = {}) {
  const result = await build({
    absWorkingDir: root,
    entryPoints: { [name]: join(sourceDir, 'main.tsx'), favicon: join(sourceDir, 'favicon.svg') },
    tsconfig: join(root, 'web', 'tsconfig.json'),
    bundle: true,
    format: 'esm',
    minify: true,
    target,
    jsx: 'automatic',
    outdir: dir,
    entryNames: '[name]-[hash]',
    metafile: true,
    logLevel: 'warning',
    ...extra,
    loader: { '.svg': 'copy', ...extra.loader },
    define: { 'process.env.NODE_ENV': '"production"', ...extra.define },
  });
  const outputs = outputsIn(result, dir);
  const [js, { cssBundle }] = outputOf(outputs, join(sourceDir, 'main.tsx'));
  if (!cssBundle) throw new Error('the page entry produced no CSS');
  const [favicon] = outputOf(outputs, join(sourceDir, 'favicon.svg'));
  return { files: { js, css: relative(dir, join(root, cssBundle)), favicon }, outputs };
}

/** GraphiQL: split chunks (prettier loads lazily), its fonts as files, Monaco's workers named at build time. */
async function buildGraphiqlPage(dir, sourceDir) {
  const workers = await buildWorkers(dir);
  const page = await buildPage('graphiql', dir, sourceDir, {
    splitting: true,
    chunkNames: 'chunk-[hash]',
    assetNames: '[name]-[hash]',
    loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file' },
    // GraphiQL's prettify imports prettier's legacy UMD parser paths, whose named `parsers` export
    // esbuild cannot see; the ES module builds of the same plugins export it.
    alias: { 'prettier/parser-babel': 'prettier/plugins/babel', 'prettier/parser-graphql': 'prettier/plugins/graphql' },
    define: { GRAPHIQL_WORKER_FILES: JSON.stringify(workers.files) },
    plugins: [monacoCssFromGraphiqlStyle],
  });
  return { files: page.files, outputs: [...workers.outputs, ...page.outputs] };
}

/** The apps this script builds: where each one's source is, where it goes, and how it is bundled. */
const apps = [
  {
    name: 'console',
    sourceDir: join(root, 'web', 'console'),
    outDir: join(publicDir, 'console'),
    bundle: (dir, sourceDir) => buildPage('console', dir, sourceDir),
  },
  {
    name: 'graphiql',
    sourceDir: join(root, 'web', 'graphiql'),
    outDir: join(publicDir, 'graphiql'),
    bundle: buildGraphiqlPage,
  },
];

/** Writes `index.html` from the app's template, its `{{js}}`, `{{css}}` and `{{favicon}}` filled in. */
async function writePage(dir, sourceDir, files) {
  const template = await readFile(join(sourceDir, 'index.html'), 'utf8');
  const html = template.replace(/\{\{(\w+)\}\}/g, (placeholder, key) => {
    if (!(key in files)) throw new Error(`index.html: unknown placeholder ${placeholder}`);
    return files[key];
  });
  await writeFile(join(dir, 'index.html'), html);
}

/** Builds an app into `dir`; the CSS files esbuild leaves empty (Monaco's, dropped above) go. Answers its bytes. */
async function buildInto(app, dir) {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const { files, outputs } = await app.bundle(dir, app.sourceDir);
  const empty = outputs.filter(([file, output]) => output.bytes === 0 && file.endsWith('.css'));
  await Promise.all(empty.map(([file]) => rm(join(dir, file))));
  await writePage(dir, app.sourceDir, files);
  return outputs.reduce((sum, [, output]) => sum + output.bytes, 0);
}

/** Replaces the served folder with the new one, so a running server never sees half a build. */
async function publish(app, dir) {
  const previous = join(publicDir, `.${app.name}-previous-${process.pid}`);
  await rename(app.outDir, previous).catch((error) => {
    if (error.code !== 'ENOENT') throw error;
  });
  await rename(dir, app.outDir);
  await rm(previous, { recursive: true, force: true });
}

/** Removes the staging and previous folders a stopped build of `app` left; called with the lock held. */
async function removeLeftovers(app) {
  const leftovers = (await readdir(publicDir)).filter((entry) => entry.startsWith(`.${app.name}-`));
  await Promise.all(leftovers.map((entry) => rm(join(publicDir, entry), { recursive: true, force: true })));
}

async function buildApp(app, force) {
  if (!force && (await isUpToDate(app))) {
    log(`up to date: ${relative(root, app.outDir)}`);
    return;
  }
  await withLock(async () => {
    if (!force && (await isUpToDate(app))) return;
    const startedAt = new Date();
    const started = performance.now();
    const staging = join(publicDir, `.${app.name}-staging-${process.pid}`);
    await removeLeftovers(app);
    try {
      const bytes = await buildInto(app, staging);
      await utimes(join(staging, 'index.html'), startedAt, startedAt);
      await publish(app, staging);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      log(`built ${relative(root, app.outDir)} in ${seconds} s: ${(bytes / 1024).toFixed(0)} kB`);
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  });
}

async function main() {
  const force = process.argv.includes('--force');
  for (const app of apps) await buildApp(app, force);
}

await mkdir(publicDir, { recursive: true });
await main().catch((error) => {
  log(`failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
