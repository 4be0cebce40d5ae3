/**
 * The persistency models, registered once. The order is the order `heal check` runs them
 * in; the names are the `--persistency` values, the config schema's enum and the help
 * text's list (cli/ derives all three from here).
 */
import { eventual } from './eventual.ts';
import type { PersistencyModel } from './model.ts';
import { renf } from './renf.ts';
import { registry } from '../registry.ts';
import { scope } from './scope.ts';
import { strict } from './strict.ts';
import { synch } from './synch.ts';

const MODELS = registry([synch, strict, renf, scope, eventual]);

export type Persistency = (typeof MODELS.names)[number];

export const PERSISTENCY: Readonly<Record<Persistency, PersistencyModel>> = MODELS.byName;

/** The model names, in run order; a non-empty tuple, as z.enum wants. */
export const PERSISTENCIES = MODELS.names;

export type { PersistencyModel } from './model.ts';

/** The models with a scope-end client operation: `--scopes` means something only under them. */
export const WITH_SCOPE_ENDS: readonly Persistency[] = PERSISTENCIES.filter((p) => PERSISTENCY[p].scopeEnd !== null);

export function hasScopeEnds(persistency: string | null): boolean {
  return (WITH_SCOPE_ENDS as readonly (string | null)[]).includes(persistency);
}
