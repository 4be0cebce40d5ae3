/**
 * Rebuild a model from a ModelRef: import its module and call the named factory with
 * the stored JSON configuration. Worker threads, trace replay and the CLI all use it,
 * so a model is built the same way wherever it runs.
 */
import type { Model, ModelRef } from './model.ts';

export async function loadModel<S = unknown, A = unknown>(ref: ModelRef): Promise<Model<S, A>> {
  const mod = (await import(ref.module)) as Record<string, unknown>;
  const factory = mod[ref.factory];
  if (typeof factory !== 'function') {
    throw new TypeError(`${ref.module} does not export a factory named '${ref.factory}'`);
  }
  return (factory as (config: unknown) => Model<S, A>)(ref.config);
}
