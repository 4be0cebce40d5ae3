/**
 * Integers past 2^53 must compare exactly in every format: as doubles,
 * 9007199254740993 and 9007199254740992 are the same number, and a stale read of
 * the one after a write of the other would pass as linearizable.
 */
import { describe, expect, it } from 'vitest';
import { parseHistory, type HistoryFormat } from '../../checker/history/index.ts';
import { checkEvents } from '../../checker/lincheck/check.ts';
import { formatExplanation } from '../../checker/lincheck/explain.ts';
import { SEQ_MODELS } from '../../spec/models/registry.ts';

const WRITTEN = '9007199254740993';
const NEIGHBOUR = '9007199254740992';

function history(format: HistoryFormat, written: string, read: string): string {
  switch (format) {
    case 'json':
      return `[{"process":0,"type":"invoke","f":"write","value":${written}},
{"process":0,"type":"ok","f":"write","value":${written}},
{"process":1,"type":"invoke","f":"read","value":null},
{"process":1,"type":"ok","f":"read","value":${read}}]`;
    case 'jepsen-edn':
      return `[{:process 0 :type :invoke :f :write :value ${written}}
{:process 0 :type :ok :f :write :value ${written}}
{:process 1 :type :invoke :f :read :value nil}
{:process 1 :type :ok :f :read :value ${read}}]`;
    case 'porcupine-etcd':
      return `INFO  jepsen.util - 0\t:invoke\t:write\t${written}
INFO  jepsen.util - 0\t:ok\t:write\t${written}
INFO  jepsen.util - 1\t:invoke\t:read\tnil
INFO  jepsen.util - 1\t:ok\t:read\t${read}`;
  }
}

const check = (format: HistoryFormat, text: string, model = 'register') => {
  const h = parseHistory(text, format, `h.${format}`);
  const m = SEQ_MODELS[model].create(undefined);
  return { result: checkEvents(h.events, m, { source: h.source }), model: m };
};

describe('integers past 2^53 compare exactly', () => {
  for (const format of ['json', 'jepsen-edn', 'porcupine-etcd'] as const) {
    it(`${format}: a read of the neighbouring integer is not linearizable`, () => {
      expect(check(format, history(format, WRITTEN, NEIGHBOUR)).result.result).toBe('illegal');
      expect(check(format, history(format, WRITTEN, WRITTEN)).result.result).toBe('ok');
    });
    it(`${format}: the explanation prints the exact digits`, () => {
      const { result, model } = check(format, history(format, WRITTEN, NEIGHBOUR));
      const text = formatExplanation(model, result.explanation!).join('\n');
      expect(text).toContain(`write(${WRITTEN})`);
      expect(text).toContain(`read() -> ${NEIGHBOUR}`);
    });
  }

  it('cas compares its from value exactly (porcupine-etcd)', () => {
    const text = `INFO  jepsen.util - 0\t:invoke\t:write\t${WRITTEN}
INFO  jepsen.util - 0\t:ok\t:write\t${WRITTEN}
INFO  jepsen.util - 1\t:invoke\t:cas\t[${NEIGHBOUR} 1]
INFO  jepsen.util - 1\t:ok\t:cas\t[${NEIGHBOUR} 1]`;
    expect(check('porcupine-etcd', text, 'cas-register').result.result).toBe('illegal');
    expect(check('porcupine-etcd', text.replaceAll(`[${NEIGHBOUR} 1]`, `[${WRITTEN} 1]`), 'cas-register').result.result).toBe('ok');
  });

  it('EDN big integers (and the N suffix) keep every digit', () => {
    const big = '99999999999999999999999999';
    const h = parseHistory(`{:process 0 :type :invoke :f :write :value ${big}N}`, 'jepsen-edn', 'h.edn');
    expect(h.events[0].value).toBe(BigInt(big));
    const { result, model } = check('jepsen-edn', history('jepsen-edn', big, '99999999999999999999999998'));
    expect(result.result).toBe('illegal');
    expect(formatExplanation(model, result.explanation!).join('\n')).toContain(`write(${big})`);
  });

  it('safe integers stay numbers, so 5 in one event equals 5 in another', () => {
    const h = parseHistory(history('json', '5', '5'), 'json', 'h.json');
    expect(h.events[0].value).toBe(5);
    expect(check('json', history('json', '-9007199254740993', '-9007199254740992')).result.result).toBe('illegal');
  });
});
