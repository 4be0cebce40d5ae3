/**
 * heal conform checks real runs against the model without RED-DURABLE-COALESCE (a real
 * network delivers every DURABLE notice). This explores a configuration with the
 * reduction on and off, side by side: the properties must hold without it too, and the
 * state counts show what it saves.
 *
 *   npx tsx bench/coalesce-check.ts <persistency> [nodes keys writes reads crashes scopes] [timeLimitSeconds]
 */
import { explore } from '../checker/explore/index.ts';
import { createHealModel } from '../model/heal.ts';
import type { ClusterConfig } from '../src/cluster/index.ts';

const [p = 'strict', nodes = '3', keys = '1', writes = '2', reads = '0', crashes = '1', scopes = '0', limit = '120'] = process.argv.slice(2);
for (const coalesceDurable of [true, false]) {
  const config: ClusterConfig = {
    nodes: +nodes, keys: +keys, persistency: p as ClusterConfig['persistency'], recovery: 'heal', writes: +writes, reads: +reads,
    scopes: +scopes, crashes: +crashes, duplicates: false, mutant: null, coalesceDurable,
  };
  const t = performance.now();
  const r = await explore(createHealModel(config), { strategy: 'bfs', seed: 1, workers: 1, symmetry: false, timeLimitSeconds: +limit });
  const v = r.result === 'violation' ? ` ${JSON.stringify(r.counterexample?.property)}` : r.result === 'incomplete' ? ` (${r.incompleteReason})` : '';
  console.log(`${p} x heal ${nodes}n ${keys}k ${writes}w ${reads}r ${crashes}c ${scopes}s coalesce=${coalesceDurable}: ${r.result}${v}, ${r.distinctStates} states, ${((performance.now() - t) / 1000).toFixed(1)} s`);
}
