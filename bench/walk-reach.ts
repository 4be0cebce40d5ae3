/**
 * How far random walks get towards finding F14's situation (spec/properties.md), and why
 * uniform walks miss it: for each way of choosing (uniform or swarm, with or without
 * stuttering steps), how many of N seeded walks reach each milestone on the way to a
 * stale SCOPE_ACK, under mutant scope-ack-unmatched (so the last milestone is the
 * violation). Deterministic for a seed.
 *
 *   npx tsx bench/walk-reach.ts [--walks 3000] [--seed 1] [--crashes 0] [--duplicates]
 */
import { parseArgs } from 'node:util';
import { seededRandom, swarmChooser } from '../checker/explore/random.ts';
import { createHealModel } from '../model/heal.ts';
import { SCOPE_ACK } from '../src/protocol/types.ts';
import type { ClusterAction, ClusterState } from '../src/cluster/index.ts';

const { values } = parseArgs({
  options: { walks: { type: 'string' }, seed: { type: 'string' }, crashes: { type: 'string' }, duplicates: { type: 'boolean' } },
});
const walks = Number(values.walks ?? 3000);
const seed = Number(values.seed ?? 1);
const config = {
  nodes: 3, keys: 1, persistency: 'scope', recovery: 'heal', writes: 2, reads: 0, scopes: 2,
  crashes: Number(values.crashes ?? 0), duplicates: values.duplicates === true, mutant: 'scope-ack-unmatched',
} as const;
const model = createHealModel(config);
const scopeDurable = model.properties.find((p) => p.id === 'SCOPE-DURABLE')!;

const MILESTONES = [
  'first scope end has no write',
  'a scope end with a write returned',
  'second scope end with a write at that node',
  'stale SCOPE_ACK delivered to it',
  'SCOPE-DURABLE violated',
] as const;

/** Milestone counts, and the share of steps taken that led back to the same state. */
function run(swarm: boolean, skipStutter: boolean): { counts: number[]; stutterShare: number } {
  const random = seededRandom(seed);
  const counts = MILESTONES.map(() => 0);
  let steps = 0;
  let stutters = 0;
  for (let w = 0; w < walks; w++) {
    const choose = swarm
      ? swarmChooser<ClusterAction>(random, (a) => model.actionKind!(a))
      : (as: readonly ClusterAction[]) => as[Math.floor(random() * as.length)]!;
    const hit = MILESTONES.map(() => false);
    let s: ClusterState = model.initialStates()[0]!;
    let first = -1;
    let firstReturned = false;
    for (let d = 0; d < 100; d++) {
      let candidates = model.actions(s);
      let a: ClusterAction | null = null;
      let t = s;
      const here = Buffer.from(model.encode(s));
      let stuttered = false;
      while (candidates.length > 0) {
        a = choose(candidates);
        t = model.next(s, a);
        stuttered = here.equals(Buffer.from(model.encode(t)));
        if (!skipStutter || !stuttered) break;
        candidates = candidates.filter((x) => x !== a);
        a = null;
      }
      if (a === null) break;
      steps++;
      if (stuttered) stutters++;
      if (a.kind === 'scope-end') {
        const written = s.nodes[a.node]!.scopeTs.some((ts) => ts !== 0);
        if (first < 0 && !written && !hit[0] && !hit[1]) hit[0] = true;
        if (first < 0 && written) first = a.node;
        else if (firstReturned && written && a.node === first) hit[2] = true;
      }
      if (hit[2] && a.kind === 'deliver' && a.msg.type === SCOPE_ACK && a.msg.to === first) {
        const to = s.nodes[first]!;
        if (to.client?.kind === 1 && to.scopeTs[a.msg.key] !== a.msg.ts) hit[3] = true;
      }
      s = t;
      if (first >= 0 && !firstReturned && s.nodes[first]!.client === null) firstReturned = hit[1] = true;
      if (scopeDurable.check(s) !== null) {
        hit[4] = true;
        break;
      }
    }
    hit.forEach((h, i) => (counts[i] += h ? 1 : 0));
  }
  return { counts, stutterShare: stutters / steps };
}

console.log(`${walks} walks, seed ${seed}, --scopes 2 --writes 2 --reads 0 --crashes ${config.crashes}${config.duplicates ? ' --duplicates' : ''}, mutant scope-ack-unmatched`);
const rows: [string, { counts: number[]; stutterShare: number }][] = [
  ['uniform', run(false, false)],
  ['uniform, no stutter', run(false, true)],
  ['swarm weights only', run(true, false)],
  ['swarm (weights, no stutter)', run(true, true)],
];
const width = Math.max(...rows.map((r) => r[0].length));
console.log(`${''.padEnd(width)}  ${MILESTONES.join(' | ')} | stuttering steps`);
for (const [name, { counts, stutterShare }] of rows) {
  const cells = counts.map((c, i) => String(c).padStart(MILESTONES[i]!.length));
  console.log(`${name.padEnd(width)}  ${cells.join(' | ')} | ${(100 * stutterShare).toFixed(1)}%`);
}
