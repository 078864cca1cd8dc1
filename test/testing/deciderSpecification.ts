import { type ClientCommand, type ClientEvent, type ClientState, decide, evolve, initialState } from '../../src/domain/client';
import { ValidationError, type Violation } from '../../src/errors';

/** The three functions of a decider, as the specification drives them. */
export interface Decider<Command, Event, State> {
  /** `history` is the events `state` was folded from, oldest first (a revert reads the client as it was). */
  decide: (command: Command, state: State, history: readonly Event[]) => Event[];
  evolve: (state: State, event: Event) => State;
  initialState: State;
}

/**
 * One broken rule a command is expected to be refused for. `index` must be given exactly when
 * the violation names a list item: a missing `index` expects a violation without one.
 */
export interface ExpectedViolation {
  field: string;
  rule: string;
  index?: number;
}

/** Any error class, abstract ones included (`AppError`). */
export type ErrorClass = abstract new (...args: never[]) => Error;

/** What can be said about a command once it has been decided on the given history. */
export interface Then<Event, State> {
  /** Expects exactly these events, in order; answers the state they lead to for further checks. */
  then(expected: readonly Event[]): State;
  /** Expects the command to be accepted and to record nothing. */
  thenNothingChanges(): void;
  /**
   * Expects a refusal: an error of the given class, or a ValidationError whose violations are
   * exactly the expected ones (field, rule and index; in any order; each with a message).
   * Answers the error for further checks.
   */
  thenFails(expected: ErrorClass | ExpectedViolation | readonly ExpectedViolation[]): Error;
}

/** The history a command is decided on. */
export interface When<Command, Event, State> {
  /** Decides `command` on the state the given events build, with those events as the history. */
  when(command: Command): Then<Event, State>;
}

/** Freezes `value` and everything it holds, so code that mutates it throws (tests run in strict mode). */
export const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
};

const describeOutcome = (outcome: Outcome<unknown>): string =>
  outcome.ok
    ? `the events ${JSON.stringify(outcome.events)}`
    : `${outcome.error.name}: ${outcome.error.message}${
        outcome.error instanceof ValidationError ? ` ${JSON.stringify(outcome.error.violations)}` : ''
      }`;

type Outcome<Event> = { ok: true; events: Event[] } | { ok: false; error: Error };

const shapeOf = (violation: Violation | ExpectedViolation): ExpectedViolation =>
  violation.index === undefined
    ? { field: violation.field, rule: violation.rule }
    : { field: violation.field, rule: violation.rule, index: violation.index };

const byFieldRuleIndex = (a: ExpectedViolation, b: ExpectedViolation): number =>
  a.field.localeCompare(b.field) || a.rule.localeCompare(b.rule) || (a.index ?? -1) - (b.index ?? -1);

const isErrorClass = (expected: unknown): expected is ErrorClass => typeof expected === 'function';

/**
 * Given/when/then for a decider, in the language of its events and commands:
 * `given(events).when(command).then(events)`, `.thenNothingChanges()` or `.thenFails(...)`.
 * The state and the command are deep-frozen before deciding, so a decider that mutates its
 * inputs fails the specification.
 */
export const deciderSpecification =
  <Command, Event, State>(decider: Decider<Command, Event, State>) =>
  (events: readonly Event[] = []): When<Command, Event, State> => ({
    when(command) {
      const history = deepFreeze(structuredClone(events));
      const state = deepFreeze(structuredClone(events).reduce(decider.evolve, decider.initialState));
      const frozenCommand = deepFreeze(structuredClone(command));
      const outcome: Outcome<Event> = (() => {
        try {
          return { ok: true, events: decider.decide(frozenCommand, state, history) };
        } catch (error) {
          return { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
        }
      })();
      const accepted = (what: string): Event[] => {
        if (!outcome.ok) throw new Error(`Expected ${what}, but the command was refused with ${describeOutcome(outcome)}`);
        return outcome.events;
      };
      return {
        then(expected) {
          const recorded = accepted(`the events ${JSON.stringify(expected)}`);
          expect(recorded).toEqual(expected);
          return recorded.reduce(decider.evolve, state);
        },
        thenNothingChanges() {
          expect(accepted('no events')).toEqual([]);
        },
        thenFails(expected) {
          if (outcome.ok) throw new Error(`Expected a refusal, but the command was accepted with ${describeOutcome(outcome)}`);
          const { error } = outcome;
          if (isErrorClass(expected)) {
            if (!(error instanceof expected)) {
              throw new Error(`Expected a ${expected.name}, but the command was refused with ${describeOutcome(outcome)}`);
            }
            return error;
          }
          if (!(error instanceof ValidationError)) {
            throw new Error(`Expected a ValidationError, but the command was refused with ${describeOutcome(outcome)}`);
          }
          for (const violation of error.violations) expect(violation.message).toEqual(expect.stringMatching(/\S/));
          const wanted = (Array.isArray(expected) ? expected : [expected]) as ExpectedViolation[];
          expect(error.violations.map(shapeOf).sort(byFieldRuleIndex)).toEqual(wanted.map(shapeOf).sort(byFieldRuleIndex));
          return error;
        },
      };
    },
  });

/** `given(events).when(command)...` for the authorization code client decider. */
export const given: (events?: readonly ClientEvent[]) => When<ClientCommand, ClientEvent, ClientState> =
  deciderSpecification<ClientCommand, ClientEvent, ClientState>({ decide, evolve, initialState });
