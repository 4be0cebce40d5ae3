/**
 * Finding R4: what the protocol core alone (no I/O) costs a recovering node at K keys.
 * A node whose every key holds a durable update (a preloaded store) restarts and is
 * admitted; then, separately timed: the promotion step of a HEAL node that received no
 * MU entry (H-PROMOTE replays every untouched key with a durable value, F1), a FullCopy
 * stream of K MU entries applied one step each, and the ACKs that finish the replays.
 *
 *   npx tsx bench/core-recovery.ts [keys...] [--persistency P]   (default synch)
 */
import { Core, type Msg } from '../runtime/node/core.ts';
import type { View } from '../runtime/wire/messages.ts';

const view = (epoch: number, cause: View['cause'], node: number, roles: Record<string, 'replica' | 'shadow'>): View => ({
  epoch, members: [0, 1, 2], roles, cause, node, wasShadow: false, buddy: cause === 'restart' ? 2 : -1, holders: { '1': 0b101 }, reselect: {},
});
const ms = (t: number) => `${(performance.now() - t).toFixed(0)} ms`;

const args = process.argv.slice(2);
const at = args.indexOf('--persistency');
const persistency = (at >= 0 ? args.splice(at, 2)[1] : 'synch') as 'synch' | 'strict' | 'renf' | 'scope' | 'eventual';
for (const keys of (args.length > 0 ? args : ['10000', '30000']).map(Number)) {
  for (const recovery of ['heal', 'fullcopy'] as const) {
    const durable = Array.from({ length: keys }, (_, k) => ({ ts: 256 * 2 + 1, value: k + 1, seq: 0 }));
    const core = new Core({ self: 1, nodes: 3, keys, persistency, recovery }, durable, 0);
    let t = performance.now();
    core.installView(view(2, 'restart', 1, { '0': 'replica', '1': 'shadow', '2': 'replica' }), () => 0b101);
    const restart = ms(t);
    const mu = (k: number, count: number): Msg => ({ type: 9, from: 2, to: 1, key: k, ts: 256 * 3 + 2, value: k + 7, epoch: 0, durableAt: 0, count, valid: true });
    t = performance.now();
    let persists = 0;
    if (recovery === 'heal') core.receive({ type: 10, from: 2, to: 1, key: 0, ts: 0, value: 0, epoch: 0, durableAt: 0, count: 0, valid: false });
    else for (let k = 0; k < keys; k++) persists += core.receive(mu(k, keys)).events.filter((e) => e.type === 'persist').length;
    const stream = ms(t);
    t = performance.now();
    for (const p of core.pending.slice()) core.persisted(p);
    const persisted = ms(t);
    t = performance.now();
    const r = core.installView(view(3, 'promote', 1, { '0': 'replica', '1': 'replica', '2': 'replica' }), () => 0);
    const promote = ms(t);
    t = performance.now();
    for (const m of r.sends) if (m.type === 0) core.receive({ type: 1, from: m.to, to: 1, key: m.key, ts: m.ts, value: 0, epoch: 3, durableAt: 0, count: 0, valid: false });
    const acks = ms(t);
    console.log(`${keys} keys ${recovery}: restart ${restart}; stream of ${recovery === 'heal' ? 0 : keys} MU ${stream} (${persists} persists); their persists ${persisted}; promotion ${promote} (${r.sends.length} INVs); ACKs of the replays ${acks}`);
  }
}
