import { UUID } from '@eventstore/db-client/generated/shared_pb';

/** The all-zero Guid that the server's Event constructor refuses. */
export const emptyGuid = '00000000-0000-0000-0000-000000000000';

const formats = [
  /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/i,
  /^\{([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})\}$/i,
  /^\(([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})\)$/i,
  /^([0-9a-f]{8})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{12})$/i,
];

const hyphenate = (hex: string): string =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`.toLowerCase();

/** Uuid.FromDto: a string in one of Guid.Parse's D, B, P or N forms, or structured msb/lsb; throws like the server. */
export const parseUuid = (dto: UUID | undefined): string => {
  if (!dto) throw new TypeError('Value cannot be null. (Parameter dto)');
  if (dto.hasStructured()) {
    const structured = dto.getStructured()!;
    const half = (bits: string): string => BigInt.asUintN(64, BigInt(bits)).toString(16).padStart(16, '0');
    return hyphenate(half(structured.getMostSignificantBits()) + half(structured.getLeastSignificantBits()));
  }
  if (!dto.hasString()) throw new TypeError(`Invalid argument: ${dto.getValueCase()}`);
  const text = dto.getString().trim();
  const match = formats.map((format) => format.exec(text)).find((result) => result !== null);
  if (!match) throw new SyntaxError(`Unrecognized Guid format: ${text}`);
  return hyphenate(match.slice(1).join(''));
};

/** The id as the Read response carries it: a string for UUIDOption.string, else structured (Uuid.ToDto). */
export const toUuidDto = (id: string, asString: boolean): UUID => {
  const dto = new UUID();
  if (asString) return dto.setString(id);
  const hex = id.replace(/-/g, '');
  const signed = (part: string): string => BigInt.asIntN(64, BigInt(`0x${part}`)).toString();
  return dto.setStructured(
    new UUID.Structured().setMostSignificantBits(signed(hex.slice(0, 16))).setLeastSignificantBits(signed(hex.slice(16))),
  );
};
