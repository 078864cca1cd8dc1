/**
 * Whether two strings are equal, taking the same time whatever the first difference: for secrets
 * (token hashes) compared where an attacker may time the answer. Pure, so the domain may use it.
 */
export const sameText = (a: string, b: string): boolean => {
  let difference = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    difference |= (a.charCodeAt(i % (a.length || 1)) || 0) ^ (b.charCodeAt(i % (b.length || 1)) || 0);
  }
  return difference === 0;
};
