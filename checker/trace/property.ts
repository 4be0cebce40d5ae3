import { propertyApplies, stateFacts, type Model, type Property, type StateFacts } from '../model.ts';

const REACHED: StateFacts = { reached: true, quiescent: null, terminal: null };

/**
 * A property's verdict on one state, by the rule the explorer follows (propertyApplies
 * over stateFacts): quiescent properties judge only quiescent states, terminal ones only
 * states with no enabled action. Returns null when it holds or does not apply.
 */
export function propertyViolation<S, A>(model: Model<S, A>, property: Property<S>, state: S): string | null {
  // A state property needs no look at the successors.
  const facts = property.scope === 'state' ? REACHED : stateFacts(model, state);
  return propertyApplies(property.scope, facts) ? property.check(state) : null;
}

/** Why a property does not apply to a state (for "no longer reproduces" messages). */
export function scopeExcuse<S, A>(model: Model<S, A>, property: Property<S>, state: S): string | null {
  if (property.scope === 'state') return null;
  const facts = stateFacts(model, state);
  if (property.scope === 'quiescent' && !facts.quiescent) return 'the final state is not quiescent';
  if (property.scope === 'terminal' && !facts.terminal) return 'the final state still has enabled actions';
  return null;
}

export function findProperty<S, A>(model: Model<S, A>, id: string): Property<S> | undefined {
  return model.properties.find((p) => p.id === id);
}
