/**
 * The catch table behind `heal mutants` and the README: for every mutant and every
 * persistency x recovery it applies to, the first property a breadth-first `heal check
 * --mutant NAME` reports at the mutant's bounds (the default profile plus its checkWith),
 * with the states searched and the counterexample's length.
 *   npx tsx bench/mutant-table.ts [--json] [NAME...]
 */
import { explore } from '../checker/explore/index.ts';
import { createHealModel } from '../model/heal.ts';
import { mutantBounds } from '../model/heal-bounds.ts';
import { combinationsOf } from '../model/mutant-combinations.ts';
import { mutants } from '../src/mutants.ts';
import { hasScopeEnds } from '../src/protocol/persistency/index.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const only = args.filter((a) => !a.startsWith('--'));
const rows: Record<string, unknown>[] = [];
for (const m of mutants) {
  if (only.length > 0 && !only.includes(m.name)) continue;
  const bounds = mutantBounds(m);
  for (const [persistency, recovery] of combinationsOf(m)) {
    const config = { ...bounds, scopes: hasScopeEnds(persistency) ? bounds.scopes : 0, persistency, recovery, mutant: m.name };
    const r = await explore(createHealModel(config), { strategy: 'bfs', seed: 1, workers: 1, symmetry: false, maxStates: 5_000_000 });
    const row = {
      mutant: m.name, persistency, recovery, result: r.result, property: r.counterexample?.property ?? null,
      steps: r.counterexample?.actions.length ?? null, states: r.distinctStates, seconds: Number(r.seconds.toFixed(2)),
    };
    rows.push(row);
    if (!json) console.log(`${m.name.padEnd(30)} ${`${persistency}/${recovery}`.padEnd(18)} ${String(row.property ?? r.result).padEnd(20)} ${String(row.steps ?? '-').padStart(3)} steps ${String(row.states).padStart(9)} states ${row.seconds} s`);
  }
}
if (json) console.log(JSON.stringify(rows));
