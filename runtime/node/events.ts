/**
 * The node's event log (spec/event-log-format.md), DIR/node-<id>/events.jsonl, appended
 * across restarts: a restarted process finds the last sequence number and goes on from
 * there. Lines are written with one write per step and no fsync: the log records what
 * the node did, and a SIGKILL loses nothing the kernel already has. A line torn by a
 * crash of the whole machine is cut off at open.
 */
import { closeSync, existsSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { LogEvent } from './core.ts';

/**
 * The core's values are numbers with 0 the initial value of every key; the log format
 * writes the initial value as null, because every other value names one client write.
 */
function initialAsNull(e: LogEvent): Record<string, unknown> {
  const out: Record<string, unknown> = { ...e };
  if (out.value === 0) out.value = null;
  if (e.type === 'send' || e.type === 'recv') {
    if (e.msg.value === 0) out.msg = { ...e.msg, value: null };
  }
  return out;
}

export class EventLog {
  private fd: number | null;
  private seq = 0;
  /** Whether the file held events of an earlier run of this node. */
  readonly resumed: boolean;

  constructor(path: string | null, private readonly node: number) {
    if (path === null) {
      this.fd = null;
      this.resumed = false;
      return;
    }
    let keepBytes = 0;
    const existed = existsSync(path);
    if (existed) {
      const text = readFileSync(path, 'utf8');
      const keep = text.lastIndexOf('\n') + 1;
      keepBytes = Buffer.byteLength(text.slice(0, keep));
      const lines = text.slice(0, keep).split('\n').filter((l) => l.trim() !== '');
      const last = lines[lines.length - 1];
      if (last !== undefined) this.seq = (JSON.parse(last) as { seq: number }).seq;
    }
    this.resumed = this.seq > 0;
    this.fd = openSync(path, existed ? 'r+' : 'w');
    ftruncateSync(this.fd, keepBytes);
    this.offset = keepBytes;
  }

  private offset = 0;

  write(events: readonly LogEvent[]): void {
    if (this.fd === null || events.length === 0) return;
    const time = Date.now();
    let text = '';
    for (const e of events) text += `${JSON.stringify({ node: this.node, seq: ++this.seq, time, ...initialAsNull(e) })}\n`;
    const buf = Buffer.from(text);
    writeSync(this.fd, buf, 0, buf.length, this.offset);
    this.offset += buf.length;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
