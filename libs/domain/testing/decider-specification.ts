import { DomainError, type DomainErrorCode } from '../src';

interface DeciderUnderTest<Command, Event, State> {
  initialState(): State;
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
}

interface Then<Event> {
  then(expected: Event[]): void;
  thenThrows(code: DomainErrorCode, details?: Record<string, unknown>): void;
}

interface Given<Command, State, Event> {
  state: State;
  when(command: Command): Then<Event>;
}

/**
 * Given-when-then for deciders, as in Emmett's DeciderSpecification:
 * `given(events).when(command).then(events)` or `.thenThrows(code)`.
 */
export function specificationFor<Command, Event, State>(
  decider: DeciderUnderTest<Command, Event, State>,
): { given(events: Event[]): Given<Command, State, Event> } {
  return {
    given(events: Event[]) {
      const state = events.reduce((current, event) => decider.evolve(current, event), decider.initialState());
      return {
        state,
        when(command: Command) {
          const run = (): Event[] => decider.decide(command, state);
          return {
            then(expected: Event[]): void {
              expect(run()).toEqual(expected);
            },
            thenThrows(code: DomainErrorCode, details?: Record<string, unknown>): void {
              expectDomainError(run, code, details);
            },
          };
        },
      };
    },
  };
}

/** `run` throws a domain error with this code and, field by field, these details. */
export function expectDomainError(run: () => unknown, code: DomainErrorCode, details?: Record<string, unknown>): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(DomainError);
  expect((thrown as DomainError).code).toBe(code);
  if (details) expect((thrown as DomainError).details).toMatchObject(details);
}
