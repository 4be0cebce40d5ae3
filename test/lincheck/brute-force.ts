/**
 * The obviously correct checker the real one is compared with: try every order
 * of the operations that respects real time (an operation may go next only if no
 * unplaced completed operation returned before it was invoked), with one model
 * state per key and no partitioning, no memoization. Indeterminate operations may
 * be placed or left out. Exponential: for small histories only.
 */
import { ILLEGAL, type SeqModel } from '../../spec/models/types.ts';
import type { Operation } from '../../checker/lincheck/operation.ts';

export function bruteForceLinearizable<S>(ops: readonly Operation[], model: SeqModel<S>): boolean {
  const placed = new Array<boolean>(ops.length).fill(false);
  const states = new Map<string | undefined, S>();
  const stateOf = (key: string | undefined): S => (states.has(key) ? states.get(key)! : model.init());
  const completed = ops.filter((op) => op.ret !== Infinity).length;

  const go = (placedCompleted: number): boolean => {
    if (placedCompleted === completed) return true;
    for (let i = 0; i < ops.length; i++) {
      if (placed[i]) continue;
      const op = ops[i];
      const blocked = ops.some((p, j) => !placed[j] && j !== i && p.ret < op.call);
      if (blocked) continue;
      const before = stateOf(op.key);
      const had = states.has(op.key);
      const next = model.ops[op.f].step(before, op.input, op.output);
      if (next === ILLEGAL) continue;
      placed[i] = true;
      states.set(op.key, next);
      const ok = go(placedCompleted + (op.ret === Infinity ? 0 : 1));
      placed[i] = false;
      if (had) states.set(op.key, before);
      else states.delete(op.key);
      if (ok) return true;
    }
    return false;
  };
  return go(0);
}
