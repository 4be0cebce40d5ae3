/**
 * Strict (spec/persistency.md "Strict"): persists complete in apply order, one FIFO per
 * node across all keys (P-STRICT-FIFO). Guarantee: PERSIST-ORDER-STRICT.
 */
import { BASE_MODEL, type PersistencyModel } from './model.ts';

export const strict: PersistencyModel & { readonly name: 'strict' } = {
  ...BASE_MODEL,
  name: 'strict',
  title: 'Strict',
  guarantee: 'PERSIST-ORDER-STRICT',
  // Mutant strict-persist-out-of-order: any pending persist may complete.
  mayPersist: (_node, ctx, index) => index === 0 || ctx.mutant === 'strict-persist-out-of-order',
  numbersPersists: true,
};
