/**
 * A toy model whose module takes 1.5 s to load, as a large model does on a loaded
 * machine: each worker pays it at start-up, before the search.
 */
import type { ModelRef } from '../../checker/model.ts';

const until = Date.now() + 1500;
while (Date.now() < until) {
  // Busy on purpose: a sleep would let the worker report ready early.
}

export { createGrid } from './toy-models.ts';

export function slowGridRef(k: number): ModelRef {
  return { module: new URL('./slow-start-model.ts', import.meta.url).href, factory: 'createGrid', config: { k } };
}
