import { type Violation } from '../../../src/errors';
import { type Parsed } from '../../../src/domain/client/values';

/** The accepted value, or a failed expectation naming the violations. */
export const valueOf = <T>(parsed: Parsed<T>): T => {
  if (!parsed.ok) throw new Error(`expected the value to be accepted, got ${JSON.stringify(parsed.violations)}`);
  return parsed.value;
};

/** The violations of a refusal, or a failed expectation naming the accepted value. */
export const violationsOf = (parsed: Parsed<unknown>): Violation[] => {
  if (parsed.ok) throw new Error(`expected the value to be refused, got ${JSON.stringify(parsed.value)}`);
  return parsed.violations;
};

/** The message of a refusal with exactly one violation. */
export const messageOf = (parsed: Parsed<unknown>): string => {
  const violations = violationsOf(parsed);
  expect(violations).toHaveLength(1);
  return violations[0].message;
};
