import { readFileSync } from 'node:fs';
import path from 'node:path';
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
