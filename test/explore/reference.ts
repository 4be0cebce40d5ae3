/**
 * A deliberately naive explorer to hold the real one to: breadth-first over a Map keyed
 * by the hex of a fresh copy of every encoding, every state kept as an object, every
 * successor computed and kept. No fingerprints, no frontier encoding, no stutter
 * shortcut; quiescence from its own copies of the successors' encodings. The only code
 * it shares with the explorer is the scope rule (propertyApplies) it must agree with.
 */
import { propertyApplies, type Model } from '../../checker/model.ts';

export interface ReferenceResult {
  readonly distinct: number;
  /** Initial states plus one successor per enabled action of every distinct state. */
  readonly generated: number;
  /** The smallest depth of a state violating some property (null: none does). */
  readonly shallowestViolation: { readonly property: string; readonly depth: number } | null;
  /** Every property violated somewhere. */
  readonly violated: ReadonlySet<string>;
}

export function referenceExplore<S, A>(model: Model<S, A>, maxStates = 2_000_000): ReferenceResult {
  const hex = (s: S) => Buffer.from(model.encode(s)).toString('hex');
  const depthOf = new Map<string, number>();
  const queue: { s: S; key: string }[] = [];
  let generated = 0;
  for (const s of model.initialStates()) {
    generated++;
    const key = hex(s);
    if (depthOf.has(key)) continue;
    depthOf.set(key, 0);
    queue.push({ s, key });
  }
  let shallowest: ReferenceResult['shallowestViolation'] = null;
  const violated = new Set<string>();
  for (let i = 0; i < queue.length; i++) {
    const { s, key } = queue[i]!;
    const depth = depthOf.get(key)!;
    const actions = model.actions(s);
    const successorKeys: string[] = [];
    for (const a of actions) {
      generated++;
      const t = model.next(s, a);
      const k = hex(t);
      successorKeys.push(k);
      if (depthOf.has(k)) continue;
      if (depthOf.size >= maxStates) throw new Error(`reference explorer: more than ${maxStates} states`);
      depthOf.set(k, depth + 1);
      queue.push({ s: t, key: k });
    }
    const quiescent =
      model.isQuiescent?.(s) === true && actions.every((a, k) => !model.stutterCapable?.(a) || successorKeys[k] === key);
    for (const p of model.properties) {
      if (!propertyApplies(p.scope, { reached: true, quiescent, terminal: actions.length === 0 })) continue;
      if (p.check(s) === null) continue;
      violated.add(p.id);
      if (shallowest === null || depth < shallowest.depth) shallowest = { property: p.id, depth };
    }
  }
  return { distinct: depthOf.size, generated, shallowestViolation: shallowest, violated };
}
