/** `heal mutants [--json]`: the deliberately broken variants, where each applies, the bounds it needs, what breaks. */
import { expectedBreak, mutants } from '../../src/mutants.ts';
import { InputError } from '../errors.ts';
import { DEFAULT_PROFILE, mutantBounds } from '../../model/heal-bounds.ts';
import { combinationsOf } from '../../model/mutant-combinations.ts';

const HELP = `usage: heal mutants [--json]

Lists the deliberately wrong protocol variants ('heal check --mutant NAME' runs one in
every combination it applies to), the bounds it is checked at (the default '${DEFAULT_PROFILE}'
profile unless it needs more; 'check --mutant' applies them unless you give a bound),
and the property ID (spec/properties.md) a breadth-first check reports first.

  --json   print [{"name", "breaks", "description", "appliesTo", "bounds", "catches"}] on one line`;

function boundsText(m: (typeof mutants)[number]): string {
  const extra = Object.entries(m.checkWith ?? {}).map(([k, v]) => `${k}=${v}`);
  return extra.length === 0 ? DEFAULT_PROFILE : `${DEFAULT_PROFILE} + ${extra.join(' ')}`;
}

function breaksText(m: (typeof mutants)[number]): string {
  const others = combinationsOf(m).filter(([p, r]) => expectedBreak(m, p, r) !== m.breaks);
  return others.length === 0 ? m.breaks : `${m.breaks} (${others.map(([p, r]) => `${p}/${r}: ${expectedBreak(m, p, r)}`).join(', ')})`;
}

export async function run(argv: string[]): Promise<number> {
  let json = false;
  for (const arg of argv) {
    if (arg === '--json') json = true;
    else if (arg === '--help' || arg === '-h') {
      console.log(HELP);
      return 0;
    } else throw new InputError(`unknown argument '${arg}' (expected --json or --help)`);
  }
  if (json) {
    console.log(JSON.stringify(mutants.map((m) => ({
      name: m.name, breaks: m.breaks, description: m.description, appliesTo: m.appliesTo, bounds: mutantBounds(m),
      catches: combinationsOf(m).map(([persistency, recovery]) => ({ persistency, recovery, breaks: expectedBreak(m, persistency, recovery) })),
    }))));
    return 0;
  }
  const rows = mutants.map((m) => [
    m.name,
    breaksText(m),
    [m.appliesTo.persistency?.join('/') ?? 'all', m.appliesTo.recovery?.join('/') ?? 'all'].join(' x '),
    boundsText(m),
    m.description,
  ]);
  const header = ['mutant', 'breaks', 'applies to', 'bounds', 'what is wrong'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(r));
  return 0;
}
