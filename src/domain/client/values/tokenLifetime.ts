import { LIMITS } from './limits';
import { type FieldRef, type Parsed, accept, refuse } from './parsed';

/** Reads an access token lifetime: whole seconds from 60 to 3600. */
export const parseTokenLifetime = (raw: number, at: FieldRef): Parsed<number> => {
  const { minTokenLifetime: min, maxTokenLifetime: max } = LIMITS;
  if (typeof raw !== 'number' || !Number.isInteger(raw)) {
    return refuse(
      at,
      'tokenLifetime',
      `Token lifetime must be a whole number of seconds between ${min} and ${max} (got ${String(raw)})`,
    );
  }
  if (raw < min || raw > max) {
    return refuse(at, 'tokenLifetime', `Token lifetime must be between ${min} and ${max} seconds (got ${raw})`);
  }
  return accept(raw);
};
