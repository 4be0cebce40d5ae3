/** Which persistency x recovery combinations a mutant applies to, in the order `heal check` runs them. */
import type { Mutant } from '../../src/mutants.ts';
import { PERSISTENCY_MODELS, RECOVERY_MODES, type PersistencyName, type RecoveryName } from '../flags.ts';

export function combinationsOf(m: Pick<Mutant, 'appliesTo'>): [PersistencyName, RecoveryName][] {
  const out: [PersistencyName, RecoveryName][] = [];
  for (const p of PERSISTENCY_MODELS) {
    if (m.appliesTo.persistency && !m.appliesTo.persistency.includes(p)) continue;
    for (const r of RECOVERY_MODES) {
      if (m.appliesTo.recovery && !m.appliesTo.recovery.includes(r)) continue;
      out.push([p, r]);
    }
  }
  return out;
}
