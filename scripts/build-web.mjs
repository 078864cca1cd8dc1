// Builds the browser apps into dist/public: the admin console (web/console -> dist/public/console)
// and GraphiQL (web/graphiql -> dist/public/graphiql), each self-contained for offline use.
// Skips an app when its output is newer than every input; `--force` rebuilds anyway.
// Status goes to stderr: `npm run token` builds first and must keep stdout for the token alone.
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { URL, fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
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
const compressible = /\.(?:js|css|svg|json)$/;
const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

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

/** Runs `work` while holding a lock directory, so parallel builds (test workers, two shells) queue. */
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
  const files = Object.keys(result.metafile.outputs).map((output) => basename(output));
  return Object.fromEntries(
    Object.keys(workerEntries).map((label) => {
      const file = files.find((name) => name.startsWith(`${label}.worker-`) && name.endsWith('.js'));
      if (!file) throw new Error(`no output for the ${label} worker`);
      return [label, file];
    }),
  );
}

/**
 * Bundles an app's `main.tsx` (named after the app) into `dir` as minified ES modules for the
 * browsers in `target`; `extra` adds the app's own esbuild options. Answers its script and stylesheet.
 */
async function buildPage(name, dir, sourceDir, extra = {}) {
  const result = await build({
    absWorkingDir: root,
    entryPoints: { [name]: join(sourceDir, 'main.tsx') },
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
    define: { 'process.env.NODE_ENV': '"production"', ...extra.define },
  });
  return entryFiles(result, sourceDir);
}

/** GraphiQL: split chunks (prettier loads lazily), its fonts as files, Monaco's workers named at build time. */
function buildGraphiqlPage(dir, sourceDir, workerFiles) {
  return buildPage('graphiql', dir, sourceDir, {
    splitting: true,
    chunkNames: 'chunk-[hash]',
    assetNames: '[name]-[hash]',
    loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file' },
    // GraphiQL's prettify imports prettier's legacy UMD parser paths, whose named `parsers` export
    // esbuild cannot see; the ES module builds of the same plugins export it.
    alias: { 'prettier/parser-babel': 'prettier/plugins/babel', 'prettier/parser-graphql': 'prettier/plugins/graphql' },
    define: { GRAPHIQL_WORKER_FILES: JSON.stringify(workerFiles) },
    plugins: [monacoCssFromGraphiqlStyle],
  });
}

/** The script and stylesheet esbuild wrote for an app's `main.tsx`; empty CSS leftovers are removed. */
async function entryFiles(result, sourceDir) {
  const entryPoint = relative(root, join(sourceDir, 'main.tsx')).split(sep).join('/');
  const entry = Object.entries(result.metafile.outputs).find(([, output]) => output.entryPoint === entryPoint);
  if (!entry) throw new Error('no output for the page entry');
  const empty = Object.entries(result.metafile.outputs).filter(([file, output]) => output.bytes === 0 && file.endsWith('.css'));
  await Promise.all(empty.map(([file]) => rm(join(root, file))));
  const [js, { cssBundle }] = entry;
  if (!cssBundle) throw new Error('the page entry produced no CSS');
  return { js: basename(js), css: basename(cssBundle) };
}

/** The apps this script builds: where each one's source is, where it goes, and how its page is bundled. */
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
    bundle: async (dir, sourceDir) => buildGraphiqlPage(dir, sourceDir, await buildWorkers(dir)),
  },
];

async function writeHashed(dir, name, contents) {
  const hash = createHash('sha256').update(contents).digest('hex').slice(0, 8).toUpperCase();
  const dot = name.lastIndexOf('.');
  const file = `${name.slice(0, dot)}-${hash}${name.slice(dot)}`;
  await writeFile(join(dir, file), contents);
  return file;
}

async function writePage(dir, sourceDir, files) {
  const favicon = await writeHashed(dir, 'favicon.svg', await readFile(join(sourceDir, 'favicon.svg')));
  const template = await readFile(join(sourceDir, 'index.html'), 'utf8');
  const names = { ...files, favicon };
  const html = template.replace(/\{\{(\w+)\}\}/g, (placeholder, key) => {
    if (!(key in names)) throw new Error(`index.html: unknown placeholder ${placeholder}`);
    return names[key];
  });
  await writeFile(join(dir, 'index.html'), html);
}

/** Precompressed siblings (.gz, .br) for the static file server; skipped where they save little. */
async function precompress(dir) {
  const sizes = { raw: 0, gzip: 0, brotli: 0 };
  const files = (await readdir(dir)).filter((file) => compressible.test(file));
  await Promise.all(
    files.map(async (file) => {
      const contents = await readFile(join(dir, file));
      const [gz, br] = await Promise.all([
        gzipAsync(contents, { level: 9 }),
        brotliAsync(contents, {
          params: { [zlib.BROTLI_PARAM_QUALITY]: 9, [zlib.BROTLI_PARAM_SIZE_HINT]: contents.length },
        }),
      ]);
      sizes.raw += contents.length;
      sizes.gzip += gz.length;
      sizes.brotli += br.length;
      if (gz.length < contents.length * 0.9) await writeFile(join(dir, `${file}.gz`), gz);
      if (br.length < contents.length * 0.9) await writeFile(join(dir, `${file}.br`), br);
    }),
  );
  return sizes;
}

async function buildInto(app, dir) {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const pageFiles = await app.bundle(dir, app.sourceDir);
  await writePage(dir, app.sourceDir, pageFiles);
  return precompress(dir);
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

const kB = (bytes) => `${(bytes / 1024).toFixed(0)} kB`;

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
    try {
      const sizes = await buildInto(app, staging);
      await utimes(join(staging, 'index.html'), startedAt, startedAt);
      await publish(app, staging);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      log(
        `built ${relative(root, app.outDir)} in ${seconds} s: ${kB(sizes.raw)} ` +
          `(${kB(sizes.gzip)} gzip, ${kB(sizes.brotli)} brotli)`,
      );
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
