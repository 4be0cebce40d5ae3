/**
 * HEAL-specific pieces of conformance checking: whether a logged event describes an
 * event of the model (only the fields the log gives are compared; written values go
 * through the Binding), how events read to people, and which rules of spec/ produce
 * or consume each kind of event.
 */
import type { LogEvent, LogMsg, LogTs } from '../../src/cluster/event-log.ts';
import { bind, type Binding } from './binding.ts';

function sameTs(logged: LogTs | undefined, model: LogTs | undefined): boolean {
  if (logged === undefined) return true;
  if (model === undefined) return false;
  if (logged[0] !== model[0] || logged[1] !== model[1]) return false;
  return logged[2] === undefined || logged[2] === (model[2] ?? 0);
}

function sameSet(logged: readonly number[] | undefined, model: readonly number[] | undefined): boolean {
  if (logged === undefined) return true;
  if (model === undefined || logged.length !== model.length) return false;
  const a = [...logged].sort((x, y) => x - y);
  const b = [...model].sort((x, y) => x - y);
  return a.every((v, i) => v === b[i]);
}

function eq<T>(logged: T | undefined, model: T | undefined): boolean {
  return logged === undefined || logged === model;
}

function bindValue(b: Binding, logged: number | undefined, model: number | undefined): Binding | null {
  if (logged === undefined) return b;
  if (model === undefined) return null;
  return bind(b, model, logged);
}

function matchMsg(l: LogMsg, m: LogMsg, b: Binding): Binding | null {
  if (l.type !== m.type || !eq(l.from, m.from) || !eq(l.to, m.to) || !eq(l.key, m.key) || !eq(l.epoch, m.epoch)) return null;
  if (!eq(l.valid, m.valid) || !eq(l.count, m.count) || !sameTs(l.ts, m.ts) || !sameSet(l.nodes, m.nodes)) return null;
  return bindValue(b, l.value, m.value);
}

/** The binding under which the logged event describes the model's event, or null. */
export function matchEvent(logged: LogEvent, model: LogEvent, b: Binding): Binding | null {
  if (logged.type !== model.type) return null;
  switch (logged.type) {
    case 'invoke':
    case 'ok': {
      const m = model as typeof logged;
      if (logged.op !== m.op || !eq(logged.key, m.key)) return null;
      return bindValue(b, logged.value, m.value);
    }
    case 'send':
    case 'recv':
      return matchMsg(logged.msg, (model as typeof logged).msg, b);
    case 'persist':
    case 'persisted': {
      const m = model as typeof logged;
      if (!eq(logged.key, m.key) || !sameTs(logged.ts, m.ts)) return null;
      return bindValue(b, logged.value, m.value);
    }
    case 'crash':
      return b;
    case 'restart':
      return eq(logged.incarnation, (model as typeof logged).incarnation) ? b : null;
    case 'view': {
      const m = model as typeof logged;
      return eq(logged.epoch, m.epoch) && sameSet(logged.replicas, m.replicas) && sameSet(logged.shadows, m.shadows) ? b : null;
    }
    case 'recovery': {
      const m = model as typeof logged;
      return logged.milestone === m.milestone && eq(logged.key, m.key) && sameTs(logged.ts, m.ts) ? b : null;
    }
  }
}

const tsText = (ts: LogTs | undefined): string => (ts === undefined ? '?' : `${ts[0]}.${ts[1]}${ts[2] ? `'${ts[2]}` : ''}`);

/** One readable line; `value` renders a value (the model's, or the log's). */
export function describeEvent(node: number, e: LogEvent, value: (v: number) => string = String): string {
  const k = (key: number | undefined) => (key === undefined ? '' : `k${key}`);
  const v = (x: number | undefined) => (x === undefined ? '' : `, value ${value(x)}`);
  switch (e.type) {
    case 'invoke':
      return `n${node} client invokes ${e.op} ${k(e.key)}${v(e.value)}`.trimEnd();
    case 'ok':
      return `n${node} client ${e.op} ${k(e.key)} returns${v(e.value)}`;
    case 'send':
    case 'recv': {
      const m = e.msg;
      const fields = [
        m.key !== undefined ? `k${m.key}` : '', m.ts ? `ts ${tsText(m.ts)}` : '', m.value !== undefined ? `v ${value(m.value)}` : '',
        m.epoch !== undefined ? `e${m.epoch}` : '', m.valid !== undefined ? (m.valid ? 'valid' : 'invalid') : '',
        m.nodes ? `W {${m.nodes.map((n) => `n${n}`).join(',')}}` : '', m.count !== undefined ? `count ${m.count}` : '',
      ].filter((f) => f !== '');
      const peer = e.type === 'send' ? (m.to !== undefined ? ` to n${m.to}` : '') : m.from !== undefined ? ` from n${m.from}` : '';
      return `n${node} ${e.type === 'send' ? 'sends' : 'receives'} ${m.type}(${fields.join(', ')})${peer}`;
    }
    case 'persist':
      return `n${node} issues the persist of ${k(e.key)} ts ${tsText(e.ts)}${v(e.value)}`;
    case 'persisted':
      return `n${node} completes the persist of ${k(e.key)} ts ${tsText(e.ts)}${v(e.value)}`;
    case 'crash':
      return `n${node} crashes`;
    case 'restart':
      return `n${node} restarts${e.incarnation !== undefined ? ` (incarnation ${e.incarnation})` : ''}`;
    case 'view':
      return `n${node} installs view${e.epoch !== undefined ? ` e${e.epoch}` : ''}${e.replicas ? ` replicas {${e.replicas.map((n) => `n${n}`).join(',')}}` : ''}${e.shadows ? ` shadows {${e.shadows.map((n) => `n${n}`).join(',')}}` : ''}`;
    case 'recovery':
      return `n${node} recovery: ${e.milestone}${e.key !== undefined ? ` k${e.key}` : ''}${e.ts ? ` ts ${tsText(e.ts)}` : ''}`;
  }
}

const SEND_RULES: Record<string, string[]> = {
  INV: ['R-WRITE', 'R-REPLAY-FOLLOWER', 'R-REPLAY-COORD', 'H-MU-REPLAY', 'H-PROMOTE-REPLAY'],
  ACK: ['R-RCV-INV', 'P-SYNCH-ACK'],
  VAL: ['R-COMPLETE'],
  PACK: ['P-RENF-PACK'],
  PVAL: ['P-RENF-PVAL'],
  DURABLE: ['H-DURABLE-NOTICE', 'RED-DURABLE-COALESCE'],
  PERSIST_SCOPE: ['P-SCOPE-END'],
  SCOPE_ACK: ['P-SCOPE-RCV'],
  START_ACK: ['RED-START-ACK'],
  MU: ['H-MU-STREAM', 'F-COPY'],
  MU_END: ['H-MU-STREAM'],
};
const RECV_RULES: Record<string, string[]> = {
  INV: ['R-RCV-INV', 'R-STALE'],
  ACK: ['R-RCV-ACK', 'R-STALE'],
  VAL: ['R-RCV-VAL'],
  PACK: ['P-RENF-RCV-PACK'],
  PVAL: ['P-RENF-RCV-PVAL'],
  DURABLE: ['H-RCV-DURABLE'],
  PERSIST_SCOPE: ['P-SCOPE-RCV'],
  SCOPE_ACK: ['P-SCOPE-ACK'],
  START_ACK: ['H-RCV-START-ACK'],
  MU: ['H-RCV-MU', 'F-RCV-COPY'],
  MU_END: ['H-RCV-MU-END'],
};

/** The rules of spec/ that produce (or, for a receive, handle) an event of this kind. */
export function rulesFor(e: LogEvent): string[] {
  switch (e.type) {
    case 'invoke':
      return e.op === 'write' ? ['R-WRITE'] : e.op === 'read' ? ['R-READ', 'read-condition'] : ['P-SCOPE-END'];
    case 'ok':
      return e.op === 'write' ? ['R-COMPLETE', 'completion-condition'] : e.op === 'read' ? ['R-READ', 'read-condition'] : ['P-SCOPE-DONE'];
    case 'send':
      return SEND_RULES[e.msg.type] ?? [];
    case 'recv':
      return RECV_RULES[e.msg.type] ?? [];
    case 'persist':
      return ['P-ISSUE'];
    case 'persisted':
      return ['P-PERSIST-DONE', 'P-STRICT-FIFO'];
    case 'crash':
      return ['C-CRASH'];
    case 'restart':
      return ['C-RESTART', 'H-RESTART', 'F-RESTART'];
    case 'view':
      return ['C-CRASH', 'C-RESTART', 'C-PROMOTE', 'H-PROMOTE'];
    case 'recovery':
      return e.milestone === 'mu-applied' ? ['H-RCV-MU'] : e.milestone === 'stream-complete' ? ['H-RCV-MU', 'H-RCV-MU-END'] : ['H-PROMOTE', 'C-PROMOTE'];
  }
}
