/** A damaged or edited trace file is bad input naming the field (exit 2), never a replay verdict. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTrace } from '../../cli/commands/replay.ts';
import { InputError } from '../../cli/errors.ts';

const source = new URL('../../traces/LIN-014ef48f6902.json', import.meta.url);
const original = JSON.parse(readFileSync(source, 'utf8')) as Record<string, unknown> & { actions: unknown[]; config: Record<string, unknown> };

function written(edit: (t: typeof original) => void, name = basename(source.pathname)): string {
  const t = structuredClone(original);
  edit(t);
  const file = join(mkdtempSync(join(tmpdir(), 'heal-corrupt-')), name);
  writeFileSync(file, JSON.stringify(t));
  return file;
}

async function refusal(file: string): Promise<string> {
  const e = await openTrace(file).then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(InputError);
  return (e as Error).message;
}

describe('heal replay refuses a corrupt or edited trace', () => {
  it('the untouched trace opens', async () => {
    await expect(openTrace(written(() => {}))).resolves.toBeDefined();
  });
  it('an empty action', async () => {
    expect(await refusal(written((t) => void (t.actions[0] = {})))).toMatch(/field 'actions\[0\]': not an action of the heal model/);
  });
  it('an unknown kind of action', async () => {
    expect(await refusal(written((t) => void (t.actions[1] = { kind: 'teleport', node: 0 })))).toMatch(/field 'actions\[1\]'.*kind/);
  });
  it('a node the configuration does not have', async () => {
    expect(await refusal(written((t) => void (t.actions[0] = { kind: 'crash', node: 9 })))).toMatch(/field 'actions\[0\]': .*'node'/);
  });
  it('a top-level mutant that disagrees with config.mutant', async () => {
    expect(await refusal(written((t) => void (t.mutant = 'no-freeze')))).toMatch(/field 'mutant': "no-freeze" disagrees with config.mutant/);
  });
  it('an edited config under the old file name', async () => {
    expect(await refusal(written((t) => void (t.config.writes = (t.config.writes as number) + 1)))).toMatch(/field 'config': the file name says config hash/);
  });
  it('a renamed file is its owner\'s business: no hash to compare', async () => {
    await expect(openTrace(written((t) => void (t.config.writes = (t.config.writes as number) + 1), 'my-trace.json'))).resolves.toBeDefined();
  });
});

describe('heal replay --recorded', () => {
  it('prints the saved steps and violation of a fixed bug without replaying, and replay says how far it got', async () => {
    const { main } = await import('../../cli/main.ts');
    const { vi } = await import('vitest');
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
    try {
      const file = new URL('../../traces/AGREE-856b4793b846.json', import.meta.url).pathname;
      const saved = JSON.parse(readFileSync(file, 'utf8')) as { steps: string[]; message: string };
      expect(await main(['replay', file, '--recorded'])).toBe(0);
      expect(lines).toContain(`  1. ${saved.steps[0]}`);
      expect(lines).toContain(`${String(saved.steps.length).padStart(3)}. ${saved.steps.at(-1)}`);
      expect(lines.at(-1)).toBe(`AGREE violated after ${saved.steps.length} steps: ${saved.message}`);
      lines.length = 0;
      expect(await main(['replay', file, '--json'])).toBe(1);
      expect(JSON.parse(lines.at(-1)!)).toMatchObject({ reproduced: false, recordedSteps: saved.steps.length });
    } finally {
      spy.mockRestore();
    }
  });
});

describe('heal replay --html', () => {
  it('draws a saved counterexample as the conform timeline, with its violation, written atomically', async () => {
    const { main } = await import('../../cli/main.ts');
    const { vi } = await import('vitest');
    const { existsSync, readdirSync } = await import('node:fs');
    const spy = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const dir = mkdtempSync(join(tmpdir(), 'heal-html-'));
      const out = join(dir, 'trace.html');
      // write-returns-early: LIN is the first property it breaks (read-invalid's trace now fails AGREE first).
      const file = new URL('../../traces/LIN-014ef48f6902.json', import.meta.url).pathname;
      expect(await main(['replay', file, '--html', out])).toBe(0);
      const html = readFileSync(out, 'utf8');
      expect(html).toMatch(/<svg/);
      expect(html).toMatch(/LIN fails after step \d+/);
      expect(readdirSync(dir)).toEqual(['trace.html']);
      expect(existsSync(`${out}.tmp`)).toBe(false);
    } finally {
      spy.mockRestore();
    }
  });
});
