/**
 * heal conform against logs whose verdict is known: runs of our own model (they must
 * conform, complete or with events missing), runs of mutants (they must be rejected at
 * the event where the mutant first differs from the protocol), and logs damaged on
 * purpose (reordered, duplicated, invented events).
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exportRun } from '../../cli/conform/export.ts';
import { parseLog } from '../../cli/conform/log-format.ts';
import { rng } from '../../cli/conform/random-run.ts';
import { InputError } from '../../cli/errors.ts';
import { parseHealConfig } from '../../model/heal.ts';
import { loadTrace } from '../../checker/trace/io.ts';
import { configFor, divergence, enabledPrefix, judge, PERSISTENCIES, randomLog } from './helpers.ts';
import { createHealModel } from '../../model/heal.ts';

const arbConfig = fc.record({
  p: fc.constantFrom(...PERSISTENCIES),
  recovery: fc.constantFrom('heal' as const, 'fullcopy' as const),
  keys: fc.integer({ min: 1, max: 2 }),
  crashes: fc.integer({ min: 0, max: 2 }),
});

/** Keep the meta line; drop each event with probability `share`. */
function dropEvents(lines: readonly string[], share: number, seed: number): string[] {
  const r = rng(seed);
  return [lines[0]!, ...lines.slice(1).filter(() => r() >= share)];
}

describe('exported runs of the model conform', () => {
  it('complete logs conform, with the same number of steps, every property holding and a linearizable history', () => {
    fc.assert(
      fc.property(arbConfig, fc.integer({ min: 1, max: 1_000_000 }), ({ p, recovery, keys, crashes }, seed) => {
        const lines = randomLog(configFor(p, recovery, { keys, crashes }), seed);
        const r = judge(lines);
        expect(r.rejection).toBeNull();
        expect(r.verdict).toBe('conforms');
        expect(r.missing).toBe(0);
        expect(r.linearizability?.result).toBe('ok');
      }),
      { numRuns: 40 },
    );
  });

  it('logs with random events removed still conform', () => {
    fc.assert(
      fc.property(arbConfig, fc.integer({ min: 1, max: 1_000_000 }), fc.double({ min: 0.01, max: 0.15, noNaN: true }), ({ p, recovery, crashes }, seed, share) => {
        const lines = dropEvents(randomLog(configFor(p, recovery, { crashes }), seed, 80), share, seed);
        const r = judge(lines);
        expect(r.rejection).toBeNull();
        expect(r.verdict).toBe('conforms');
      }),
      { numRuns: 30 },
    );
  });

  it('a run to quiescence conforms with --ended', () => {
    for (const p of PERSISTENCIES) {
      const lines = randomLog(configFor(p, 'heal'), 7, 10_000);
      expect(judge(lines, { ended: true }).verdict).toBe('conforms');
    }
  });

  it('an exported log says its network coalesced DURABLE notices (meta coalesceDurable), without which it is rejected where a notice was coalesced', () => {
    // Seed 29 (Eventual x HEAL): n1 completes the persist of ts 1.1 after that of 2.1, and
    // its notice of 2.1 (durable[k].ts) is not sent again: one to the same node is in flight.
    const lines = randomLog(configFor('eventual', 'heal'), 29, 10_000);
    const meta = JSON.parse(lines[0]!);
    expect(meta.coalesceDurable).toBe(true);
    expect(judge(lines, { ended: true }).verdict).toBe('conforms');
    const { coalesceDurable: _, ...rest } = meta;
    const r = judge([JSON.stringify(rest), ...lines.slice(1)]);
    expect(r.verdict).toBe('does-not-conform');
    expect(r.rejection?.step?.action).toBe('n1 completes the persist of k0 ts 1.1');
    expect(r.rejection?.step?.instead).toEqual(['n1 sends DURABLE(k0, ts 2.1) to n0', 'n1 sends DURABLE(k0, ts 2.1) to n2']);
  });

  it('a log that records only some event types (meta records) conforms, and an unrecorded type in it is not expected', () => {
    const lines = randomLog(configFor('eventual', 'heal', { crashes: 1 }), 5);
    const meta = { ...JSON.parse(lines[0]!), records: ['invoke', 'ok', 'recv', 'crash', 'restart'] };
    const seq = new Map<number, number>();
    const kept = lines.slice(1).map((l) => JSON.parse(l) as { node: number; type: string }).filter((e) => meta.records.includes(e.type));
    const renumbered = kept.map((e) => {
      const n = (seq.get(e.node) ?? 0) + 1;
      seq.set(e.node, n);
      return JSON.stringify({ ...e, seq: n });
    });
    const r = judge([JSON.stringify(meta), ...renumbered]);
    expect(r.missing).toBe(0);
    expect(r.verdict).toBe('conforms');
    // Without the records list every type is expected, so the same lines do not conform.
    expect(judge([lines[0]!, ...renumbered]).verdict).toBe('does-not-conform');
  });

  it('the log of a seq-numbered merged file may list nodes in any order', () => {
    const lines = randomLog(configFor('strict', 'heal'), 3);
    const byNode = [lines[0]!, ...lines.slice(1).sort((a, b) => (JSON.parse(b) as { node: number }).node - (JSON.parse(a) as { node: number }).node)];
    expect(judge(byNode).verdict).toBe('conforms');
  });
});

const traceDir = fileURLToPath(new URL('../../traces/', import.meta.url));
const mutantTraces = readdirSync(traceDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({ file: f, trace: loadTrace(join(traceDir, f)) }))
  .filter(({ trace }) => trace.model === 'heal' && trace.mutant !== null);

describe('logs of mutant runs are rejected by the correct protocol at the first event the mutant changes', () => {
  it('there are mutant traces to test', () => expect(mutantTraces.length).toBeGreaterThan(5));
  for (const { file, trace } of mutantTraces) {
    it(`${file} (${trace.mutant})`, () => {
      const mutantConfig = parseHealConfig(trace.config);
      const run = enabledPrefix(mutantConfig, trace.actions);
      const lines = exportRun(mutantConfig, run);
      const where = divergence(mutantConfig, run);
      expect(where).not.toBeNull();
      // A property judged at quiescent or terminal states was violated where the run
      // ended: the log claims that end (--ended), which is how a liveness bug shows.
      const scope = createHealModel(trace.config).properties.find((p) => p.id === trace.property)!.scope;
      const ended = scope !== 'state';
      // Against the mutant itself the log conforms, and its property fails on the run found.
      const own = judge(lines, { mutant: trace.mutant!, ended });
      expect(own.rejection).toBeNull();
      expect(own.violation?.property ?? (own.linearizability?.result === 'illegal' ? 'LIN' : null)).toBe(trace.property);
      const r = judge(lines, { ended });
      expect(r.verdict).toBe('does-not-conform');
      const j = r.rejection!;
      // The furthest run stops at the step where the mutant differs, and the event named
      // is that step's first differing one or a later one the step had to account for.
      if (j.firstUnmatched.line <= lines.length) {
        expect(j.firstUnmatched.line).toBeGreaterThanOrEqual(where!.step);
        expect(j.firstUnmatched.line).toBeLessThanOrEqual(where!.event);
      } else {
        expect(j.event).toMatch(/^the end of the log/);
      }
      expect(j.rules.length).toBeGreaterThan(0);
    });
  }
});

describe('damaged logs are rejected with a clear message', () => {
  const base = randomLog(configFor('synch', 'heal', { crashes: 1 }), 11);
  const events = base.slice(1).map((l) => JSON.parse(l) as { node: number; seq: number; type: string });

  it('an effect logged before its cause (a write returning before it is invoked, a persist completing before it is issued) is rejected there', () => {
    const pairs: [number, number][] = [];
    events.forEach((e, i) => {
      const x = e as unknown as { op?: string; value?: unknown; key?: unknown; ts?: unknown };
      const effect = e.type === 'invoke' && x.op === 'write' ? 'ok' : e.type === 'persist' ? 'persisted' : null;
      if (effect === null) return;
      const j = events.findIndex((f, k) => {
        const y = f as unknown as { op?: string; value?: unknown; key?: unknown; ts?: unknown };
        return k > i && f.node === e.node && f.type === effect && y.op === x.op && JSON.stringify([y.key, y.ts, y.value]) === JSON.stringify([x.key, x.ts, x.value]);
      });
      if (j > 0) pairs.push([i, j]);
    });
    expect(pairs.length).toBeGreaterThan(2);
    fc.assert(
      fc.property(fc.constantFrom(...pairs), ([i, j]) => {
        const swapped = events.map((e) => ({ ...e }));
        swapped[i] = { ...events[j]!, seq: events[i]!.seq };
        swapped[j] = { ...events[i]!, seq: events[j]!.seq };
        const r = judge([base[0]!, ...swapped.map((e) => JSON.stringify(e))]);
        expect(r.verdict).toBe('does-not-conform');
        expect(r.rejection!.firstUnmatched.line).toBeLessThanOrEqual(i + 2);
      }),
      { numRuns: 20 },
    );
  });

  it('an event logged twice under the same seq is bad input naming both lines', () => {
    const dup = [...base.slice(0, 6), base[5]!, ...base.slice(6)];
    expect(() => judge(dup)).toThrow(InputError);
    expect(() => judge(dup)).toThrow(/test\.jsonl:7: field 'seq': node \d already has an event with seq \d+ \(line 6\)/);
  });

  it('an event repeated under a new seq (the rest renumbered) is rejected at the repeat', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: events.length - 1 }), (i) => {
        const e = events[i]!;
        const out = events.flatMap((x, k) => {
          const shifted = x.node === e.node && x.seq > e.seq ? { ...x, seq: x.seq + 1 } : x;
          return k === i ? [shifted, { ...e, seq: e.seq + 1 }] : [shifted];
        });
        const r = judge([base[0]!, ...out.map((x) => JSON.stringify(x))]);
        // A repeated receive, send or persist is something the run never does twice here.
        expect(r.verdict).toBe('does-not-conform');
        expect(r.rejection!.line).toBeLessThanOrEqual(i + 3);
      }),
      { numRuns: 25 },
    );
  });

  it('an invented message is rejected at its line, with the node state and what the model could do', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: events.length - 1 }), fc.integer({ min: 0, max: 2 }), (i, from) => {
        const at = events[i]!;
        const invented = { node: at.node, seq: at.seq, type: 'recv', msg: { type: 'INV', from, key: 0, ts: [9, from, 0], epoch: 0, value: 999 } };
        const out = events.flatMap((x, k) => {
          const shifted = x.node === at.node && x.seq >= at.seq ? { ...x, seq: x.seq + 1 } : x;
          return k === i ? [invented, shifted] : [shifted];
        });
        const r = judge([base[0]!, ...out.map((x) => JSON.stringify(x))]);
        expect(r.verdict).toBe('does-not-conform');
        // The invented event, or the first event of the step it was slipped into.
        expect(r.rejection!.line === i + 2 || r.rejection!.firstUnmatched.line < i + 2).toBe(true);
        expect(r.rejection!.line).toBeLessThanOrEqual(i + 2);
        expect(r.rejection!.expectedNode).toMatchObject({ node: `n${at.node}` });
        expect(r.rejection!.enabled.length).toBeGreaterThan(0);
      }),
      { numRuns: 20 },
    );
  });
});

describe('bad input names the file, the line and the field', () => {
  it('not JSON', () => expect(() => parseLog('{"node":0,"seq":1,"type":"crash"}\n{oops', 'f.jsonl')).toThrow(/^f\.jsonl:2: not valid JSON/));
  it('a field of the wrong type', () =>
    expect(() => parseLog('{"node":0,"seq":"1","type":"crash"}', 'f.jsonl')).toThrow(/^f\.jsonl:1: field 'seq'/));
  it('an unknown message type', () =>
    expect(() => parseLog('{"node":0,"seq":1,"type":"recv","msg":{"type":"HELLO"}}', 'f.jsonl')).toThrow(/^f\.jsonl:1: field 'msg\.type'/));
  it('a meta line after events', () =>
    expect(() => parseLog('{"node":0,"seq":1,"type":"crash"}\n{"type":"meta","format":"heal-event-log","version":1}', 'f.jsonl')).toThrow(/^f\.jsonl:2: field 'type'/));
  it('a node beyond the cluster', () =>
    expect(() => judge(['{"type":"meta","format":"heal-event-log","version":1,"nodes":3,"persistency":"synch"}', '{"node":5,"seq":1,"type":"crash"}'])).toThrow(/test\.jsonl:2: field 'node'/));
});
