/** Which persistency x recovery combinations a mutant applies to, in the order `heal check` runs them. */
import type { Mutant } from '../src/mutants.ts';
import { PERSISTENCIES, type Persistency } from '../src/protocol/persistency/index.ts';
import { RECOVERIES, type Recovery } from '../src/protocol/recovery/index.ts';

export function combinationsOf(m: Pick<Mutant, 'appliesTo'>): [Persistency, Recovery][] {
  const out: [Persistency, Recovery][] = [];
  for (const p of PERSISTENCIES) {
    if (m.appliesTo.persistency && !m.appliesTo.persistency.includes(p)) continue;
    for (const r of RECOVERIES) {
      if (m.appliesTo.recovery && !m.appliesTo.recovery.includes(r)) continue;
      out.push([p, r]);
    }
  }
  return out;
}
