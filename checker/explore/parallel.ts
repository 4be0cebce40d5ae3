import type { ModelRef } from '../model.ts';
import type { Monitor } from './monitor.ts';
import type { Outcome } from './outcome.ts';
import type { ExploreOptions } from './types.ts';

export async function exploreParallel(_ref: ModelRef, _options: ExploreOptions, _monitor: Monitor): Promise<Outcome> {
  throw new Error('not yet');
}
