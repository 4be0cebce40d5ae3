/** The scenario runner refuses what would make a scenario test nothing. */
import { describe, expect, it } from 'vitest';
import { parse, rewrite } from './datadriven.ts';
import { Scenario, ScenarioError } from './driver.ts';

const CONFIG = 'config persistency=eventual recovery=heal nodes=3 keys=1 writes=1 reads=0 crashes=1 mutant=f1-promote-untouched-valid';

function run(commands: string[]): Scenario {
  const s = new Scenario('inline');
  commands.forEach((c, i) => s.run(c, i + 1));
  return s;
}

describe('scenario runner', () => {
  it('a step that is not enabled is an error, not an output', () => {
    expect(() => run([CONFIG, 'promote n0'])).toThrow(ScenarioError);
    expect(() => run([CONFIG, 'write n0 k0', 'deliver ACK n1->n0'])).toThrow(/0 such messages in flight/);
  });

  it('a delivery that matches two different messages must say which', () => {
    const prefix = [
      CONFIG.replace('keys=1 writes=1', 'keys=2 writes=2'), 'crash n2', 'write n0 k0', 'deliver INV n0->n1', 'deliver ACK n1->n0',
      'write n1 k1', 'deliver INV n1->n0', 'deliver ACK n0->n1', 'restart n2',
    ];
    expect(() => run([...prefix, 'deliver MU n0->n2'])).toThrow(/2 such messages in flight/);
    expect(() => run([...prefix, 'deliver MU n0->n2 k1'])).not.toThrow();
    expect(() => run([CONFIG, 'persist n0 k0'])).toThrow(/0 pending persists/);
  });

  it('config must name a known mutant, and come first', () => {
    expect(() => run(['write n0 k0'])).toThrow(/first command must be config/);
    expect(() => run([CONFIG.replace('f1-promote-untouched-valid', 'no-such')])).toThrow(/must name a mutant/);
  });

  it('records the verdict of each side at each check', () => {
    const s = run([CONFIG, 'write n0 k0', 'persist n0 k0', 'crash n0', 'restart n0', 'deliver MU_END n1->n0', 'promote n0', 'check']);
    expect(s.checks).toEqual([{ line: 8, fixed: [], mutant: ['AGREE', 'CONVERGE'] }]);
  });

  it('rewrite gives back the file it parsed when the outputs are unchanged', () => {
    const text = `# comment\n\n${CONFIG}\n----\n\nwrite n0 k0\n----\nclient writes k0 at n0\n`;
    const cases = parse(text, 'inline');
    expect(rewrite(cases, cases.map((c) => c.expected))).toBe(text);
  });
});
