/**
 * Jepsen EDN histories get Knossos's verdict: one hand-written case per rule, each
 * also compared with a brute-force checker that applies Knossos's step rules
 * literally (knossos-brute.ts), and random histories compared the same way.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseHistory } from '../../checker/history/index.ts';
import { buildOperations } from '../../checker/lincheck/operation.ts';
import { checkOperations, type CheckResult } from '../../checker/lincheck/check.ts';
import { splitIndependent } from '../../checker/history/independent.ts';
import { SEQ_MODELS } from '../../spec/models/registry.ts';
import type { Semantics } from '../../checker/lincheck/semantics.ts';
import type { HistoryEvent, HistoryValue } from '../../spec/history.ts';
import { knossosLinearizable } from './knossos-brute.ts';

type ModelName = 'register' | 'cas-register';

function ours(text: string, model: ModelName, semantics: Semantics = 'knossos', initial?: HistoryValue): boolean {
  const h = parseHistory(text, 'jepsen-edn', 'case.edn');
  const m = SEQ_MODELS[model].create(initial);
  const r = checkOperations(buildOperations(h.events, m, { source: h.source, semantics }), m, { explain: false });
  return r.result === 'ok';
}

function knossos(text: string, model: ModelName, initial: HistoryValue = null): boolean {
  return knossosLinearizable(parseHistory(text, 'jepsen-edn', 'case.edn').events, model, initial);
}

const edn = (...lines: string[]) => `[${lines.join('\n')}]`;
const ev = (p: number, type: string, f: string, value: string) => `{:process ${p} :type :${type} :f :${f} :value ${value}}`;

interface Case {
  readonly rule: string;
  readonly model: ModelName;
  readonly initial?: number;
  readonly text: string;
  readonly linearizable: boolean;
}

const cases: Case[] = [
  {
    rule: 'a completed read of nil matches any state (register)',
    model: 'register',
    text: edn(ev(0, 'invoke', 'write', '1'), ev(0, 'ok', 'write', '1'), ev(1, 'invoke', 'read', 'nil'), ev(1, 'ok', 'read', 'nil')),
    linearizable: true,
  },
  {
    rule: 'a completed read of nil matches any state (cas-register, starting at 0)',
    model: 'cas-register',
    initial: 0,
    text: edn(ev(0, 'invoke', 'cas', '[0 5]'), ev(0, 'ok', 'cas', '[0 5]'), ev(1, 'invoke', 'read', 'nil'), ev(1, 'ok', 'read', 'nil'), ev(1, 'invoke', 'read', 'nil'), ev(1, 'ok', 'read', '5')),
    linearizable: true,
  },
  {
    rule: "a read's invocation value is ignored: invoked with 4, read 1",
    model: 'cas-register',
    text: edn(ev(0, 'invoke', 'write', '1'), ev(0, 'ok', 'write', '1'), ev(1, 'invoke', 'read', '4'), ev(1, 'ok', 'read', '1')),
    linearizable: true,
  },
  {
    rule: "a read's invocation value is ignored: invoked with 4, read 4 where only 1 was written",
    model: 'cas-register',
    text: edn(ev(0, 'invoke', 'write', '1'), ev(0, 'ok', 'write', '1'), ev(1, 'invoke', 'read', '4'), ev(1, 'ok', 'read', '4')),
    linearizable: false,
  },
  {
    rule: ':fail did not happen: its value is never read',
    model: 'register',
    text: edn(ev(0, 'invoke', 'write', '1'), ev(0, 'ok', 'write', '1'), ev(0, 'invoke', 'write', '2'), ev(0, 'fail', 'write', '2'), ev(1, 'invoke', 'read', 'nil'), ev(1, 'ok', 'read', '2')),
    linearizable: false,
  },
  {
    rule: ':fail did not happen: the earlier value stays',
    model: 'register',
    text: edn(ev(0, 'invoke', 'write', '1'), ev(0, 'ok', 'write', '1'), ev(0, 'invoke', 'write', '2'), ev(0, 'fail', 'write', '2'), ev(1, 'invoke', 'read', 'nil'), ev(1, 'ok', 'read', '1')),
    linearizable: true,
  },
  {
    rule: ':info may have happened, long after it was invoked',
    model: 'register',
    text: edn(ev(0, 'invoke', 'write', '2'), ev(0, 'info', 'write', '2'), ev(1, 'invoke', 'write', '1'), ev(1, 'ok', 'write', '1'), ev(2, 'invoke', 'read', 'nil'), ev(2, 'ok', 'read', '1'), ev(2, 'invoke', 'read', 'nil'), ev(2, 'ok', 'read', '2')),
    linearizable: true,
  },
  {
    rule: ':info may never have happened',
    model: 'register',
    text: edn(ev(1, 'invoke', 'write', '1'), ev(1, 'ok', 'write', '1'), ev(0, 'invoke', 'write', '2'), ev(0, 'info', 'write', '2'), ev(2, 'invoke', 'read', 'nil'), ev(2, 'ok', 'read', '1')),
    linearizable: true,
  },
  {
    rule: ':info cannot happen before it was invoked',
    model: 'register',
    text: edn(ev(1, 'invoke', 'write', '1'), ev(1, 'ok', 'write', '1'), ev(2, 'invoke', 'read', 'nil'), ev(2, 'ok', 'read', '2'), ev(0, 'invoke', 'write', '2'), ev(0, 'info', 'write', '2')),
    linearizable: false,
  },
  {
    rule: ':info happens at most once: 2 then 1 then 2 again is impossible',
    model: 'register',
    text: edn(ev(0, 'invoke', 'write', '2'), ev(0, 'info', 'write', '2'), ev(2, 'invoke', 'read', 'nil'), ev(2, 'ok', 'read', '2'), ev(1, 'invoke', 'write', '1'), ev(1, 'ok', 'write', '1'), ev(2, 'invoke', 'read', 'nil'), ev(2, 'ok', 'read', '2')),
    linearizable: false,
  },
  {
    rule: 'cas [from to] applies only from its from value',
    model: 'cas-register',
    initial: 0,
    text: edn(ev(0, 'invoke', 'cas', '[0 1]'), ev(0, 'ok', 'cas', '[0 1]'), ev(1, 'invoke', 'cas', '[0 2]'), ev(1, 'ok', 'cas', '[0 2]')),
    linearizable: false,
  },
  {
    rule: 'cas [from to] then a read of to',
    model: 'cas-register',
    initial: 0,
    text: edn(ev(0, 'invoke', 'cas', '[0 1]'), ev(0, 'ok', 'cas', '[0 1]'), ev(1, 'invoke', 'read', 'nil'), ev(1, 'ok', 'read', '1')),
    linearizable: true,
  },
  {
    rule: 'a failed cas did not happen, an :info cas may have',
    model: 'cas-register',
    initial: 0,
    text: edn(ev(0, 'invoke', 'cas', '[0 1]'), ev(0, 'fail', 'cas', '[0 1]'), ev(1, 'invoke', 'cas', '[0 2]'), ev(1, 'info', 'cas', '[0 2]'), ev(2, 'invoke', 'read', 'nil'), ev(2, 'ok', 'read', '2')),
    linearizable: true,
  },
];

describe('Knossos semantics for Jepsen EDN', () => {
  for (const c of cases) {
    it(`${c.rule}: ${c.linearizable ? 'linearizable' : 'not linearizable'}`, () => {
      const initial = c.initial ?? null;
      expect(knossos(c.text, c.model, initial)).toBe(c.linearizable);
      expect(ours(c.text, c.model, 'knossos', c.initial)).toBe(c.linearizable);
    });
  }

  it('the Porcupine semantics differ exactly on nil reads and read invocation values', () => {
    expect(ours(cases[0].text, 'register', 'porcupine')).toBe(false); // nil read after write 1: the key was absent
    expect(() => ours(cases[2].text, 'cas-register', 'porcupine')).toThrow(/read invocation value 4 has the wrong shape: expected nil/);
    expect(ours(cases[4].text, 'register', 'porcupine')).toBe(false);
    expect(ours(cases[6].text, 'register', 'porcupine')).toBe(true);
  });

  it('agrees with the brute-force Knossos checker on random histories', () => {
    const seen = { ok: 0, illegal: 0 };
    const value = fc.constantFrom<HistoryValue>(null, 0, 1, 2);
    const step = fc.record({
      process: fc.nat(3),
      f: fc.constantFrom('read', 'write', 'cas'),
      end: fc.constantFrom('ok', 'ok', 'ok', 'fail', 'info'),
      a: value,
      b: value,
      c: value,
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 16 }), fc.constantFrom<HistoryValue>(null, 0), (steps, initial) => {
        const events: HistoryEvent[] = [];
        const open = new Map<number, { f: string; value: HistoryValue }>();
        let crashed = 0;
        for (const s of steps) {
          const p = s.process + 10 * crashed;
          const o = open.get(p);
          if (o === undefined) {
            const v = s.f === 'cas' ? [s.a ?? 0, s.b ?? 1] : s.f === 'write' ? (s.a ?? 0) : s.a; // a read invocation carries any value
            open.set(p, { f: s.f, value: v });
            events.push({ process: p, type: 'invoke', f: s.f, value: v });
          } else {
            open.delete(p);
            const v = o.f === 'read' ? s.c : o.value;
            events.push({ process: p, type: s.end as HistoryEvent['type'], f: o.f, value: v });
            if (s.end === 'info') crashed++;
          }
        }
        const text = `[${events.map((e) => `{:process ${e.process} :type :${e.type} :f :${e.f} :value ${show(e.value)}}`).join('\n')}]`;
        const expected = knossos(text, 'cas-register', initial);
        if (expected) seen.ok++;
        else seen.illegal++;
        expect(ours(text, 'cas-register', 'knossos', initial ?? undefined)).toBe(expected);
      }),
      { numRuns: 1500 },
    );
    expect(seen.ok).toBeGreaterThan(100);
    expect(seen.illegal).toBeGreaterThan(100);
  });
});

function show(v: HistoryValue): string {
  if (v === null) return 'nil';
  if (Array.isArray(v)) return `[${v.map(show).join(' ')}]`;
  return String(v);
}

describe('Jepsen independent keys (--independent)', () => {
  const perKeyKnossos = (text: string): boolean => {
    const events = splitIndependent(parseHistory(text, 'jepsen-edn', 'ind.edn').events);
    const keys = [...new Set(events.map((e) => e.key))];
    return keys.every((k) => knossosLinearizable(events.filter((e) => e.key === k).map(({ key: _k, ...e }) => e), 'cas-register'));
  };
  const oursIndependent = (text: string): CheckResult => {
    const h = parseHistory(text, 'jepsen-edn', 'ind.edn');
    const m = SEQ_MODELS['cas-register'].create(undefined);
    return checkOperations(buildOperations(splitIndependent(h.events, h.source), m, { source: h.source, semantics: 'knossos' }), m);
  };

  it('splits [k v] values by key: each key is its own register', () => {
    const text = edn(ev(0, 'invoke', 'write', '[1 1]'), ev(0, 'ok', 'write', '[1 1]'), ev(1, 'invoke', 'write', '[2 5]'), ev(1, 'ok', 'write', '[2 5]'), ev(2, 'invoke', 'read', '[1 nil]'), ev(2, 'ok', 'read', '[1 1]'));
    expect(perKeyKnossos(text)).toBe(true);
    const r = oursIndependent(text);
    expect(r).toMatchObject({ result: 'ok', partitions: 2 });
    expect(() => ours(text, 'cas-register')).toThrow(/write invocation value \[1,1\] has the wrong shape/); // without --independent
  });

  it('a stale read on one key is found and named', () => {
    const text = edn(ev(0, 'invoke', 'write', '[1 1]'), ev(0, 'ok', 'write', '[1 1]'), ev(1, 'invoke', 'write', '[2 5]'), ev(1, 'ok', 'write', '[2 5]'), ev(1, 'invoke', 'write', '[2 6]'), ev(1, 'ok', 'write', '[2 6]'), ev(2, 'invoke', 'read', '[2 nil]'), ev(2, 'ok', 'read', '[2 5]'));
    expect(perKeyKnossos(text)).toBe(false);
    const r = oursIndependent(text);
    expect(r.result).toBe('illegal');
    expect(r.explanation?.key).toBe('2');
  });

  it('a value that is not a tuple is bad input naming the line', () => {
    const text = edn(ev(0, 'invoke', 'write', '[1 1]'), ev(0, 'ok', 'write', '3'));
    expect(() => oursIndependent(text)).toThrow(/ind\.edn:2: --independent: expected the value to be a tuple \[key value\], got 3/);
  });
});
