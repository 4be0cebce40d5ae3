/**
 * Reads every key once from every node of a running cluster and lists the reads a node
 * leaves unanswered (parked) for 1.5 s: after a load has ended nothing will unpark them,
 * so a key listed is one the node will not serve. Showed finding R2 (spec/runtime-protocol.md,
 * fixed by F15): under Read-Enforced x FullCopy the recovered node parked reads of copied
 * keys not written since; it should now list none.
 *
 *   npx heal cluster --data D --persistency renf --recovery fullcopy --keys 100 &
 *   npx heal load --cluster D --duration 5 --kill 1 --kill-at 1 --restart-after 1 --clients 4
 *   npx tsx bench/read-probe.ts D
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '../runtime/client/connection.ts';
import { ClusterFile } from '../runtime/client/cluster-file.ts';

const dir = process.argv[2];
if (dir === undefined) {
  console.error('usage: npx tsx bench/read-probe.ts CLUSTER_DIR');
  process.exit(2);
}
const c = ClusterFile.parse(JSON.parse(readFileSync(join(dir, 'cluster.json'), 'utf8')));
for (const n of c.nodes) {
  const conn = await Connection.open(n.host, n.clientPort, 1000);
  const st = await conn.request({ op: 'status' }, 1000);
  const parked: number[] = [];
  await Promise.all(
    Array.from({ length: c.keys }, async (_, k) => {
      try {
        await conn.request({ op: 'read', key: k }, 1500);
      } catch {
        parked.push(k);
      }
    }),
  );
  console.log(`node ${n.id} (${String(st.role)}, recovering ${String(st.recovering)}): ${parked.length} of ${c.keys} reads unanswered in 1.5 s${parked.length ? `: keys ${parked.sort((a, b) => a - b).join(',')}` : ''}`);
  conn.close();
}
process.exit(0);
