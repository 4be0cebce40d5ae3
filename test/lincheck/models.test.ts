import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkEvents } from '../../checker/lincheck/check.ts';
import type { HistoryEvent } from '../../spec/history.ts';
import { healStoreModel } from '../../spec/models/heal-store.ts';
import { registerModel } from '../../spec/models/register.ts';
import { ILLEGAL, UNKNOWN, type SeqModel } from '../../spec/models/types.ts';

const ev = (process: number, type: HistoryEvent['type'], f: string, value: HistoryEvent['value'], key?: string): HistoryEvent => ({
  process,
  type,
  f,
  value,
  ...(key !== undefined ? { key } : {}),
});

describe('sequential models', () => {
  // The 6.824 quiz examples Porcupine tests with, as events.
  it('register: a read may see a concurrent write, a later read may not go back', () => {
    const ok = [
      ev(0, 'invoke', 'write', 100), ev(1, 'invoke', 'read', null), ev(2, 'invoke', 'read', null),
      ev(2, 'ok', 'read', 0), ev(1, 'ok', 'read', 100), ev(0, 'ok', 'write', 100),
    ];
    expect(checkEvents(ok, registerModel(0)).result).toBe('ok');
    const bad = [
      ev(0, 'invoke', 'write', 200), ev(1, 'invoke', 'read', null), ev(1, 'ok', 'read', 200),
      ev(2, 'invoke', 'read', null), ev(2, 'ok', 'read', 0), ev(0, 'ok', 'write', 200),
    ];
    expect(checkEvents(bad, registerModel(0)).result).toBe('illegal');
  });

  it('heal store: keys are independent registers starting at 0, scope-end changes nothing', () => {
    const h = [
      ev(0, 'invoke', 'write', 1, 'a'), ev(0, 'ok', 'write', 1, 'a'),
      ev(0, 'invoke', 'scope-end', null, 'a'), ev(0, 'ok', 'scope-end', null, 'a'),
      ev(1, 'invoke', 'read', null, 'b'), ev(1, 'ok', 'read', 0, 'b'),
      ev(1, 'invoke', 'read', null, 'a'), ev(1, 'ok', 'read', 1, 'a'),
    ];
    const r = checkEvents(h, healStoreModel());
    expect(r).toMatchObject({ result: 'ok', partitions: 2, operations: 4 });
    const stale = [...h, ev(2, 'invoke', 'read', null, 'a'), ev(2, 'ok', 'read', 0, 'a')];
    expect(checkEvents(stale, healStoreModel()).explanation?.key).toBe('a');
  });

  it('an indeterminate write may take effect late, or never', () => {
    const base = [ev(0, 'invoke', 'write', 1), ev(0, 'info', 'write', 1), ev(1, 'invoke', 'read', null), ev(1, 'ok', 'read', 0)];
    expect(checkEvents(base, registerModel(0)).result).toBe('ok');
    expect(checkEvents([...base, ev(1, 'invoke', 'read', null), ev(1, 'ok', 'read', 1)], registerModel(0)).result).toBe('ok');
    const back = [...base, ev(1, 'invoke', 'read', null), ev(1, 'ok', 'read', 1), ev(1, 'invoke', 'read', null), ev(1, 'ok', 'read', 0)];
    expect(checkEvents(back, registerModel(0)).result).toBe('illegal');
  });

  it('a user adds a model in a few lines: a counter with increment and read', () => {
    const counter: SeqModel<number> = {
      name: 'counter',
      init: () => 0,
      ops: {
        inc: { input: z.null(), output: z.any(), step: (s) => s + 1 },
        read: { input: z.null(), output: z.number(), step: (s, _i, out) => (out === UNKNOWN || out === s ? s : ILLEGAL) },
      },
    };
    const h = [ev(0, 'invoke', 'inc', null), ev(1, 'invoke', 'inc', null), ev(0, 'ok', 'inc', null), ev(2, 'invoke', 'read', null), ev(2, 'ok', 'read', 1), ev(1, 'ok', 'inc', null)];
    expect(checkEvents(h, counter).result).toBe('ok');
    h[4] = ev(2, 'ok', 'read', 3);
    expect(checkEvents(h, counter).result).toBe('illegal');
  });
});
