/**
 * Builds a sequential model from a ModelRef, as checker/load-model.ts does for explorer
 * models: import the module, call the named factory with the config. Partition workers
 * use it, so the checker names no concrete model.
 */
import type { ModelRef } from '../model.ts';
import type { SeqModel } from '../../spec/models/types.ts';

export async function loadSeqModel(ref: ModelRef): Promise<SeqModel<unknown>> {
  const mod = (await import(ref.module)) as Record<string, unknown>;
  const factory = mod[ref.factory];
  if (typeof factory !== 'function') throw new TypeError(`${ref.module} does not export a factory named '${ref.factory}'`);
  return (factory as (config: unknown) => SeqModel<unknown>)(ref.config);
}
