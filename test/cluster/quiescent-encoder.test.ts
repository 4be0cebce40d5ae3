/**
 * The explorer judges a state between encoding it and queueing the encoder's bytes, and
 * under duplicate delivery isQuiescent encodes other states to compare them. It must leave
 * the state's own encoding in the encoder's buffer: otherwise BFS queues another state's
 * bytes, loses states (103 instead of 106 below: 106 is what an explorer that copies
 * each encoding before judging the state counts) and cannot rebuild its counterexamples.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../checker/explore/random.ts';
import { explore } from '../../checker/explore/index.ts';
import { createHealModel } from '../../model/heal.ts';
import { actions, encode, initialState, isQuiescent, next } from '../../src/cluster/index.ts';
import { config } from './harness.ts';

describe('isQuiescent under duplicate delivery', () => {
  it('leaves the encoder holding the judged state\'s bytes', () => {
    const cfg = config({ persistency: 'scope', scopes: 2, writes: 2, reads: 0, crashes: 1, duplicates: true });
    const random = seededRandom(5);
    let judged = 0;
    for (let w = 0; w < 100; w++) {
      let s = initialState(cfg);
      for (let d = 0; d < 40; d++) {
        const view = encode(s);
        const copy = view.slice();
        isQuiescent(cfg, s);
        expect(Buffer.from(view)).toEqual(Buffer.from(copy));
        judged++;
        const as = actions(cfg, s);
        if (as.length === 0) break;
        s = next(cfg, s, as[Math.floor(random() * as.length)]!);
      }
    }
    expect(judged).toBeGreaterThan(1000);
  });

  it('BFS counts every state (synch x heal, 1 write, no read, no crash: 106 distinct, 448 generated)', async () => {
    const model = createHealModel(config({ writes: 1, reads: 0, crashes: 0, duplicates: true }));
    const r = await explore(model, { strategy: 'bfs', seed: 1, workers: 1, symmetry: false });
    expect(r).toMatchObject({ result: 'ok', distinctStates: 106, generatedStates: 448 });
  });
});
