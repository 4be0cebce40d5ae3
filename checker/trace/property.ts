import type { Model, Property } from '../model.ts';

/**
 * A property's verdict on one state, honouring its scope the way the explorer does:
 * quiescent properties judge only quiescent states, terminal ones only states with no
 * enabled action. Returns null when it holds or does not apply.
 */
export function propertyViolation<S, A>(model: Model<S, A>, property: Property<S>, state: S): string | null {
  switch (property.scope) {
    case 'state':
      return property.check(state);
    case 'quiescent':
      return model.isQuiescent?.(state) ? property.check(state) : null;
    case 'terminal':
      return model.actions(state).length === 0 ? property.check(state) : null;
    default: {
      const unreachable: never = property.scope;
      throw new Error(`unknown property scope ${String(unreachable)}`);
    }
  }
}

/** Why a property does not apply to a state (for "no longer reproduces" messages). */
export function scopeExcuse<S, A>(model: Model<S, A>, property: Property<S>, state: S): string | null {
  if (property.scope === 'quiescent' && !model.isQuiescent?.(state)) return 'the final state is not quiescent';
  if (property.scope === 'terminal' && model.actions(state).length > 0) return 'the final state still has enabled actions';
  return null;
}

export function findProperty<S, A>(model: Model<S, A>, id: string): Property<S> | undefined {
  return model.properties.find((p) => p.id === id);
}
