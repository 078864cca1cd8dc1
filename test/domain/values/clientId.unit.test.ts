import fc from 'fast-check';
import { parseClientId } from '../../../src/domain/client/values';
import { messageOf, valueOf } from './parsedHelpers';

const at = { field: 'id' };

describe('parseClientId', () => {
  it.each([
    ['3f2b8c9e-1d4a-4e6b-9c7d-2a5f8e1b0c3d', '3f2b8c9e-1d4a-4e6b-9c7d-2a5f8e1b0c3d'],
    ['3F2B8C9E-1D4A-4E6B-9C7D-2A5F8E1B0C3D', '3f2b8c9e-1d4a-4e6b-9c7d-2a5f8e1b0c3d'],
    ['3f2B8c9E-1d4A-4e6B-9c7D-2a5F8e1B0c3D', '3f2b8c9e-1d4a-4e6b-9c7d-2a5f8e1b0c3d'],
    ['  3f2b8c9e-1d4a-4e6b-9c7d-2a5f8e1b0c3d\n', '3f2b8c9e-1d4a-4e6b-9c7d-2a5f8e1b0c3d'],
    ['00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000001'],
    ['01890a5d-ac96-774b-bcce-b302099a8057', '01890a5d-ac96-774b-bcce-b302099a8057'],
  ])('accepts %j as %s', (raw, id) => {
    expect(parseClientId(raw, at)).toEqual({ ok: true, value: id });
  });

  it.each([
    [''],
    ['not-a-uuid'],
    ['3f2b8c9e1d4a4e6b9c7d2a5f8e1b0c3d'],
    ['{3f2b8c9e-1d4a-4e6b-9c7d-2a5f8e1b0c3d}'],
    ['urn:uuid:3f2b8c9e-1d4a-4e6b-9c7d-2a5f8e1b0c3d'],
    ['3f2b8c9e-1d4a-4e6b-9c7d-2a5f8e1b0c3'],
    ['3f2b8c9e-1d4a-4e6b-9c7d-2a5f8e1b0c3dd'],
    ['3f2b8c9g-1d4a-4e6b-9c7d-2a5f8e1b0c3d'],
    ['3f2b8c9e-1d4a4-e6b-9c7d-2a5f8e1b0c3d'],
    ['3f2b8c9e 1d4a 4e6b 9c7d 2a5f8e1b0c3d'],
    ['3f2b8c9e-1d4a-4e6b-9c7d-2a5f8e1b0c3d\u0000'],
  ])('refuses %j as not a UUID', (raw) => {
    expect(parseClientId(raw, at)).toEqual({
      ok: false,
      violations: [{ field: 'id', rule: 'uuid', message: expect.stringMatching(/must be a UUID .*8-4-4-4-12/) }],
    });
  });

  it.each([
    ['00000000-0000-0000-0000-000000000000', /nil UUID/],
    ['ffffffff-ffff-ffff-ffff-ffffffffffff', /max UUID/],
    ['FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', /max UUID/],
  ])('refuses the special UUID %s', (raw, message) => {
    expect(messageOf(parseClientId(raw, at))).toMatch(message);
  });

  it('names the index when the id came from a list', () => {
    expect(parseClientId('x', { field: 'ids', index: 3 })).toEqual({
      ok: false,
      violations: [expect.objectContaining({ field: 'ids', index: 3, rule: 'uuid' })],
    });
  });

  it('answers any UUID, in any case, in lower case', () => {
    const anyCase = fc
      .tuple(fc.uuid(), fc.array(fc.boolean(), { minLength: 36, maxLength: 36 }))
      .map(([id, upper]) => [...id].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''));
    fc.assert(
      fc.property(anyCase, (raw) => {
        expect(valueOf(parseClientId(raw, at))).toBe(raw.toLowerCase());
      }),
    );
  });

  it('accepts nothing but the 8-4-4-4-12 hexadecimal form', () => {
    fc.assert(
      fc.property(fc.string(), (raw) => {
        const parsed = parseClientId(raw, at);
        const text = raw.trim();
        const wellFormed = /^[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i.test(text);
        expect(parsed.ok).toBe(wellFormed && !/^[0-]+$/.test(text) && !/^[f-]+$/i.test(text));
      }),
    );
  });
});
