/**
 * Knossos's other models (mutex, set, unordered-queue, fifo-queue,
 * multi-register): their step rules one by one, and agreement with the
 * brute-force Knossos checker on random Jepsen EDN histories.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseHistory } from '../../checker/history/index.ts';
import { buildOperations } from '../../checker/lincheck/operation.ts';
import { checkOperations } from '../../checker/lincheck/check.ts';
import { SEQ_MODELS, guessModel } from '../../spec/models/registry.ts';
import { ILLEGAL, UNKNOWN } from '../../spec/models/types.ts';
import { mutexModel } from '../../spec/models/mutex.ts';
import { setModel } from '../../spec/models/set.ts';
import { fifoQueueModel, unorderedQueueModel } from '../../spec/models/queues.ts';
import { multiRegisterModel } from '../../spec/models/multi-register.ts';
import { knossosLinearizable, type KnossosModel } from './knossos-brute.ts';

describe('step rules', () => {
  it('mutex: acquire only when free, release only when held', () => {
    const m = mutexModel();
    expect(m.ops.acquire.step(false, null, null)).toBe(true);
    expect(m.ops.acquire.step(true, null, null)).toBe(ILLEGAL);
    expect(m.ops.release.step(true, null, null)).toBe(false);
    expect(m.ops.release.step(false, null, null)).toBe(ILLEGAL);
  });

  it('set: add is idempotent, a read must return exactly the members, in any order', () => {
    const m = setModel();
    const s = m.ops.add.step(m.ops.add.step(m.init(), 2, null) as never, 1, null) as never;
    expect(m.ops.add.step(s, 1, null)).toEqual(s);
    expect(m.ops.read.step(s, null, [2, 1, 1])).toEqual(s);
    expect(m.ops.read.step(s, null, [1])).toBe(ILLEGAL);
    expect(m.ops.read.step(s, null, [1, 2, 3])).toBe(ILLEGAL);
    expect(m.ops.read.step(s, null, UNKNOWN)).toEqual(s);
    expect(m.stateKey!(m.ops.add.step(m.ops.add.step(m.init(), 1, null) as never, 2, null) as never)).toBe(m.stateKey!(s));
  });

  it('queues: the unordered queue dequeues any pending value once, the FIFO queue only the oldest', () => {
    const u = unorderedQueueModel();
    const f = fifoQueueModel();
    const uq = u.ops.enqueue.step(u.ops.enqueue.step(u.init(), 1, null) as never, 2, null) as never;
    const fq = f.ops.enqueue.step(f.ops.enqueue.step(f.init(), 1, null) as never, 2, null) as never;
    expect(u.ops.dequeue.step(uq, null, 2)).toEqual([1]);
    expect(u.ops.dequeue.step(uq, null, 3)).toBe(ILLEGAL);
    expect(f.ops.dequeue.step(fq, null, 2)).toBe(ILLEGAL);
    expect(f.ops.dequeue.step(fq, null, 1)).toEqual([2]);
    expect(f.ops.dequeue.step(f.init(), null, 1)).toBe(ILLEGAL);
    // As Knossos steps an :info dequeue: with its invocation value, nil, which no queue holds.
    expect(u.ops.dequeue.step(uq, null, UNKNOWN)).toBe(ILLEGAL);
  });

  it('multi-register: micro-operations in order, nil reads match, an :info txn uses its invocation value', () => {
    const m = multiRegisterModel({ x: 0 });
    const s = m.ops.txn.step(m.init(), [['read', 'x', null], ['write', 'y', 1]], [['read', 'x', 0], ['write', 'y', 1]]);
    expect(s).not.toBe(ILLEGAL);
    expect(m.ops.txn.step(s as never, [['read', 'y', null]], [['read', 'y', 1]])).toEqual(s);
    expect(m.ops.txn.step(s as never, [['read', 'y', null]], [['read', 'y', 2]])).toBe(ILLEGAL);
    expect(m.ops.txn.step(s as never, [['read', 'x', null]], [['read', 'x', null]])).toEqual(s);
    expect(m.ops.txn.step(s as never, [['write', 'x', 5], ['read', 'x', 5]], [['write', 'x', 5], ['read', 'x', 5]])).not.toBe(ILLEGAL);
    expect(m.ops.txn.step(s as never, [['write', 'x', 7]], UNKNOWN)).toEqual([['x', 7], ['y', 1]]);
  });

  it('guesses the model from the operations', () => {
    const names = (...fs: string[]) => guessModel(fs.map((f) => ({ process: 0, type: 'invoke' as const, f, value: null })));
    expect(names('acquire', 'release')).toBe('mutex');
    expect(names('add', 'read')).toBe('set');
    expect(names('enqueue', 'dequeue')).toBe('unordered-queue');
    expect(names('txn')).toBe('multi-register');
  });
});

interface Step {
  readonly process: number;
  readonly pick: number;
  readonly end: 'ok' | 'fail' | 'info';
  readonly a: number;
  readonly b: number;
}

/** For each model: the operation a step invokes, as [f, invocation value, completion value] in EDN. */
const ops: Record<Exclude<KnossosModel, 'register' | 'cas-register'>, (s: Step) => [string, string, string]> = {
  mutex: (s) => [s.pick % 2 === 0 ? 'acquire' : 'release', 'nil', 'nil'],
  set: (s) =>
    s.pick % 2 === 0
      ? ['add', String(s.a % 3), String(s.a % 3)]
      : ['read', 'nil', `#{${[0, 1, 2].filter((i) => (s.b >> i) & 1).join(' ')}}`],
  'unordered-queue': (s) => (s.pick % 2 === 0 ? ['enqueue', String(s.a % 3), String(s.a % 3)] : ['dequeue', 'nil', String(s.b % 3)]),
  'fifo-queue': (s) => (s.pick % 2 === 0 ? ['enqueue', String(s.a % 3), String(s.a % 3)] : ['dequeue', 'nil', String(s.b % 3)]),
  'multi-register': (s) => {
    const keys = ['"x"', '"y"'];
    const k1 = keys[s.a % 2];
    const k2 = keys[(s.a >> 1) % 2];
    const read = (k: string, v: number) => `[:read ${k} ${v === 2 ? 'nil' : v}]`;
    const write = (k: string) => `[:write ${k} ${s.b % 2}]`;
    switch (s.pick % 3) {
      case 0:
        return ['txn', `[${read(k1, 2)}]`, `[${read(k1, s.b % 3)}]`];
      case 1:
        return ['txn', `[${write(k1)}]`, `[${write(k1)}]`];
      default:
        return ['txn', `[${write(k1)} ${read(k2, 2)}]`, `[${write(k1)} ${read(k2, (s.b >> 1) % 3)}]`];
    }
  },
};

function history(model: keyof typeof ops, steps: readonly Step[]): string {
  const lines: string[] = [];
  const open = new Map<number, [string, string, string]>();
  let crashed = 0;
  for (const s of steps) {
    const p = s.process + 10 * crashed;
    const o = open.get(p);
    if (o === undefined) {
      const op = ops[model](s);
      open.set(p, op);
      lines.push(`{:process ${p} :type :invoke :f :${op[0]} :value ${op[1]}}`);
    } else {
      open.delete(p);
      lines.push(`{:process ${p} :type :${s.end} :f :${o[0]} :value ${s.end === 'ok' ? o[2] : o[1]}}`);
      if (s.end === 'info') crashed++;
    }
  }
  return `[${lines.join('\n')}]`;
}

describe('agreement with the brute-force Knossos checker on random histories', () => {
  const initial: Record<keyof typeof ops, unknown> = { mutex: false, set: [], 'unordered-queue': [], 'fifo-queue': [], 'multi-register': [] };
  for (const model of Object.keys(ops) as (keyof typeof ops)[]) {
    it(model, () => {
      const seen = { ok: 0, illegal: 0 };
      const step = fc.record({
        process: fc.nat(2),
        pick: fc.nat(5),
        end: fc.constantFrom<Step['end']>('ok', 'ok', 'ok', 'fail', 'info'),
        a: fc.nat(7),
        b: fc.nat(7),
      });
      fc.assert(
        fc.property(fc.array(step, { minLength: 1, maxLength: 14 }), (steps) => {
          const text = history(model, steps);
          const h = parseHistory(text, 'jepsen-edn', `${model}.edn`);
          const expected = knossosLinearizable(h.events, model, initial[model]);
          const m = SEQ_MODELS[model].create(undefined);
          const got = checkOperations(buildOperations(h.events, m, { source: h.source, semantics: 'knossos' }), m, { explain: false });
          if (expected) seen.ok++;
          else seen.illegal++;
          expect(got.result).toBe(expected ? 'ok' : 'illegal');
        }),
        { numRuns: 600 },
      );
      expect(seen.ok).toBeGreaterThan(30);
      expect(seen.illegal).toBeGreaterThan(30);
    });
  }
});
