/**
 * "No acknowledged write is lost", checked directly: after the run every key is read
 * once more, and for each key the value found must come from a write that may have taken
 * effect (acknowledged, or of unknown outcome), and no acknowledged write of that key
 * may have begun after that write had completed (it would have superseded it). This is
 * the part of linearizability a lost write breaks, stated on its own so that a failure
 * names the write; `heal lincheck` on the same history judges everything else.
 */
import type { HistoryEntry } from './history.ts';

export interface WriteRecord {
  readonly key: number;
  readonly value: number;
  readonly invoked: number;
  /** Completion time (ns) of an acknowledged write; undefined while unknown (:info or open). */
  readonly acked: number | undefined;
  readonly failed: boolean;
}

export interface LostWrite {
  readonly key: number;
  readonly finalValue: number;
  readonly reason: string;
}

export function writesOf(events: readonly HistoryEntry[]): WriteRecord[] {
  const open = new Map<number, { key: number; value: number; invoked: number }>();
  const out: WriteRecord[] = [];
  for (const e of events) {
    if (e.process === 'nemesis' || e.f !== 'write') continue;
    if (e.type === 'invoke') {
      open.set(e.process, { key: e.key!, value: e.value!, invoked: e.time });
      continue;
    }
    const w = open.get(e.process);
    if (w === undefined) continue;
    open.delete(e.process);
    out.push({ ...w, acked: e.type === 'ok' ? e.time : undefined, failed: e.type === 'fail' });
  }
  for (const w of open.values()) out.push({ ...w, acked: undefined, failed: false });
  return out;
}

/** `finals`: key -> the value the final read returned. Keys not read are not judged. */
export function findLostWrites(events: readonly HistoryEntry[], finals: ReadonlyMap<number, number>): LostWrite[] {
  const byKey = new Map<number, WriteRecord[]>();
  for (const w of writesOf(events)) {
    const list = byKey.get(w.key) ?? [];
    list.push(w);
    byKey.set(w.key, list);
  }
  const lost: LostWrite[] = [];
  for (const [key, finalValue] of finals) {
    const writes = byKey.get(key) ?? [];
    const acked = writes.filter((w) => w.acked !== undefined);
    if (finalValue === 0) {
      if (acked.length > 0) lost.push({ key, finalValue, reason: `reads the initial value 0 but ${acked.length} write(s) were acknowledged (first: ${acked[0]!.value})` });
      continue;
    }
    const source = writes.find((w) => w.value === finalValue && !w.failed);
    if (source === undefined) {
      const failed = writes.some((w) => w.value === finalValue);
      lost.push({ key, finalValue, reason: failed ? `reads ${finalValue}, written by a write refused as having no effect` : `reads ${finalValue}, which no client wrote` });
      continue;
    }
    if (source.acked === undefined) continue;
    const later = acked.find((w) => w !== source && w.invoked > source.acked!);
    if (later) lost.push({ key, finalValue, reason: `reads ${finalValue}, but the acknowledged write of ${later.value} began after that write completed` });
  }
  return lost;
}
