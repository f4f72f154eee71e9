import { parameterInvalid } from './errors';
import type { Params } from './params';
import type { SandboxState } from './state';

/** Fields holding the id of another object that `expand[]` can replace with the object itself. */
export type ExpandableField = 'latest_charge' | 'charge' | 'payment_intent';

const LOOKUPS: Readonly<Record<ExpandableField, (state: SandboxState, id: string) => object | undefined>> = {
  latest_charge: (state, id) => state.charges.get(id),
  charge: (state, id) => state.charges.get(id),
  payment_intent: (state, id) => state.paymentIntents.get(id),
};

/** The `expand` parameter, checked against the fields this object can expand (nested paths are not supported). */
export function readExpand(params: Params, expandable: readonly ExpandableField[]): ExpandableField[] {
  return (params.stringList('expand') ?? []).map((field) => {
    const match = expandable.find((candidate) => candidate === field);
    if (match === undefined) {
      throw parameterInvalid('expand', `This property cannot be expanded (${field}).`);
    }
    return match;
  });
}

/** A copy of `object` with each listed id field replaced by the object it names. */
export function expandFields(
  object: object,
  fields: readonly ExpandableField[],
  state: SandboxState,
): object {
  if (fields.length === 0) return object;
  const expanded: Record<string, unknown> = { ...object };
  for (const field of fields) {
    const id = expanded[field];
    if (typeof id === 'string') expanded[field] = LOOKUPS[field](state, id) ?? id;
  }
  return expanded;
}
