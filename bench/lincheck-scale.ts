/**
 * How checking time grows with the history: generated single-register histories
 * (test/lincheck/long-history.ts: distinct written values, random latencies),
 * linearizable and with one stale read, from 1k to 1M operations and from 5 to
 * 100 clients. Each row: the general search and the distinct-values algorithm,
 * each with a time budget (a row that runs out prints 'unknown'), verdict and
 * milliseconds (median of 3), plus the search cache's size.
 *
 *   npx tsx bench/lincheck-scale.ts [--budget SEC]     (also run by npm run bench:lincheck)
 */
import { buildOperations } from '../checker/lincheck/operation.ts';
import { checkOperations } from '../checker/lincheck/check.ts';
import { LinearizationSearch } from '../checker/lincheck/search.ts';
import { registerModel } from '../spec/models/register.ts';
import { longRegisterHistory } from '../test/lincheck/long-history.ts';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];

export function runScale(budgetSeconds = 20): void {
  const model = registerModel();
  const rows: [number, number][] = [
    [1_000, 5],
    [10_000, 5],
    [100_000, 5],
    [1_000_000, 5],
    [10_000, 10],
    [10_000, 20],
    [10_000, 100],
    [100_000, 100],
  ];
  console.log(`\n${'ops'.padStart(9)} ${'clients'.padStart(7)} ${'history'.padEnd(12)} ${'search'.padStart(18)} ${'cache MB'.padStart(9)} ${'distinct values'.padStart(18)}`);
  for (const [n, clients] of rows) {
    for (const stale of [false, true]) {
      const events = longRegisterHistory({ ops: n, clients, seed: 1, staleAt: stale ? n >> 1 : undefined });
      const ops = buildOperations(events, model, { validate: false });
      const time = (options: { uniqueValuesFrom: number }): string => {
        const ms: number[] = [];
        let verdict = '';
        for (let i = 0; i < 3; i++) {
          const t = performance.now();
          verdict = checkOperations(ops, model, { explain: false, timeoutMs: budgetSeconds * 1000, ...options }).result;
          ms.push(performance.now() - t);
          if (verdict === 'unknown') break;
        }
        return `${verdict} ${median(ms).toFixed(0)} ms`;
      };
      const search = time({ uniqueValuesFrom: Infinity });
      let cacheMB = '-';
      if (!search.startsWith('unknown')) {
        const s = new LinearizationSearch(ops, model);
        while (s.run(1 << 16) === 'pending');
        cacheMB = (s.memoBytes / 2 ** 20).toFixed(1);
      }
      const fast = time({ uniqueValuesFrom: 0 });
      console.log(
        `${n.toLocaleString('en').padStart(9)} ${String(clients).padStart(7)} ${(stale ? 'stale read' : 'correct').padEnd(12)} ${search.padStart(18)} ${cacheMB.padStart(9)} ${fast.padStart(18)}`,
      );
    }
  }
  console.log(`(search: Wing-Gong-Lowe with the windowed cache, budget ${budgetSeconds} s a run; distinct values: Gibbons-Korach zones)`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--budget');
  runScale(i < 0 ? 20 : Number(process.argv[i + 1]));
}
