import 'reflect-metadata';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { type Variant, rebuildWith, startServer } from './process';
import { httpScenarios, runHttpScenarios } from './scenarios';
import { seedEvents } from './seed';
import { type SoakOptions, runSoak, soakTable } from './soak';

/** A command-line number that must be above 0. */
const positive = (value: string) => {
  const number = Number(value);
  if (!(number > 0)) throw new InvalidArgumentError('Not a positive number.');
  return number;
};

/**
 * The benchmark: each variant (this build, and optionally a baseline build of another checkout)
 * runs as its own server process on a fresh temporary store, driven over HTTP from this process,
 * in alternating rounds; then each rebuilds a read model from the same seeded events. It prints
 * the median of each figure per variant and, with a baseline, the ratio this / baseline. The
 * figures compare runs on one machine; they are not absolute truths.
 *
 * With `--soak <seconds>` it runs only the soak instead: this build, a steady mix of reads and
 * writes for that long, counting errors and sampling the server's memory; it exits 1 on any error.
 */
const options = new Command('bench')
  .option('--baseline <dir>', 'a built checkout to compare against (its dist/ is run)')
  .option('--rounds <n>', 'alternating rounds', (value) => Number(value), 3)
  .option('--scale <x>', 'operations per scenario, as a share of the full run', (value) => Number(value), 1)
  .option('--rebuild-clients <n>', 'clients seeded for the rebuild scenario (6 events each)', (value) => Number(value), 5000)
  .addOption(
    new Option('--soak <seconds>', 'run only the soak, for this long: mixed reads and writes at a steady rate')
      .argParser(positive)
      .conflicts('baseline'),
  )
  .option('--soak-rate <n>', 'requests a second during the soak', positive, 50)
  .parse()
  .opts<{ baseline?: string; rounds: number; scale: number; rebuildClients: number; soak?: number; soakRate: number }>();

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const say = (line: string) => process.stdout.write(`${line}\n`);

const benchmark = async () => {
  const variants: Variant[] = [{ name: 'this', root: path.resolve(__dirname, '..', '..') }];
  if (options.baseline) variants.push({ name: 'baseline', root: path.resolve(options.baseline) });
  const figures = new Map<string, Map<string, number[]>>();
  const record = (scenario: string, variant: string, value: number) => {
    if (!figures.has(scenario)) figures.set(scenario, new Map(variants.map((v) => [v.name, []])));
    figures.get(scenario)!.get(variant)!.push(value);
  };
  const seeded = mkdtempSync(path.join(tmpdir(), 'acc-bench-seed-'));
  try {
    const events = options.rebuildClients > 0 ? await seedEvents(seeded, options.rebuildClients, 5) : 0;
    for (let round = 0; round < options.rounds; round += 1) {
      const order = round % 2 === 0 ? variants : [...variants].reverse();
      for (const variant of order) {
        process.stderr.write(`round ${round + 1}/${options.rounds}: ${variant.name}\n`);
        const dataDir = mkdtempSync(path.join(tmpdir(), 'acc-bench-'));
        const server = await startServer(variant, dataDir);
        try {
          for (const [name, m] of await runHttpScenarios(server, httpScenarios(options.scale))) {
            record(`${name}, ops/s`, variant.name, m.opsPerSecond);
            if (m.serverCpuUs !== null) record(`${name}, server CPU µs/op (lower is better)`, variant.name, m.serverCpuUs);
          }
        } finally {
          await server.stop();
          rmSync(dataDir, { recursive: true, force: true });
        }
        if (events > 0) {
          const copy = mkdtempSync(path.join(tmpdir(), 'acc-bench-rebuild-'));
          cpSync(seeded, copy, { recursive: true });
          record(`rebuild from ${events} events, ms (lower is better)`, variant.name, await rebuildWith(variant, copy));
          rmSync(copy, { recursive: true, force: true });
        }
      }
    }
  } finally {
    rmSync(seeded, { recursive: true, force: true });
  }
  say(`| scenario | ${variants.map((v) => v.name).join(' | ')}${variants.length > 1 ? ' | this / baseline' : ''} |`);
  say(`| --- | ${variants.map(() => '---').join(' | ')}${variants.length > 1 ? ' | --- |' : ''}`);
  for (const [scenario, byVariant] of figures) {
    const medians = variants.map((v) => median(byVariant.get(v.name)!));
    const ratio = medians.length > 1 ? ` | ${(medians[0] / medians[1]).toFixed(2)}` : '';
    say(`| ${scenario} | ${medians.map((m) => m.toFixed(0)).join(' | ')}${ratio} |`);
  }
};

const soak = async (seconds: number) => {
  const soakOptions: SoakOptions = { seconds, rate: options.soakRate, clients: 500, warmUpSeconds: 20 };
  const dataDir = mkdtempSync(path.join(tmpdir(), 'acc-soak-'));
  const server = await startServer({ name: 'this', root: path.resolve(__dirname, '..', '..') }, dataDir);
  try {
    const result = await runSoak(server, soakOptions);
    say(`Soak: ${seconds} s at ${options.soakRate} requests/s, 80% reads and 20% writes, on ${soakOptions.clients} seeded clients`);
    soakTable(result, soakOptions).forEach(say);
    for (const error of result.firstErrors) process.stderr.write(`error: ${error}\n`);
    if (result.errors > 0) process.exitCode = 1;
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
};

(options.soak === undefined ? benchmark() : soak(options.soak)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
