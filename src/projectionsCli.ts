import { Writable } from 'node:stream';
import { SingleBar } from 'cli-progress';
import { InvalidArgumentError } from 'commander';
import { type ProjectionsReport, type RebuildProgress } from '../projections';
import { readOperatorToken } from './auth';
import { type CliCommand, type CliIo, CliError, dataDirFrom } from './cliCore';
import { readEnvironment } from './environment';
import { ADMIN_PROJECTIONS_PATH, ADMIN_REBUILD_PATH } from './http/operatorRoutes';

/** The running server's URL: --url, else HOST and PORT as the server reads them. */
const serverUrl = (io: CliIo, url: string | undefined): string => {
  if (url !== undefined) return url.replace(/\/+$/, '');
  const host = readEnvironment(io.env, 'HOST');
  const shown = host === '0.0.0.0' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${readEnvironment(io.env, 'PORT')}`;
};

/** Calls an operator endpoint of the running server with the operator token from DATA_DIR. */
const callServer = async <T>(io: CliIo, base: string, path: string, init: { method: 'GET' | 'POST'; body?: unknown } = { method: 'GET' }): Promise<T> => {
  const token = readOperatorToken(dataDirFrom(io));
  if (token === null) throw new CliError(`No operator token in ${dataDirFrom(io)}: start the server on this DATA_DIR first (or set DATA_DIR to its data directory)`);
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, {
      method: init.method,
      headers: { authorization: `Bearer ${token}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch (error) {
    throw new CliError(`No server answers at ${base} (${error instanceof Error ? error.message : String(error)}); start it, or pass --url`);
  }
  const body = (await response.json().catch(() => null)) as { errors?: { message: string }[] } | null;
  if (!response.ok) {
    const message = body?.errors?.[0]?.message ?? `HTTP ${response.status}`;
    throw new CliError(response.status === 401 ? `${message}. Is ${base} the server of DATA_DIR ${dataDirFrom(io)}?` : message);
  }
  return body as T;
};

const table = (report: ProjectionsReport): string => {
  const rows = [
    ['projection', 'state', 'checkpoint', 'head', 'lag (events)', 'lag (s)'],
    ...report.projections.map((p) => [p.name, p.state, p.checkpoint ?? '-', p.head ?? '-', String(p.lagEvents), p.lagSeconds.toFixed(1)]),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd()).join('\n');
};

/** Where the progress bar draws: the terminal when stderr is one, else a line now and then on the CLI's stderr. */
const progressStream = (io: CliIo): NodeJS.WritableStream =>
  io.stdoutStream !== undefined && process.stderr.isTTY
    ? process.stderr
    : new Writable({
        write(chunk: Buffer, _encoding, done) {
          io.stderr(chunk.toString('utf8'));
          done();
        },
      });

/** --poll: whole milliseconds from 10 to 60000. */
const pollInterval = (text: string): number => {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 10 || value > 60_000) throw new InvalidArgumentError('--poll must be whole milliseconds from 10 to 60000.');
  return value;
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Follows a rebuild to its end, drawing a bar per projection; answers how it ended. */
const followRebuild = async (io: CliIo, base: string, id: string, pollMs: number): Promise<RebuildProgress> => {
  const bar = new SingleBar({
    stream: progressStream(io),
    format: '{projection} [{bar}] {percentage}% | {value}/{total} positions | {events} events',
    noTTYOutput: true,
    notTTYSchedule: 1000,
    hideCursor: true,
  });
  let drawing: string | null = null;
  const drawn = new Set<string>();
  const draw = (projection: string, position: number, total: number, events: number) => {
    if (drawing !== projection) {
      if (drawing !== null) bar.stop();
      drawing = projection;
      drawn.add(projection);
      bar.start(total, 0, { projection, events: 0 });
    }
    bar.setTotal(total);
    bar.update(position, { projection, events });
  };
  try {
    for (;;) {
      const { rebuild } = await callServer<ProjectionsReport>(io, base, ADMIN_PROJECTIONS_PATH);
      if (rebuild === null || rebuild.id !== id) throw new CliError('The server no longer reports this rebuild (was it restarted?)');
      const total = Math.max(rebuild.head ?? 0, rebuild.position, 1);
      // A projection swapped in between two reads is shown complete.
      for (const swapped of rebuild.swapped) if (!drawn.has(swapped)) draw(swapped, total, total, rebuild.eventsApplied);
      if (rebuild.current !== null) draw(rebuild.current, rebuild.position, total, rebuild.eventsApplied);
      else if (drawing !== null && rebuild.swapped.includes(drawing)) bar.update(bar.getTotal());
      if (rebuild.state !== 'running') return rebuild;
      await sleep(pollMs);
    }
  } finally {
    if (drawing !== null) bar.stop();
  }
};

/** `projections status` and `projections rebuild [name]`, against the running server (operator token from DATA_DIR). */
export const projectionsCommand: CliCommand = (program, io) => {
  const projections = program.command('projections').description('The running server\'s projections: status, and rebuilding them while it serves.');
  projections
    .command('status')
    .description('Print each projection\'s state, checkpoint, the store\'s head and the lag, from the running server.')
    .option('--url <url>', 'the server (default http://HOST:PORT)')
    .option('--json', 'print the report as JSON')
    .action(async (options: { url?: string; json?: boolean }) => {
      const report = await callServer<ProjectionsReport>(io, serverUrl(io, options.url), ADMIN_PROJECTIONS_PATH);
      io.stdout(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${table(report)}\n`);
    });
  projections
    .command('rebuild [name]')
    .description('Rebuild one projection (or all) in the running server: built into new tables from the events, then swapped in at once. Queries keep answering.')
    .option('--url <url>', 'the server (default http://HOST:PORT)')
    .option('--poll <ms>', 'how often the progress is read, in milliseconds', pollInterval, 200)
    .action(async (name: string | undefined, options: { url?: string; poll: number }) => {
      const base = serverUrl(io, options.url);
      const { rebuild } = await callServer<{ rebuild: RebuildProgress }>(io, base, ADMIN_REBUILD_PATH, {
        method: 'POST',
        body: { projections: name === undefined ? [] : [name] },
      });
      io.stderr(`Rebuilding ${rebuild.projections.join(', ')} (rebuild ${rebuild.id})\n`);
      const ended = await followRebuild(io, base, rebuild.id, options.poll);
      if (ended.state === 'failed') throw new CliError(`The rebuild failed: ${ended.error ?? 'unknown'}; the projections serve as before`);
      const ms = Date.parse(ended.finishedAt ?? '') - Date.parse(ended.startedAt);
      io.stderr(`Rebuilt and swapped in: ${ended.swapped.join(', ')} in ${ms} ms\n`);
    });
};
