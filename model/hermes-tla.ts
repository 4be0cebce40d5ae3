/**
 * The Hermes TLA+ port as a checker Model. src/hermes-tla holds the spec's logic and
 * knows nothing of the checker; this file is where the two meet.
 */
import * as z from 'zod';
import type { Model, Property } from '../checker/model.ts';
import {
  HermesLayout,
  actionKey,
  applyAction,
  consistencyViolation,
  describeAction,
  enabledActions,
  initialState,
  typeOkViolation,
  displayState,
  type HermesAction,
  type HermesTlaConfig,
} from '../src/hermes-tla/index.ts';

const configSchema = z.object({
  nodes: z.number().int().min(1).max(8),
  maxVersion: z.number().int().min(0).max(250),
});

export function createHermesTlaModel(config: unknown): Model<Uint8Array, HermesAction> {
  const parsed = configSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RangeError(
      `hermes-tla config: field '${issue?.path.join('.') ?? '?'}': ${issue?.message ?? 'invalid'} (expected {nodes: 1..8, maxVersion: 0..250})`,
    );
  }
  const cfg: HermesTlaConfig = parsed.data;
  const layout = new HermesLayout(cfg);
  const properties: Property<Uint8Array>[] = [
    { id: 'HTypeOK', scope: 'state', check: (s) => typeOkViolation(layout, s) },
    { id: 'HConsistent', scope: 'state', check: (s) => consistencyViolation(layout, s) },
  ];
  return {
    name: `hermes-tla(nodes=${cfg.nodes}, maxVersion=${cfg.maxVersion})`,
    initialStates: () => [initialState(layout)],
    actions: (s) => enabledActions(layout, s),
    next: (s, a) => applyAction(layout, s, a),
    // The packed bytes are already canonical (msgs is a bitset), so encoding is free.
    encode: (s) => s,
    decode: (bytes) => {
      if (bytes.length !== layout.bytes) {
        throw new RangeError(`hermes-tla: an encoded state has ${layout.bytes} bytes, got ${bytes.length}`);
      }
      return bytes.slice();
    },
    properties,
    describeAction,
    actionKey,
    display: (s) => displayState(layout, s),
    // msgs is a set: by position (or by its first field, type) one INV would turn into another.
    displayLayout: { multisets: ['msgs'] },
  };
}
