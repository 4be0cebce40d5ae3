/**
 * What a node counts for `status` (spec/runtime-protocol.md "Status stats"): frames and
 * bytes per message type in each direction, recovery transfer, and when it restarted and
 * was promoted, which the recovery experiment reads.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { MSG_NAMES } from './core.ts';

export interface Traffic {
  frames: number;
  bytes: number;
}

function perType(): Record<string, Traffic> {
  const out: Record<string, Traffic> = {};
  for (const n of [...MSG_NAMES, 'STREAM', 'HELLO']) out[n] = { frames: 0, bytes: 0 };
  return out;
}

export class NodeStats {
  readonly sent = perType();
  readonly received = perType();
  /** MU messages this node sent (as a Buddy) and received (as a shadow): entries transferred. */
  muEntriesSent = 0;
  muEntriesReceived = 0;
  /** Peer frames dropped by a partition, and frames held back for a newer view. */
  droppedByPartition = 0;
  heldForView = 0;
  /** Frames the model would not deliver: sent to an earlier incarnation, or voided (F-PACK-VOID). */
  droppedStale = 0;
  writesOk = 0;
  readsOk = 0;
  scopeEndsOk = 0;
  refused = 0;
  persistBatches = 0;
  persisted = 0;
  /** ms since the Unix epoch: this process started; it was admitted as a shadow (restart view); promoted. */
  readonly startedAt = Date.now();
  restartedAt: number | null = null;
  promotedAt: number | null = null;
  /** Bytes of a torn log tail cut off when the store was opened. */
  tornBytesAtOpen = 0;

  /**
   * The event loop's delay since this process started: a node whose loop is held longer
   * than its lease misses heartbeats and is fenced (finding R4). Sampled every 10 ms.
   */
  readonly #loopDelay = (() => {
    const h = monitorEventLoopDelay({ resolution: 10 });
    h.enable();
    return h;
  })();

  loopDelayMaxMs(): number {
    return Math.round(this.#loopDelay.max / 1e6);
  }

  count(dir: 'sent' | 'received', type: string, bytes: number): void {
    const t = (dir === 'sent' ? this.sent : this.received)[type]!;
    t.frames++;
    t.bytes += bytes;
  }
}
