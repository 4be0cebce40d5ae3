/**
 * Issue #14, "readable replays": messages in flight diffed as a multiset, the monitor's
 * bookkeeping hidden unless --verbose, the final state printed, no-op steps shrunk away,
 * and a 35-step trace short enough to read.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Model } from '../../checker/model.ts';
import { diffDisplays } from '../../checker/trace/diff.ts';
import { loadTrace } from '../../checker/trace/io.ts';
import { Replayer } from '../../checker/trace/replay.ts';
import { shrink, violatingPrefix } from '../../checker/trace/shrink.ts';
import { main } from '../../cli/main.ts';
import { createHealModel } from '../../model/heal.ts';
import { captureConsole } from '../cli/capture-console.ts';
import { createToyModel, type ToyAction, type ToyState } from './toy-model.ts';

const { out, err } = captureConsole();
const traces = fileURLToPath(new URL('../../traces/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'readable-replay-'));

/**
 * F12's 35-step trace (H-REFAIL) under the mutant that restores the old rule, so that it
 * reproduces to the end: renamed, so the file name's hash is not compared.
 */
function agree35(): string {
  const trace = JSON.parse(readFileSync(join(traces, 'AGREE-801b7d4df219.json'), 'utf8')) as { mutant: string | null; config: { mutant: string | null } };
  trace.mutant = trace.config.mutant = 'f12-refail-seeds-buffer';
  const path = join(dir, 'agree35.json');
  writeFileSync(path, JSON.stringify(trace));
  return path;
}

/** The printed lines of each step, by step number. */
function stepsOf(lines: readonly string[]): Map<number, { description: string; lines: string[] }> {
  const steps = new Map<number, { description: string; lines: string[] }>();
  let current: string[] | null = null;
  for (const line of lines.flatMap((l) => l.split('\n'))) {
    const m = /^step (\d+): (.*)$/.exec(line);
    if (m) steps.set(Number(m[1]), { description: m[2]!, lines: (current = []) });
    else if (/^\s{4}\S/.test(line) && current) current.push(line);
    else current = null;
  }
  return steps;
}

describe('diff of a multiset', () => {
  it('shows a delivered INV and the ACK sent in its slot as one removed and one added message', () => {
    const before = { messages: ['n0->n1 INV(k0)', 'n0->n2 INV(k0)'] };
    const after = { messages: ['n1->n0 ACK(k0)', 'n0->n2 INV(k0)'] };
    expect(diffDisplays(before, after, '', { multisets: new Set(['messages']) })).toEqual([
      { kind: 'removed', path: 'messages[]', before: 'n0->n1 INV(k0)' },
      { kind: 'added', path: 'messages[]', after: 'n1->n0 ACK(k0)' },
    ]);
    // Nested multisets are named by pattern, and messages from one sender stay two messages.
    const b = { nodes: [{ node: 'n0', out: [{ from: 'n0', m: 'INV' }] }] };
    const a = { nodes: [{ node: 'n0', out: [{ from: 'n0', m: 'ACK' }] }] };
    expect(diffDisplays(b, a, '', { multisets: new Set(['nodes[].out']) })).toEqual([
      { kind: 'removed', path: 'nodes[0].out[]', before: { from: 'n0', m: 'INV' } },
      { kind: 'added', path: 'nodes[0].out[]', after: { from: 'n0', m: 'ACK' } },
    ]);
  });
});

describe('heal replay output', () => {
  const trace = agree35();

  it('shows every delivery as its message leaving the network, never one message turning into another', async () => {
    expect(await main(['replay', trace])).toBe(0);
    const steps = stepsOf(out);
    expect(steps.size).toBe(35);
    let deliveries = 0;
    for (const { description, lines } of steps.values()) {
      expect(lines.join('\n')).not.toMatch(/(INV|ACK|VAL|DURABLE|MU)\([^)]*\)"? -> "?\S+ (INV|ACK|VAL|DURABLE|MU)\(/);
      const m = /^(n\d) delivers (.+) from (n\d)$/.exec(description);
      if (!m) continue;
      deliveries++;
      const messages = lines.find((l) => l.startsWith('    messages: '));
      expect(messages, description).toContain(`- ${m[3]}->${m[1]} ${m[2]}`);
    }
    expect(deliveries).toBeGreaterThan(10);
  });

  it('shows the client history, hides the linearizability monitor unless --verbose, and prints the final state before the verdict', async () => {
    expect(await main(['replay', trace])).toBe(0);
    const plain = out.flatMap((l) => l.split('\n'));
    expect(plain.filter((l) => /^\s+linearizable\b/.test(l))).toEqual([]);
    expect(plain.some((l) => /^    history: \+ \{process:0 type:invoke f:write/.test(l))).toBe(true);
    const final = plain.indexOf('state after step 35 (--verbose adds linearizable):');
    expect(final).toBeGreaterThan(0);
    expect(final).toBeLessThan(plain.findIndex((l) => l.startsWith('violated: AGREE')));
    for (const node of ['n0', 'n1', 'n2', 'n3']) expect(plain.slice(final)).toContainEqual(expect.stringMatching(new RegExp(`^    ${node}: role `)));
    expect(plain.slice(final).some((l) => /^    messages \(\d+\): /.test(l))).toBe(true);

    out.length = 0;
    expect(await main(['replay', trace, '--verbose'])).toBe(0);
    const verbose = out.flatMap((l) => l.split('\n'));
    expect(verbose.some((l) => /^    history: \+ \{process:0 type:invoke f:write/.test(l))).toBe(true);
    expect(verbose.some((l) => /^    linearizable\[k1\]: /.test(l))).toBe(true);
    expect(verbose).toContain('state after step 35:');
  });

  it('fits the 35 steps on a screen or two: at most 5 lines a step, final state and verdict included', async () => {
    expect(await main(['replay', trace])).toBe(0);
    const lines = out.flatMap((l) => l.split('\n'));
    // The per-field rendering printed 415 lines for this trace.
    expect(lines.length).toBeLessThanOrEqual(35 * 5);
  });

  it('refuses --verbose with --json, which prints no state', async () => {
    expect(await main(['replay', trace, '--verbose', '--json'])).toBe(2);
    expect(err.join('\n')).toMatch(/--verbose does not apply to --json/);
  });
});

/** Positions of the steps after which the state encodes as before. */
function noOps(model: Model<unknown, unknown>, initialIndex: number, actions: readonly unknown[]): number[] {
  const replayer = new Replayer(model, initialIndex, false);
  const out: number[] = [];
  let before = model.encode(replayer.state).slice();
  actions.forEach((action, i) => {
    expect(replayer.step(action).ok).toBe(true);
    const after = model.encode(replayer.state).slice();
    if (after.length === before.length && after.every((b, k) => b === before[k])) out.push(i);
    before = after;
  });
  return out;
}

describe('shrinking drops steps that change nothing', () => {
  /** The toy model with a ping that leaves the state as it is. */
  type PingAction = ToyAction | { readonly kind: 'ping' };
  const toy = createToyModel({ max: 4, limit: 3 });
  const pinging: Model<ToyState, PingAction> = {
    ...toy,
    actions: (s) => [...toy.actions(s), { kind: 'ping' }],
    next: (s, a) => (a.kind === 'ping' ? s : toy.next(s, a)),
    describeAction: (a) => (a.kind === 'ping' ? 'ping' : toy.describeAction(a)),
    actionKey: (a) => (a.kind === 'ping' ? 'ping' : toy.actionKey(a)),
  };
  const incA: PingAction = { kind: 'inc', counter: 'a' };
  const ping: PingAction = { kind: 'ping' };

  it('removes every no-op step even when ddmin runs out of tests', () => {
    const noisy = [ping, incA, ping, ping, incA, ping, ping, ping, incA];
    const result = shrink(pinging, { initialIndex: 0, actions: noisy, property: 'A-SMALL' }, 3);
    expect(result.actions).toEqual([incA, incA, incA]);
  });

  it('removes redundant re-deliveries from a heal trace with duplicate delivery', () => {
    const trace = loadTrace(join(traces, 'SCOPE-DURABLE-98655241d6ee.json'));
    const model = createHealModel(trace.config) as Model<unknown, unknown>;
    // After each step, re-deliver a message whose delivery now changes nothing, if any.
    const replayer = new Replayer(model, trace.initialIndex, false);
    const padded: unknown[] = [];
    let inserted = 0;
    for (const action of trace.actions) {
      expect(replayer.step(action).ok).toBe(true);
      padded.push(action);
      const own = model.encode(replayer.state).slice();
      const idle = model.actions(replayer.state).find((a) => {
        const after = model.encode(model.next(replayer.state, a));
        return after.length === own.length && after.every((b, i) => b === own[i]);
      });
      if (idle !== undefined) {
        padded.push(idle);
        inserted++;
      }
    }
    expect(inserted).toBeGreaterThan(2);
    const input = { initialIndex: trace.initialIndex, actions: padded, property: trace.property };
    expect(noOps(model, input.initialIndex, padded)).toHaveLength(inserted);
    const result = shrink(model, input, 10);
    expect(noOps(model, input.initialIndex, result.actions)).toEqual([]);
    expect(result.actions.length).toBeLessThanOrEqual(trace.actions.length);
    expect(violatingPrefix(model, { ...input, actions: result.actions })).not.toBeNull();
  });
});
