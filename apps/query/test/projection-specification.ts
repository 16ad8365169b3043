import type { ValidEvent } from '@of/contracts';
import type { Projection, ReadModelDocument } from '../src/projections/projection';

interface Then<D> {
  /** The document after the events, matched field by field (fields not named are not checked). */
  then(expected: Partial<Record<keyof D, unknown>>): void;
  /** Applying the events fails with a message that matches. */
  thenFails(message: RegExp): void;
}

/**
 * Given/when/then for projections, in the shape of Emmett's projection
 * specifications: given the events an aggregate already had, when the next
 * ones arrive, then its document. Pure: no store, no engine.
 */
export function projectionSpecification<D extends ReadModelDocument, E extends ValidEvent>(
  projection: Projection<D, E>,
): { given(...events: E[]): { when(...events: E[]): Then<D> } } {
  const fold = (events: E[]): D | null =>
    events.reduce<D | null>((document, event) => projection.apply(document, event), null);
  return {
    given: (...history) => ({
      when: (...events) => ({
        then(expected) {
          expect(fold([...history, ...events])).toMatchObject(expected);
        },
        thenFails(message) {
          expect(() => fold([...history, ...events])).toThrow(message);
        },
      }),
    }),
  };
}
