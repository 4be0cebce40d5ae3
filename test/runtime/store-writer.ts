/**
 * Child of store.test.ts: commits batches to a Store as fast as it can and reports each
 * batch whose fsync returned, until it is killed.
 */
import { Store } from '../../runtime/node/store.ts';

const [dir] = process.argv.slice(2);
const { store } = Store.open(dir!, 150);
let seq = 0;
const round = () => {
  const batch = Array.from({ length: 20 }, (_, i) => ({ key: (seq * 20 + i) % 50, ts: seq * 256 + 1, value: seq * 100 + i + 1, seq: seq * 20 + i + 1 }));
  store.commit(batch, () => {
    process.stdout.write(`${seq}\n`);
    seq++;
    setImmediate(round);
  });
};
round();
