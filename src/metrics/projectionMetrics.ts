import { Gauge } from 'prom-client';
import { type ProjectionLag } from '../../projections/lag';
import { metricsRegistry } from './registry';

const STATES = ['stopped', 'catchingUp', 'live', 'reconnecting', 'failed'] as const satisfies readonly ProjectionLag['state'][];

type LagSource = () => Promise<ProjectionLag[]>;

let sources: LagSource[] = [];
/** One reading per scrape, shared by the four gauges below, which are collected one after another. */
let reading: Promise<ProjectionLag[]> | null = null;

const currentLags = (): Promise<ProjectionLag[]> => {
  reading ??= Promise.all(sources.map((source) => source())).then((all) => all.flat());
  return reading;
};

/** Starts a scrape: the projections are read afresh, once, for all their gauges. */
export const startProjectionReading = (): void => {
  reading = null;
};

const projectionGauge = (name: string, help: string, value: (lag: ProjectionLag) => number) =>
  new Gauge({
    name,
    help,
    labelNames: ['projection'] as const,
    registers: [metricsRegistry],
    async collect() {
      this.reset();
      for (const lag of await currentLags()) this.set({ projection: lag.name }, value(lag));
    },
  });

projectionGauge('projection_position', 'The position of the last event each projection applied (its checkpoint)', (lag) =>
  lag.checkpoint === null ? 0 : Number(lag.checkpoint.split('.')[0]),
);
projectionGauge('projection_lag_events', 'Positions between the store head and the projection checkpoint (events, on the embedded store)', (lag) => lag.lagEvents);
projectionGauge('projection_lag_seconds', 'Seconds since the store first held an event the projection has not applied', (lag) => lag.lagSeconds);

new Gauge({
  name: 'projection_state',
  help: 'Each projection state, 1 for the current one: stopped, catchingUp, live, reconnecting, failed',
  labelNames: ['projection', 'state'] as const,
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    for (const lag of await currentLags()) {
      for (const state of STATES) this.set({ projection: lag.name, state }, lag.state === state ? 1 : 0);
    }
  },
});

/** Makes a running app's projections part of the metrics; answers how to take them out again (on stop). */
export const reportProjections = (source: LagSource): (() => void) => {
  sources = [...sources, source];
  reading = null;
  return () => {
    sources = sources.filter((other) => other !== source);
    reading = null;
  };
};
