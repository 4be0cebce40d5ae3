/**
 * Finding R1 (spec/runtime-protocol.md "Findings"), on the core alone: a shadow counted
 * the keys of its Buddy's stream in a 32-bit mask, so with more than 32 keys its stream
 * never completed and it was never promoted. Fixed by key sets of any size
 * (src/protocol/key-set.ts); the streams below failed from 33 keys on before.
 */
import { describe, expect, it } from 'vitest';
import { Core } from '../../runtime/node/core.ts';
import type { View } from '../../runtime/wire/messages.ts';

function view(epoch: number, roles: Record<string, 'replica' | 'shadow'>, cause: View['cause'], node: number, buddy = -1): View {
  return { epoch, members: Object.keys(roles).map(Number), roles, cause, node, wasShadow: false, buddy, holders: {}, reselect: {} };
}

/** Node 1 restarts under FullCopy; node 0, its Buddy, streams every key; true when node 1 may be promoted. */
function fullCopyRecovery(keys: number): boolean {
  const cfg = { nodes: 2, keys, persistency: 'eventual' as const, recovery: 'fullcopy' as const };
  const buddy = new Core({ ...cfg, self: 0 }, null, 0);
  buddy.installInitial(view(0, { 0: 'replica', 1: 'replica' }, 'init', -1));
  buddy.installView(view(1, { 0: 'replica' }, 'crash', 1), () => 0);
  const shadow = new Core({ ...cfg, self: 1 }, Array.from({ length: keys }, () => ({ ts: 0, value: 0, seq: 0 })), 0);
  const restart = view(2, { 0: 'replica', 1: 'shadow' }, 'restart', 1, 0);
  shadow.installView(restart, () => 0);
  const stream = buddy.installView(restart, () => 0);
  expect(stream.sends.filter((m) => m.type === 9)).toHaveLength(keys);
  let promotable = false;
  for (const m of stream.sends) promotable = shadow.receive(m).promotable || promotable;
  return promotable;
}

describe('R1: recovery and the key count', () => {
  it('a FullCopy stream of 32 keys completes and the shadow may be promoted', () => {
    expect(fullCopyRecovery(32)).toBe(true);
  });

  it('FullCopy streams of 33, 64 and 1,000 keys complete too (keys aliased in a 32-bit Recovering.muKeys before)', () => {
    for (const keys of [33, 64, 1000]) expect(fullCopyRecovery(keys), `${keys} keys`).toBe(true);
  });
});
