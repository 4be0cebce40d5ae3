import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { benchConfigs } from '../../cli/bench/configs.ts';
import { findTlc, parseTlcOutput } from '../../cli/bench/tlc.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

// Lines of a real TLC run (TLC2 Version 2026.04.29, bench/tla/Hermes_N2V2.cfg), parsing lines cut.
const FINISHED = `TLC2 Version 2026.04.29.164809 (rev: cc6b616cf)
Running breadth-first search Model-Checking with fp 85 and seed -8071865761394333738 with 1 worker on 2 cores with 6028MB heap and 64MB offheap memory [pid: 24027] (Linux 6.18.44-fc-v1045 amd64, Debian 17.0.15 64bit, MSBDiskFPSet, DiskStateQueue).
Starting... (2026-12-02 06:04:22)
Computing initial states...
Finished computing initial states: 1 distinct state generated at 2026-12-02 06:04:23.
Model checking completed. No error has been found.
  Estimates of the probability that TLC did not check all reachable states
  because two distinct states had the same fingerprint:
  calculated (optimistic):  val = 9.1E-15
996 states generated, 216 distinct states found, 0 states left on queue.
The depth of the complete state graph search is 18.
The average outdegree of the complete state graph is 1 (minimum is 0, the maximum 2 and the 95th percentile is 2).
Finished in 03s at (2026-12-02 06:04:24)
`;

describe('bench: TLC beside the Hermes port', () => {
  it('reads distinct, generated and depth from TLC output', () => {
    expect(parseTlcOutput(FINISHED)).toEqual({ result: 'ok', distinct: 216, generated: 996, depth: 18, version: '2026.04.29.164809 (rev: cc6b616cf)' });
    expect(parseTlcOutput(FINISHED.replace('996 states', '4,802,844 states'))?.generated).toBe(4_802_844);
  });

  it('tells a violation and an unfinished run apart from a clean one', () => {
    expect(parseTlcOutput(`Error: Invariant HConsistent is violated.\n${FINISHED}`)?.result).toBe('violation');
    expect(parseTlcOutput('TLC2 Version 2026.04.29\nError: parsing failed\n')).toBeNull();
  });

  it('says why TLC is not available when the jar is missing', () => {
    const missing = findTlc(root, { HEAL_TLA2TOOLS: join(root, 'no-such-dir', 'tla2tools.jar') });
    expect(missing.available).toBe(false);
    if (!missing.available) expect(missing.reason).toMatch(/HEAL_TLA2TOOLS points to .*no-such-dir.*does not exist/);
  });

  it('says why TLC is not available when the Hermes spec is missing', () => {
    const jar = join(root, 'package.json'); // any existing file stands for the jar here
    const missing = findTlc(root, { HEAL_TLA2TOOLS: jar, HEAL_HERMES_TLA: join(root, 'no-such-dir', 'Hermes.tla') });
    expect(missing.available).toBe(false);
    if (!missing.available) expect(missing.reason).toMatch(/HEAL_HERMES_TLA points to .*no-such-dir.*does not exist.*949229c/);
  });

  it('ships a .cfg with the right constants for every Hermes configuration it benches', () => {
    const hermes = benchConfigs(false).filter((c) => c.tlcConfig !== undefined);
    expect(hermes.length).toBeGreaterThan(0);
    for (const c of hermes) {
      const [, n, v] = /Hermes_N(\d+)V(\d+)\.cfg$/.exec(c.tlcConfig!)!;
      expect(existsSync(join(root, c.tlcConfig!)), c.tlcConfig).toBe(true);
      const cfg = readFileSync(join(root, c.tlcConfig!), 'utf8');
      const nodes = Array.from({ length: Number(n) }, (_, i) => i + 1).join(', ');
      expect(cfg).toContain(`H_NODES = {${nodes}}`);
      expect(cfg).toContain(`H_MAX_VERSION = ${v}`);
      expect(cfg).toMatch(/INVARIANTS HTypeOK HConsistent/);
    }
    expect(readdirSync(join(root, 'bench/tla')).filter((f) => f.endsWith('.cfg')).length).toBeGreaterThanOrEqual(4);
  });
});
