/**
 * The recovery experiment's measurement, table and chart, on a run of the fake cluster:
 * its promotion delay, its refusal of reads while a shadow and its reported transfer are
 * known, so each figure can be checked against what the fake did.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runExperiment, type ExperimentRow } from '../../runtime/client/experiment.ts';
import { chartSvg } from '../../runtime/client/chart.ts';
import { recoveryTransfer, watchRecovery } from '../../runtime/client/recovery-watch.ts';
import { FrameDecoder, encodeFrame } from '../../runtime/client/frames.ts';
import { createServer, type AddressInfo } from 'node:net';
import { unplannedCrashes } from '../../runtime/client/recovery-run.ts';
import { judge } from '../../cli/commands/experiment.ts';
import { main } from '../../cli/main.ts';
import { captureConsole } from '../cli/capture-console.ts';
import { fakeLauncher } from './fake-cluster.ts';
import { clusterArgs } from '../../runtime/client/launch.ts';

const tmp = mkdtempSync(join(tmpdir(), 'heal-exp-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const PROMOTE_MS = 300;
const base = {
  persistency: ['synch'], recovery: ['heal'], sizes: [200], downtimesS: [0.4],
  nodes: 3, valueBytes: 150, clients: 4, durationS: 2.5, killAtS: 0.8, workload: 'taobench' as const, seed: 3, bucketMs: 100,
  judge: (edn: string, name: string) => judge(edn, name),
  write: (path: string, content: string) => writeFileSync(path, content),
};

describe('heal experiment recovery, measured on the fake cluster', () => {
  let row: ExperimentRow;
  const out = join(tmp, 'good');
  beforeAll(async () => {
    const r = await runExperiment({ ...base, out, launcher: fakeLauncher({ promoteDelayMs: PROMOTE_MS }) });
    row = r.rows[0]!;
  }, 60_000);

  it('judges the run: every key preloaded, no acknowledged write lost, linearizable', () => {
    expect(row.preloaded).toBe(200);
    expect(row.lostWrites).toBe(0);
    expect(row.verdict).toBe('linearizable');
    expect(row.otherCrashes).toBe(0);
  });

  it('reads restart -> promotion from views.jsonl, as long as the fake took to promote', () => {
    expect(row.restartToPromotionMs).toBeGreaterThanOrEqual(PROMOTE_MS - 5);
    expect(row.restartToPromotionMs).toBeLessThan(PROMOTE_MS + 500);
  });

  it('sees reads served only once the shadow is promoted (the fake refuses them before)', () => {
    expect(row.restartToServingMs).toBeGreaterThanOrEqual(PROMOTE_MS - 20);
    expect(row.restartToReplicaStatusMs).toBeGreaterThanOrEqual(PROMOTE_MS - 20);
  });

  it("takes bytes and entries from the node's status stats", () => {
    expect(row.entriesTransferred).toBe(200);
    expect(row.bytesTransferred).toBe(150 * 200);
  });

  it('measures throughput before, while down and while recovering, and the series adds up to the acknowledged ops', () => {
    expect(row.throughputBefore).toBeGreaterThan(0);
    expect(row.throughputDown).toBeGreaterThan(0);
    expect(row.relativeRecovering).not.toBeNull();
    const total = row.series.reduce((a, [, v]) => a + (v * base.bucketMs) / 1000, 0);
    expect(Math.round(total)).toBe(row.ok);
    // The nemesis timer is armed just before the load takes its clock origin (seen: 799.83).
    expect(row.marks.crash).toBeGreaterThanOrEqual(800 - 5);
    expect(row.marks.restart! - row.marks.crash!).toBeGreaterThanOrEqual(400);
    expect(row.marks.promotion! - row.marks.restart!).toBeCloseTo(row.restartToPromotionMs!, 5);
  });

  it('writes the table, the JSON and a self-contained chart', () => {
    const json = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(json.runs).toHaveLength(1);
    expect(readFileSync(join(out, 'results.md'), 'utf8')).toMatch(/^\| persistency \| recovery \|.*\n\|-+\|/);
    const html = readFileSync(join(out, 'chart.html'), 'utf8');
    expect(html).toMatch(/<svg[\s\S]*crash[\s\S]*restart[\s\S]*promotion[\s\S]*serving reads/);
    expect(html).not.toMatch(/<script|src=|href=/);
    expect(readFileSync(join(out, 'synch-heal-200-0.4s', 'history.edn'), 'utf8')).toMatch(/:f :kill/);
  });
});

describe('the experiment catches a cluster that loses acknowledged writes', () => {
  it('the fake that forgets what a killed node acknowledged: lost writes counted, and not linearizable', async () => {
    const r = await runExperiment({ ...base, sizes: [500], killAtS: 2.2, out: join(tmp, 'mutant'), launcher: fakeLauncher({ mutant: 'lose-on-kill' }) });
    expect(r.rows[0]!.lostWrites).toBeGreaterThan(0);
    expect(r.rows[0]!.verdict).toBe('not linearizable');
  }, 60_000);
});

describe('chart', () => {
  it('places each mark at its time on the axis', () => {
    const m = { config: { persistency: 'synch', recovery: 'heal', size: 1, downtimeS: 1 }, series: [[0, 10], [1000, 20], [2000, 5], [3000, 10]] as [number, number][], marks: { crash: 1000, restart: 2000 }, notes: [] } as never;
    const svg = chartSvg(m);
    const x = (label: string) => Number(new RegExp(`<line x1="([\\d.]+)"[^>]*><title>${label}`).exec(svg)![1]);
    expect(x('restart') - x('crash')).toBeCloseTo(x('crash') - 56, 5);
    expect(svg).not.toMatch(/promotion/);
  });

  it('widens the axis for a mark after the load ended', () => {
    const m = { config: { persistency: 'synch', recovery: 'heal', size: 1, downtimeS: 1 }, series: [[0, 10], [1000, 20]] as [number, number][], marks: { promotion: 5000 }, notes: [] } as never;
    const x = Number(/<line x1="([\d.]+)"[^>]*><title>promotion/.exec(chartSvg(m))![1]);
    expect(x).toBeLessThanOrEqual(720 - 12);
  });
});

describe('heal experiment usage errors', () => {
  const out = captureConsole();
  it.each([
    [['recovery', '--persistency', 'lazy'], /--persistency: expected all or a comma list of synch, strict, renf, scope, eventual, got 'lazy'/],
    [['recovery', '--sizes', '10,x'], /--sizes: expected a comma list of positive integers/],
    [['recovery', '--recovery', 'fast'], /--recovery: expected one of heal, fullcopy, both/],
    [['recovery', '--kill-at', '9', '--duration', '5'], /--kill-at 9: must be less than --duration 5/],
    [['latency'], /unknown experiment 'latency'/],
    [['recovery', '--lease-ms', '5'], /--lease-ms/],
  ])('%j exits 2', async (args, message) => {
    expect(await main(['experiment', ...args])).toBe(2);
    expect(out.err.join('\n')).toMatch(message);
  });
});

describe('crashes the nemesis did not cause', () => {
  it('counts crash views beyond the kills: a node that missed its lease after its recovery and recovered again', () => {
    const views = [{ cause: 'crash' }, { cause: 'restart' }, { cause: 'promote' }];
    expect(unplannedCrashes(views, 1)).toBe(0);
    expect(unplannedCrashes([...views, ...views], 1)).toBe(1);
    expect(unplannedCrashes([{ cause: 'restart' }], 1)).toBe(0);
  });
});

describe('the cluster a run starts', () => {
  it('gets --lease-ms only when the experiment was given one', () => {
    const spec = { dir: 'D', nodes: 3, persistency: 'synch', recovery: 'heal', keys: 10, valueBytes: 150 };
    expect(clusterArgs(spec)).not.toContain('--lease-ms');
    expect(clusterArgs({ ...spec, leaseMs: 1500 }).join(' ')).toMatch(/--lease-ms 1500$/);
  });
});

describe('watching a restarted node', () => {
  it('sees it a replica even when its reads of key 0 are never answered (parked), and no read served', async () => {
    // A node that answers status but parks every read: before, the read's timeout skipped the status too.
    const server = createServer((s) => {
      const d = new FrameDecoder();
      s.on('data', (c) => {
        for (const f of d.push(c)) if (f.op === 'status') s.write(encodeFrame({ id: f.id, ok: true, role: 'replica', recovering: false, stats: { muEntriesReceived: 3 } }));
      });
      s.on('error', () => {});
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const stop = new AbortController();
    const t0 = performance.now();
    const w = watchRecovery({ id: 1, host: '127.0.0.1', port: (server.address() as AddressInfo).port }, () => performance.now() - t0, stop.signal, 5, 100);
    await new Promise((r) => setTimeout(r, 500));
    stop.abort();
    const r = await w;
    server.close();
    expect(r.replicaMs).toBeDefined();
    expect(r.replicaMs!).toBeLessThan(500);
    expect(r.lastStatus?.stats).toEqual({ muEntriesReceived: 3 });
    expect(r.servingMs).toBeUndefined();
  });
});

describe('recovery transfer from status stats', () => {
  it('reads the runtime\'s MU counters, or the recovery* names where a node gives them, else nothing', () => {
    const runtime = { stats: { muEntriesReceived: 7, received: { MU: { frames: 7, bytes: 1400 }, MU_END: { frames: 1, bytes: 60 } } } };
    expect(recoveryTransfer(runtime, 'received')).toEqual({ bytes: 1460, entries: 7 });
    expect(recoveryTransfer({ stats: { recoveryBytesSent: 5, recoveryEntriesSent: 1 } }, 'sent')).toEqual({ bytes: 5, entries: 1 });
    expect(recoveryTransfer({ stats: {} }, 'received')).toEqual({ bytes: undefined, entries: undefined });
    expect(recoveryTransfer(undefined, 'sent')).toEqual({ bytes: undefined, entries: undefined });
  });
});
