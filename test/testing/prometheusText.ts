/**
 * A strict parser of the Prometheus text exposition format (version 0.0.4), for tests: it throws
 * on any line a scraper would reject or that the format does not allow (a sample without a TYPE
 * before it, a bad name or escape, a duplicate series), so a passing parse means a valid scrape.
 */

/** One sample line. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A metric family: its TYPE, HELP and samples. */
export interface MetricFamily {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help: string;
  samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const SUFFIXES: Record<MetricFamily['type'], string[]> = {
  counter: [''],
  gauge: [''],
  untyped: [''],
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

/** A value as Prometheus reads it (Go's ParseFloat): a decimal or exponent number, or NaN / ±Inf in any case. */
const parseValue = (text: string, line: number): number => {
  if (/^\+?inf$/i.test(text)) return Infinity;
  if (/^-inf$/i.test(text)) return -Infinity;
  if (/^nan$/i.test(text)) return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`line ${line}: "${text}" is not a sample value`);
  return Number(text);
};

/** Reads `{a="x",b="y"}` from `text` at `start`; answers the labels and where they end. */
const parseLabels = (text: string, start: number, line: number): { labels: Record<string, string>; end: number } => {
  const labels: Record<string, string> = {};
  let at = start + 1;
  for (;;) {
    if (text[at] === '}') return { labels, end: at + 1 };
    const eq = text.indexOf('=', at);
    if (eq < 0) throw new Error(`line ${line}: a label without "="`);
    const name = text.slice(at, eq);
    if (!LABEL_NAME.test(name)) throw new Error(`line ${line}: "${name}" is not a label name`);
    if (name in labels) throw new Error(`line ${line}: label ${name} given twice`);
    if (text[eq + 1] !== '"') throw new Error(`line ${line}: label ${name}'s value is not quoted`);
    let value = '';
    at = eq + 2;
    for (;;) {
      const char = text[at];
      if (char === undefined) throw new Error(`line ${line}: unterminated label value`);
      if (char === '"') break;
      if (char === '\\') {
        const next = text[at + 1];
        if (next === 'n') value += '\n';
        else if (next === '\\' || next === '"') value += next;
        else throw new Error(`line ${line}: bad escape \\${next ?? ''}`);
        at += 2;
      } else {
        value += char;
        at += 1;
      }
    }
    labels[name] = value;
    at += 1;
    if (text[at] === ',') at += 1;
    else if (text[at] !== '}') throw new Error(`line ${line}: expected "," or "}" after label ${name}`);
  }
};

/** Parses a scrape into its metric families, by name; throws naming the first line that is wrong. */
export const parsePrometheusText = (text: string): Map<string, MetricFamily> => {
  const families = new Map<string, MetricFamily>();
  const series = new Set<string>();
  const familyOf = (sample: string): MetricFamily | undefined => {
    for (const family of families.values()) {
      if (SUFFIXES[family.type].some((suffix) => sample === family.name + suffix)) return family;
    }
    return undefined;
  };
  if (text.length > 0 && !text.endsWith('\n')) throw new Error('the scrape does not end with a newline');
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(raw);
    if (meta) {
      const [, kind, name, rest] = meta;
      if (!METRIC_NAME.test(name)) throw new Error(`line ${line}: "${name}" is not a metric name`);
      const family = families.get(name) ?? { name, type: 'untyped' as const, help: '', samples: [] };
      if (kind === 'TYPE') {
        if (!TYPES.has(rest)) throw new Error(`line ${line}: "${rest}" is not a metric type`);
        if (family.samples.length > 0) throw new Error(`line ${line}: TYPE of ${name} after its samples`);
        family.type = rest as MetricFamily['type'];
      } else {
        family.help = rest.replace(/\\n/g, '\n').replace(/\\\\/g, '\\');
      }
      families.set(name, family);
      return;
    }
    if (raw.startsWith('#')) return;
    const nameEnd = raw.search(/[{ ]/);
    if (nameEnd <= 0) throw new Error(`line ${line}: not a sample`);
    const name = raw.slice(0, nameEnd);
    if (!METRIC_NAME.test(name)) throw new Error(`line ${line}: "${name}" is not a metric name`);
    const { labels, end } = raw[nameEnd] === '{' ? parseLabels(raw, nameEnd, line) : { labels: {}, end: nameEnd };
    const fields = raw.slice(end).trim().split(' ');
    if (raw[end] !== ' ' || fields.length < 1 || fields.length > 2) throw new Error(`line ${line}: expected a value (and a timestamp) after the labels`);
    const family = familyOf(name);
    if (!family) throw new Error(`line ${line}: sample ${name} has no TYPE before it`);
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (series.has(key)) throw new Error(`line ${line}: series ${key} given twice`);
    series.add(key);
    if (family.type === 'histogram' && name.endsWith('_bucket') && !('le' in labels)) throw new Error(`line ${line}: a histogram bucket without "le"`);
    family.samples.push({ name, labels, value: parseValue(fields[0], line) });
  });
  return families;
};

/** The value of the one sample named `name` whose labels include `labels`; 0 when there is none. */
export const sampleValue = (families: Map<string, MetricFamily>, name: string, labels: Record<string, string> = {}): number => {
  const matching = [...families.values()]
    .flatMap((family) => family.samples)
    .filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value));
  return matching.reduce((sum, sample) => sum + sample.value, 0);
};
