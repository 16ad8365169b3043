/**
 * A decider in the style of Emmett: pure functions over plain data.
 * `decide` returns the events a command causes (or throws a DomainError);
 * `evolve` folds one event into the state. Time and ids arrive in commands.
 */
export interface Decider<Command, Event, State> {
  initialState(): State;
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
}

export function fold<Event, State>(
  decider: Pick<Decider<never, Event, State>, 'initialState' | 'evolve'>,
  events: readonly Event[],
): State {
  return events.reduce(decider.evolve, decider.initialState());
}
