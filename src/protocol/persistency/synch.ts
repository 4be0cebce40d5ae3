/**
 * Synchronous (spec/persistency.md "Synchronous"): a follower ACKs an INV only once the
 * update is durable (P-SYNCH-ACK), and a write completes only once it is durable at its
 * coordinator too. Guarantee: DUR-SYNCH.
 */
import { bit } from '../node.ts';
import { answerWhenDurable, durableCovers } from '../persistency.ts';
import { ppConfirm } from '../recovery-hooks.ts';
import { OWED_ACK } from '../types.ts';
import { BASE_MODEL, ackNow, type PersistencyModel } from './model.ts';

export const synch: PersistencyModel & { readonly name: 'synch' } = {
  ...BASE_MODEL,
  name: 'synch',
  title: 'Synchronous',
  guarantee: 'DUR-SYNCH',
  records: 'write-at-members',
  answerInv(node, ctx, from, k, ts) {
    // Mutant synch-ack-before-persist: the ACK goes out on applying the INV.
    if (ctx.mutant === 'synch-ack-before-persist') {
      ackNow(ctx, from, k, ts);
      return node;
    }
    return answerWhenDurable(node, ctx, OWED_ACK, k, ts, from);
  },
  // An ACK is sent only once its sender has ts durable: it confirms the PP entry.
  onAck: (node, ctx, from, k, ts) => (ctx.trackPP ? ppConfirm(node, ctx, k, ts, bit(from)) : node),
  mayComplete: durableCovers,
  // Every member ACKed after persisting: the update is durable everywhere.
  onCommit: (node, ctx, k, ts) => (ctx.trackPP ? ppConfirm(node, ctx, k, ts, ctx.members) : node),
  onVal: (node, ctx, k, ts) => (ctx.trackPP ? ppConfirm(node, ctx, k, ts, ctx.members) : node),
  // The ACK already says the update is durable at its sender.
  durableNotices: false,
};
