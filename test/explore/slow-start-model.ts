/**
 * A toy model whose module takes 1.5 s to load, as a large model does on a loaded
 * machine: each worker pays it at start-up, before the search.
 */
import type { ModelRef } from '../../checker/model.ts';

// Blocks the thread without burning a core: an asynchronous sleep would let the worker
// report ready early, a busy loop cost the suite 1.5 s of CPU per worker.
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500);

export { createGrid } from './toy-models.ts';

export function slowGridRef(k: number): ModelRef {
  return { module: new URL('./slow-start-model.ts', import.meta.url).href, factory: 'createGrid', config: { k } };
}
