import { type ServerProcess } from './process';
import { ADD, ADD_REDIRECT_URL, CLIENT_BY_ID, RENAME, gqlOf, percentile, postGraphql } from './scenarios';

/** How a soak runs. */
export interface SoakOptions {
  seconds: number;
  /** Requests started a second, on a fixed schedule however slowly the server answers. */
  rate: number;
  /** Clients added before the soak starts. */
  clients: number;
  /** Seconds of load before the memory sample that counts as the start. */
  warmUpSeconds: number;
}

/** The server's resident memory at one moment: seconds since the soak started, and bytes. */
interface RssSample {
  t: number;
  bytes: number;
}

/** What a soak saw. */
export interface SoakResult {
  sent: number;
  /** Requests that got an HTTP answer, whatever its status. */
  answered: number;
  /** Non-200 answers, answers carrying GraphQL `errors`, and requests that got no answer in time. */
  errors: number;
  /** The first few errors, for the report. */
  firstErrors: string[];
  p50: number;
  p99: number;
  /** Null when the server's memory cannot be read (no /proc) or the soak was shorter than its warm-up. */
  rss: { start: number; end: number; peak: number; growthPerMinute: number } | null;
}

type Kind = 'read by id' | 'list with search' | 'audit trail page' | 'add' | 'rename' | 'addRedirectUrl';

/** One cycle of the mix: 16 reads and 4 writes in 20 requests. */
const MIX: Kind[] = [
  ...Array<Kind>(8).fill('read by id'),
  ...Array<Kind>(5).fill('list with search'),
  ...Array<Kind>(3).fill('audit trail page'),
  'add',
  'rename',
  'rename',
  'addRedirectUrl',
];

const LIST = `query($search: String!) { authorizationCodeClients(first: 20, filter: { search: $search }) { totalCount nodes { id name } } }`;
const AUDIT_PAGE = `query($after: String) { auditTrail(first: 50, after: $after) { nodes { id action changes { field before after } } pageInfo { endCursor hasNextPage } } }`;

/** Pages of the audit trail read in a row before starting again from the newest. */
const AUDIT_DEPTH = 5;
const SAMPLE_EVERY_MS = 5000;
const TIMEOUT_MS = 10_000;

const inputOf = (name: string) => ({ name, allowedRedirectUrls: ['https://soak.example.com/cb'], tags: ['soak'] });

/** The i-th request of the soak: its kind, query and variables, and what to keep from its answer. */
const requestOf = (i: number, ids: string[], audit: { after: string | null; page: number }) => {
  const kind = MIX[i % MIX.length];
  const clientId = ids[(i * 7919) % ids.length];
  switch (kind) {
    case 'read by id':
      return { kind, query: CLIENT_BY_ID, variables: { id: clientId } };
    case 'list with search':
      return { kind, query: LIST, variables: { search: `Soak ${i % 50}` } };
    case 'audit trail page':
      return {
        kind,
        query: AUDIT_PAGE,
        variables: { after: audit.after },
        keep: (data: any) => {
          const { endCursor, hasNextPage } = data.auditTrail.pageInfo;
          audit.page = hasNextPage && audit.page < AUDIT_DEPTH - 1 ? audit.page + 1 : 0;
          audit.after = audit.page === 0 ? null : endCursor;
        },
      };
    case 'add':
      return {
        kind,
        query: ADD,
        variables: { i: inputOf(`Soak added ${i}`) },
        keep: (data: any) => ids.push(data.addAuthorizationCodeClient.client.id),
      };
    case 'rename':
      return { kind, query: RENAME, variables: { i: { clientId, name: `Soak ${i % 1000} renamed` } } };
    case 'addRedirectUrl':
      // Nine URLs at most, beside the first: a client never passes the limit of ten.
      return { kind, query: ADD_REDIRECT_URL, variables: { i: { clientId, url: `https://soak.example.com/cb/${i % 9}` } } };
    default:
      return kind satisfies never;
  }
};

/** Adds `count` clients, 10 at a time; answers their ids. */
const seedClients = async (server: ServerProcess, count: number): Promise<string[]> => {
  const gql = gqlOf(server);
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (next < count) {
        const data = await gql(ADD, { i: inputOf(`Soak ${next++}`) });
        ids.push(data.addAuthorizationCodeClient.client.id);
      }
    }),
  );
  return ids;
};

/** Bytes a second, fitted by least squares over the samples. */
const slopeOf = (samples: RssSample[]) => {
  const meanT = samples.reduce((sum, s) => sum + s.t, 0) / samples.length;
  const meanB = samples.reduce((sum, s) => sum + s.bytes, 0) / samples.length;
  const covariance = samples.reduce((sum, s) => sum + (s.t - meanT) * (s.bytes - meanB), 0);
  const variance = samples.reduce((sum, s) => sum + (s.t - meanT) ** 2, 0);
  return covariance / variance;
};

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

/**
 * Seeds clients, then drives a steady, open-loop mix of reads and writes at `rate` requests a
 * second for `seconds`, sampling the server's resident memory every 5 s and counting every error.
 * Progress goes to stderr.
 */
export const runSoak = async (server: ServerProcess, options: SoakOptions): Promise<SoakResult> => {
  process.stderr.write(`soak: seeding ${options.clients} clients\n`);
  const ids = await seedClients(server, options.clients);
  const audit = { after: null as string | null, page: 0 };
  const latencies: number[] = [];
  const samples: RssSample[] = [];
  const firstErrors: string[] = [];
  const inFlight = new Set<Promise<void>>();
  const total = Math.round(options.seconds * options.rate);
  let sent = 0;
  let answered = 0;
  let errors = 0;

  const fail = (kind: Kind, what: string) => {
    errors += 1;
    if (firstErrors.length < 5) firstErrors.push(`${kind}: ${what}`);
  };
  const send = (i: number) => {
    const request = requestOf(i, ids, audit);
    const t0 = performance.now();
    const done = postGraphql(server, request.query, request.variables, AbortSignal.timeout(TIMEOUT_MS)).then(
      ({ status, body }) => {
        latencies.push(performance.now() - t0);
        answered += 1;
        if (status !== 200 || body === null || body.errors) fail(request.kind, `HTTP ${status} ${JSON.stringify(body?.errors ?? body)}`);
        else request.keep?.(body.data);
      },
      (error: unknown) => fail(request.kind, error instanceof Error ? error.message : String(error)),
    );
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
  };

  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const sample = () => {
    const bytes = server.rssBytes();
    if (bytes !== null) samples.push({ t: seconds(), bytes });
    const rss = bytes === null ? 'n/a' : `${mb(bytes)} MB`;
    process.stderr.write(`soak ${seconds().toFixed(0)}/${options.seconds} s: sent ${sent}, answered ${answered}, errors ${errors}, RSS ${rss}\n`);
  };
  sample();
  const sampler = setInterval(sample, SAMPLE_EVERY_MS);
  await new Promise<void>((resolve) => {
    const pacer = setInterval(() => {
      const due = Math.min(total, Math.floor(seconds() * options.rate));
      while (sent < due) send(sent++);
      if (sent === total) {
        clearInterval(pacer);
        resolve();
      }
    }, 5);
  });
  await Promise.all(inFlight);
  clearInterval(sampler);
  sample();

  latencies.sort((a, b) => a - b);
  const counted = samples.filter((s) => s.t >= options.warmUpSeconds);
  const rss =
    counted.length < 2
      ? null
      : {
          start: counted[0].bytes,
          end: counted[counted.length - 1].bytes,
          peak: Math.max(...samples.map((s) => s.bytes)),
          growthPerMinute: slopeOf(counted) * 60,
        };
  return { sent, answered, errors, firstErrors, p50: percentile(latencies, 50), p99: percentile(latencies, 99), rss };
};

/** The soak's figures as a Markdown table. */
export const soakTable = (result: SoakResult, options: SoakOptions): string[] => {
  const rows: [string, string][] = [
    ['requests sent', String(result.sent)],
    ['requests answered', String(result.answered)],
    ['errors', String(result.errors)],
    ['latency p50, ms', result.p50?.toFixed(1) ?? 'n/a'],
    ['latency p99, ms', result.p99?.toFixed(1) ?? 'n/a'],
  ];
  if (result.rss) {
    rows.push(
      [`RSS at start (after ${options.warmUpSeconds} s warm-up), MB`, mb(result.rss.start)],
      ['RSS at end, MB', mb(result.rss.end)],
      ['RSS peak, MB', mb(result.rss.peak)],
      ['RSS growth, MB/min (linear fit after warm-up)', (result.rss.growthPerMinute / 1024 / 1024).toFixed(2)],
    );
  } else {
    rows.push(['RSS', 'not measured (no /proc, or the soak is shorter than its warm-up)']);
  }
  return ['| figure | value |', '| --- | --- |', ...rows.map(([name, value]) => `| ${name} | ${value} |`)];
};
