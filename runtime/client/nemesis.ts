/**
 * Faults on a schedule: SIGKILL one node at a chosen time (or a seeded random one),
 * restart it after a downtime, and optionally kill it again while it recovers (the
 * restarted node is a shadow until promoted) and restart it once more. Every action goes
 * into the history as a `:nemesis` event and into the returned log, on the history's clock.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Control } from './control.ts';
import type { History } from './history.ts';
import { rng } from './workload.ts';

export interface NemesisPlan {
  /** A node id, or undefined for a seeded random choice. */
  readonly node: number | undefined;
  /** Since the nemesis started (which the load starts with). */
  readonly atMs: number;
  readonly restartAfterMs: number | undefined;
  readonly duringRecovery: boolean;
  readonly seed: number;
}

export interface NemesisAction {
  readonly what: 'kill' | 'restart' | 'promoted' | 'note';
  readonly node: number;
  /** ms on the history's clock, when the control port confirmed. */
  readonly tMs: number;
  readonly pid?: number;
  readonly note?: string;
}

export function chooseNode(plan: NemesisPlan, nodeIds: readonly number[]): number {
  if (plan.node !== undefined) return plan.node;
  return nodeIds[Math.floor(rng(plan.seed ^ 0x5eed)() * nodeIds.length)]!;
}

export async function runNemesis(
  plan: NemesisPlan,
  nodeIds: readonly number[],
  control: Control,
  history: History,
  signal?: AbortSignal,
  onAction?: (a: NemesisAction) => void,
): Promise<NemesisAction[]> {
  const log: NemesisAction[] = [];
  const nowMs = () => history.now() / 1e6;
  const start = nowMs();
  const node = chooseNode(plan, nodeIds);
  const wait = async (ms: number) => {
    if (ms > 0) await sleep(ms, undefined, signal ? { signal } : undefined);
  };
  const act = async (what: 'kill' | 'restart') => {
    history.nemesis(what, node);
    const pid = what === 'kill' ? await control.kill(node) : await control.restart(node);
    const action: NemesisAction = { what, node, tMs: nowMs(), ...(pid === undefined ? {} : { pid }) };
    log.push(action);
    onAction?.(action);
  };

  try {
    await wait(start + plan.atMs - nowMs());
    await act('kill');
    if (plan.restartAfterMs === undefined) return log;
    await wait(plan.restartAfterMs);
    await act('restart');
    if (!plan.duringRecovery) return log;
    // Kill again while the node is still a shadow; if it is promoted first, say so.
    for (;;) {
      const role = (await control.status()).nodes.find((n) => n.id === node)?.role;
      if (role === 'shadow') break;
      if (role === 'replica') {
        log.push({ what: 'note', node, tMs: nowMs(), note: 'promoted before the second kill: recovery was not interrupted' });
        return log;
      }
      await wait(5);
    }
    await act('kill');
    await wait(plan.restartAfterMs);
    await act('restart');
  } catch (e) {
    if ((e as Error).name !== 'AbortError') throw e;
  }
  return log;
}
