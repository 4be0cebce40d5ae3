/**
 * Generated histories written in the formats Porcupine's own test parsers read (and ours
 * too), so that both checkers time the same files: Jepsen's etcd log for one register,
 * Porcupine's kv log (EDN maps, one a line) for keys. Indeterminate operations (:info)
 * are written as invocations without a completion, which both read as "may have
 * happened": Porcupine's parsers know no :info line.
 */
import type { HistoryEvent } from '../spec/history.ts';

/** One register of distinct integer writes: `INFO  jepsen.util - P\t:invoke\t:write\tV`. */
export function toEtcdLog(events: readonly HistoryEvent[]): string {
  const lines: string[] = [];
  for (const e of events) {
    if (e.type === 'info') continue;
    if (e.f !== 'read' && e.f !== 'write') throw new Error(`etcd log: no ${e.f} operations here`);
    if (e.key !== undefined) throw new Error('etcd log: one register only, got a keyed event');
    const value = e.value === null ? 'nil' : String(e.value);
    lines.push(`INFO  jepsen.util - ${e.process}\t:${e.type}\t:${e.f}\t${value}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Reads and writes of keyed registers as Porcupine's kv get/put: a put writes the value
 * as a string, a get of a key never written returns "" (the kv model's initial value).
 */
export function toKvLog(events: readonly HistoryEvent[]): string {
  const lines: string[] = [];
  for (const e of events) {
    if (e.type === 'info') continue;
    const f = e.f === 'read' ? 'get' : e.f === 'write' ? 'put' : undefined;
    if (f === undefined) throw new Error(`kv log: no ${e.f} operations here`);
    const value = e.type === 'invoke' && f === 'get' ? 'nil' : JSON.stringify(e.value === null ? '' : String(e.value));
    lines.push(`{:process ${e.process}, :type :${e.type}, :f :${f}, :key ${JSON.stringify(e.key ?? '0')}, :value ${value}}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Jepsen EDN, a vector of maps (the format `heal lincheck` documents first). */
export function toEdn(events: readonly HistoryEvent[]): string {
  const edn = events.map(
    (e) => `{:process ${e.process} :type :${e.type} :f :${e.f}${e.key === undefined ? '' : ` :key ${JSON.stringify(e.key)}`} :value ${e.value ?? 'nil'}}`,
  );
  return `[${edn.join('\n ')}]\n`;
}
