import type * as Jose from 'jose' with { 'resolution-mode': 'import' };

/**
 * The `jose` library. It ships ES modules only; Node >= 20.19 loads it through require(esm), which
 * TypeScript's `node16` module mode does not model, so it is required here once, with its types.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const jose = require('jose') as typeof Jose;
