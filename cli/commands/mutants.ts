/** `heal mutants [--json]`: the deliberately broken variants and the property each breaks. */
import { mutants } from '../../src/mutants.ts';
import { InputError } from '../errors.ts';

const HELP = `usage: heal mutants [--json]

Lists the deliberately wrong protocol variants ('heal check --mutant NAME' runs one),
with the property ID (spec/properties.md) the checker must report for each.

  --json   print [{"name", "breaks", "description", "appliesTo"}] on one line`;

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
    console.log(JSON.stringify(mutants.map((m) => ({ name: m.name, breaks: m.breaks, description: m.description, appliesTo: m.appliesTo }))));
    return 0;
  }
  const rows = mutants.map((m) => [
    m.name,
    m.breaks,
    [m.appliesTo.persistency?.join('/') ?? 'all', m.appliesTo.recovery?.join('/') ?? 'all'].join(' x '),
    m.description,
  ]);
  const header = ['mutant', 'breaks', 'applies to', 'what is wrong'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(r));
  return 0;
}
