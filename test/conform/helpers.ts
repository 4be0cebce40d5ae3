/** Logs for the conformance tests: random runs exported, and runs of saved traces. */
import { exportRun } from '../../cli/conform/export.ts';
import { parseLog } from '../../cli/conform/log-format.ts';
import { randomRun } from '../../cli/conform/random-run.ts';
import { runConformance, type ConformFlags, type ConformReport } from '../../cli/conform/run.ts';
import { actionKey, actions, initialState, next, type ClusterAction, type ClusterConfig, type ClusterState } from '../../src/cluster/index.ts';
import { stepEvents } from '../../src/cluster/event-log.ts';
import { PERSISTENCIES, hasScopeEnds, type Persistency } from '../../src/protocol/persistency/index.ts';
import type { Recovery } from '../../src/protocol/recovery/index.ts';

export { PERSISTENCIES };

export function configFor(p: Persistency, recovery: Recovery, over: Partial<ClusterConfig> = {}): ClusterConfig {
  return {
    nodes: 3, keys: 1, persistency: p, recovery, writes: 3, reads: 2, scopes: hasScopeEnds(p) ? 1 : 0, crashes: 1,
    duplicates: false, mutant: null, ...over,
  };
}

export function randomLog(config: ClusterConfig, seed: number, maxSteps = 120): string[] {
  return exportRun(config, randomRun(config, { seed, maxSteps }));
}

export function judge(lines: readonly string[], flags: Partial<ConformFlags> = {}): ConformReport {
  return runConformance(parseLog(lines.join('\n'), 'test.jsonl'), { maxStates: 200_000, out: null, ...flags });
}

/** The model's enabled instances of recorded actions, up to the first that is not enabled. */
export function enabledPrefix(config: ClusterConfig, recorded: readonly unknown[]): ClusterAction[] {
  let s: ClusterState = { ...initialState(config), history: null };
  const out: ClusterAction[] = [];
  for (const r of recorded) {
    const a = actions(config, s).find((x) => actionKey(x) === actionKey(r as ClusterAction));
    if (!a) break;
    out.push(a);
    s = next(config, s, a);
  }
  return out;
}

/**
 * Where the run of a mutant first does what the correct protocol does not: the 1-based
 * line (in exportRun's file, meta line included) of the first event of the first step
 * whose events differ, or whose action the correct model does not enable. null: none.
 */
export function divergenceLine(mutantConfig: ClusterConfig, run: readonly ClusterAction[]): number | null {
  const d = divergence(mutantConfig, run);
  return d === null ? null : d.step;
}

/** The first line of the first step that differs, and the line of its first differing event. */
export function divergence(mutantConfig: ClusterConfig, run: readonly ClusterAction[]): { step: number; event: number } | null {
  const correct: ClusterConfig = { ...mutantConfig, mutant: null };
  let sm: ClusterState = { ...initialState(mutantConfig), history: null };
  let sc: ClusterState = { ...initialState(correct), history: null };
  let line = 2;
  for (const a of run) {
    const m2 = next(mutantConfig, sm, a);
    const mine = stepEvents(mutantConfig, sm, a, m2);
    const enabled = actions(correct, sc).some((x) => actionKey(x) === actionKey(a));
    if (!enabled) return { step: line, event: line };
    const c2 = next(correct, sc, a);
    const theirs = stepEvents(correct, sc, a, c2);
    for (let i = 0; i < mine.length; i++) {
      if (JSON.stringify(mine[i]) !== JSON.stringify(theirs[i])) return { step: line, event: line + i };
    }
    if (theirs.length !== mine.length) return { step: line, event: line + mine.length };
    line += mine.length;
    sm = m2;
    sc = c2;
  }
  return null;
}
