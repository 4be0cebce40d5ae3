/**
 * Event logs of real chaos runs (traces/runtime/README.md) that heal conform rejected
 * while it judged them against the model with RED-DURABLE-COALESCE: in each, a node
 * receives a DURABLE notice after a newer one from the same sender for the same key was
 * sent, which the coalescing network cannot produce (it drops the older notice when the
 * newer one is sent), and a real network does. heal conform now checks a runtime log
 * against the network that delivers every notice (spec/runtime-protocol.md): the logs
 * conform, and with the reduction turned back on they are rejected where the overtaken
 * notice arrives.
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
  {
    name: 'strict-heal-load-overtaken-durable',
    overtaken: { node: 1, seq: 1104, from: 0, key: 3, ts: [20, 1, 0] },
    newer: "n1 receives DURABLE(k3, ts 21.2'1) from n0",
  },
  {
    name: 'scope-heal-load-overtaken-durable',
    overtaken: { node: 1, seq: 1006, from: 2, key: 1, ts: [23, 2, 1] },
    newer: 'n1 receives DURABLE(k1, ts 24.1) from n2',
  },
];

/** The kept log, its meta line changed by `meta`, as a file heal conform reads. */
function logFile(name: string, meta: Record<string, unknown> = {}): string {
  const lines = gunzipSync(readFileSync(join(kept, `${name}.jsonl.gz`))).toString('utf8').split('\n');
  lines[0] = JSON.stringify({ ...JSON.parse(lines[0]!), ...meta });
  const file = join(tmp, `${name}-${Object.keys(meta).join('-') || 'as-kept'}.jsonl`);
  writeFileSync(file, lines.join('\n'));
  return file;
}

describe('kept runtime logs in which a DURABLE notice is overtaken', () => {
  for (const c of CASES) {
    it(`${c.name}: conforms, every property holding and the history linearizable`, () => {
      const { report } = checkLog(readLog(logFile(c.name)), { maxStates: 2_000_000, out: null });
      expect(report.rejection).toBeNull();
      expect(report.violation).toBeNull();
      expect(report.linearizability?.result).toBe('ok');
      expect(report.verdict).toBe('conforms');
    });

    it(`${c.name}: the coalescing network (meta coalesceDurable) offers node ${c.overtaken.node} only the newer notice where it logs the older one`, () => {
      const log = readLog(logFile(c.name, { coalesceDurable: true }));
      const logged = log.events.find((e) => e.node === c.overtaken.node && e.seq === c.overtaken.seq)!;
      expect(JSON.parse(logged.raw)).toMatchObject({ type: 'recv', msg: { type: 'DURABLE', from: c.overtaken.from, key: c.overtaken.key, ts: c.overtaken.ts } });
      const { report } = checkLog(log, { maxStates: 2_000_000, out: null });
      expect(report.verdict).toBe('does-not-conform');
      const offered = report.rejection!.enabled.map((e) => e.event);
      expect(offered).toContain(c.newer);
      const [, older] = /^(.*ts )/.exec(c.newer)!;
      expect(offered.filter((e) => e.startsWith(older!))).toEqual([c.newer]);
    });
  }
});
