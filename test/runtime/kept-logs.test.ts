/**
 * The runtime's event logs that `heal conform` rejects (traces/runtime/README.md, open:
 * suspected DURABLE coalescing in the model against every notice delivered in the
 * runtime). Replayed so the finding stays pinned: the day the model or the runtime
 * changes, these verdicts change and the README and spec/runtime-protocol.md with them.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readLog } from '../../cli/conform/log-format.ts';
import { checkLog } from '../../cli/conform/run.ts';

const kept = fileURLToPath(new URL('../../traces/runtime/', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'heal-kept-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const CASES = [
  { name: 'strict-heal-load-rejected', node: 0, seq: 1128, event: 'n0 receives ACK(k0, ts 26.0, e3) from n1' },
  { name: 'scope-heal-load-rejected', node: 0, seq: 1000, event: 'n0 receives INV(k1' },
];

describe('kept runtime logs heal conform rejects', () => {
  for (const c of CASES) {
    it(`${c.name}: rejected at node ${c.node} seq ${c.seq}`, () => {
      const file = join(tmp, `${c.name}.jsonl`);
      writeFileSync(file, gunzipSync(readFileSync(join(kept, `${c.name}.jsonl.gz`))));
      const { report } = checkLog(readLog(file), { maxStates: 2_000_000, out: null });
      expect(report.verdict).toBe('does-not-conform');
      expect(report.rejection).toMatchObject({ node: c.node, seq: c.seq });
      expect(report.rejection!.event.startsWith(c.event)).toBe(true);
    });
  }
});
