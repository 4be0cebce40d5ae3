/**
 * Writes a long generated history (test/lincheck/long-history.ts: C clients, random
 * latencies, distinct written values, optionally one stale read) to stdout, in Jepsen
 * EDN or in the formats Porcupine's own parsers read (bench/lincheck-formats.ts).
 *
 *   npx tsx bench/lincheck-gen.ts --ops 100000 [--clients 5] [--keys 1] [--seed 1]
 *       [--stale-at N] [--info-rate 0.01] [--format edn|etcd|kv] > h.edn
 *
 * etcd: one register (Jepsen's etcd log); kv: get/put per key (Porcupine's kv log).
 */
import { longRegisterHistory } from '../test/lincheck/long-history.ts';
import { toEdn, toEtcdLog, toKvLog } from './lincheck-formats.ts';

const argv = process.argv.slice(2);
const flag = (name: string): number | undefined => {
  const i = argv.indexOf(name);
  return i < 0 ? undefined : Number(argv[i + 1]);
};
const format = argv.includes('--format') ? argv[argv.indexOf('--format') + 1] : 'edn';
const events = longRegisterHistory({
  ops: flag('--ops') ?? 10_000,
  clients: flag('--clients'),
  seed: flag('--seed'),
  staleAt: flag('--stale-at'),
  infoRate: flag('--info-rate'),
  keys: flag('--keys'),
});
const writers: Record<string, (e: typeof events) => string> = { edn: toEdn, etcd: toEtcdLog, kv: toKvLog };
const write = writers[format];
if (write === undefined) {
  console.error(`--format: expected edn, etcd or kv, got '${format}'`);
  process.exit(2);
}
process.stdout.write(write(events));
