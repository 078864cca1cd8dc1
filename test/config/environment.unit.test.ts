import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../src/auth';
import { loadConfig } from '../../src/config';
import { ENVIRONMENT_DEFAULTS, readEnvironment } from '../../src/environment';

/** The rows of the README's configuration table: variable, default. */
const documented = (): [string, string][] => {
  const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1));
  return [...section.matchAll(/^\| `([A-Z_]+)` \|([^|]*)\|/gm)].map(([, name, value]) => [name, value.trim().replace(/^`|`$/g, '')]);
};

describe('the environment', () => {
  it('is read from one table of defaults, which the README lists variable by variable', () => {
    const table = Object.entries(ENVIRONMENT_DEFAULTS);
    expect(documented().sort()).toEqual(table.sort());
  });

  it('trims values and falls back to the default when a variable is unset or blank', () => {
    expect(readEnvironment({ PORT: ' 5000 ' }, 'PORT')).toBe('5000');
    expect(readEnvironment({ PORT: '  ' }, 'PORT')).toBe('4000');
    expect(readEnvironment({}, 'AUTH_ISSUER')).toBe('');
  });
});

describe('PROJECTION_BATCH_SIZE', () => {
  it('bounds how many events the projections apply in one transaction: 500 by default, 1 to 10000', () => {
    expect(loadConfig({}).projectionBatchSize).toBe(500);
    expect(loadConfig({ PROJECTION_BATCH_SIZE: '10000' }).projectionBatchSize).toBe(10_000);
    expect(loadConfig({ PROJECTION_BATCH_SIZE: '1' }).projectionBatchSize).toBe(1);
    for (const bad of ['0', '10001', '12.5', 'many']) {
      expect(() => loadConfig({ PROJECTION_BATCH_SIZE: bad })).toThrow(
        new ConfigError(`PROJECTION_BATCH_SIZE must be a whole number from 1 to 10000; it is "${bad}"`),
      );
    }
  });
});

describe('METRICS_PORT', () => {
  it('serves /metrics on the main port when unset, on its own port when a number, nowhere when off', () => {
    expect(loadConfig({}).metrics).toEqual({ serve: 'main' });
    expect(loadConfig({ METRICS_PORT: '9464' }).metrics).toEqual({ serve: 'port', port: 9464 });
    expect(loadConfig({ METRICS_PORT: '0' }).metrics).toEqual({ serve: 'port', port: 0 });
    expect(loadConfig({ METRICS_PORT: 'OFF' }).metrics).toEqual({ serve: 'off' });
    for (const bad of ['65536', '-1', 'yes', '94.64']) {
      expect(() => loadConfig({ METRICS_PORT: bad })).toThrow(
        new ConfigError(`METRICS_PORT must be "off" or a port number from 0 to 65535 (unset: /metrics on the main port); it is "${bad}"`),
      );
    }
  });
});
