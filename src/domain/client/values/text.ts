/** Counts Unicode code points, so an emoji or any other astral character counts as one character. */
export const codePointLength = (text: string): number => {
  let length = 0;
  for (const _ of text) length += 1;
  return length;
};

/** Names a character for a message: itself in quotes when visible, else its code (`U+0009`). */
export const describeCharacter = (char: string): string =>
  /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(char)
    ? `'${char}'`
    : `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** The first character of `text` that `pattern` (one character class, `u` flag) matches. */
export const firstMatch = (text: string, pattern: RegExp): string | undefined => pattern.exec(text)?.[0];

/** Unicode control characters (general category Cc). */
export const CONTROL_CHARACTER = /\p{Cc}/u;

/** A surrogate code unit without its partner: the text is not valid Unicode. */
export const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Invisible formatting and line/paragraph separators (Cf, Zl, Zp) that can hide or reorder what
 * a name shows (zero-width space, bidi overrides). The zero-width joiner and non-joiner stay
 * allowed: emoji sequences and several scripts need them.
 */
export const INVISIBLE_FORMATTING = /(?![\u200C\u200D])[\p{Cf}\p{Zl}\p{Zp}]/u;

/** Something a reader sees: a letter, digit, punctuation mark or symbol. */
export const VISIBLE_CHARACTER = /[\p{L}\p{N}\p{P}\p{S}]/u;
