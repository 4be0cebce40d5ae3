/**
 * Writes a long single-register history as Jepsen EDN (test/lincheck/long-history.ts):
 * for the scale figures, time and peak RSS of `heal lincheck` against length.
 *
 *   npx tsx bench/lincheck-gen.ts --ops 100000 [--clients 5] [--seed 1] [--stale-at N] [--info-rate 0.01] > h.edn
 */
import { longRegisterHistory } from '../test/lincheck/long-history.ts';

const argv = process.argv.slice(2);
const flag = (name: string): number | undefined => {
  const i = argv.indexOf(name);
  return i < 0 ? undefined : Number(argv[i + 1]);
};
const events = longRegisterHistory({
  ops: flag('--ops') ?? 10_000,
  clients: flag('--clients'),
  seed: flag('--seed'),
  staleAt: flag('--stale-at'),
  infoRate: flag('--info-rate'),
});
const edn = events.map((e) => `{:process ${e.process} :type :${e.type} :f :${e.f} :value ${e.value ?? 'nil'}}`);
process.stdout.write(`[${edn.join('\n ')}]\n`);
