import { UUID_PATTERN } from '../../../jsutils';
import { type FieldRef, type Parsed, accept, refuse } from './parsed';

const NIL = '00000000-0000-0000-0000-000000000000';
const MAX = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

/** Reads a client id: a UUID in its 8-4-4-4-12 hexadecimal form, any case, answered in lower case. */
export const parseClientId = (raw: string, at: FieldRef): Parsed<string> => {
  const text = raw.trim();
  if (!UUID_PATTERN.test(text)) {
    return refuse(
      at,
      'uuid',
      'Client id must be a UUID of 32 hexadecimal digits in the form 8-4-4-4-12, such as 3f2b8c9e-1d4a-4e6b-9c7d-2a5f8e1b0c3d',
    );
  }
  const id = text.toLowerCase();
  if (id === NIL) return refuse(at, 'uuid', 'Client id must not be the nil UUID (all zeros)');
  if (id === MAX) return refuse(at, 'uuid', "Client id must not be the max UUID (all 'f')");
  return accept(id);
};
