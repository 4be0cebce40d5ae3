/**
 * Issue #14, the lincheck HTML: one section per key with its own numbering, lane labels
 * outside the scrolling SVG (sticky), labels that fit their bars, the failing operation
 * anchored and linked from the top, the model state in each tooltip, a time axis, and
 * a size guard for long histories.
 */
import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../spec/history.ts';
import { checkOperations } from '../../checker/lincheck/check.ts';
import { DEFAULT_MAX_OPS, renderHtml } from '../../checker/lincheck/html.ts';
import { MODELS } from '../../checker/lincheck/models.ts';
import { buildOperations } from '../../checker/lincheck/operation.ts';
import { longRegisterHistory } from './long-history.ts';

const register = MODELS.register.create(undefined);

function page(events: HistoryEvent[], options: Parameters<typeof renderHtml>[4] = {}): string {
  const ops = buildOperations(events, register);
  return renderHtml('t.json', ops, register, checkOperations(ops, register), options);
}

const ev = (process: number, type: 'invoke' | 'ok', f: string, value: unknown, key?: string, time?: number): HistoryEvent =>
  ({ process, type, f, value, ...(key !== undefined ? { key } : {}), ...(time !== undefined ? { time } : {}) }) as HistoryEvent;

/** x stale: write 1, write 2, then a read of 1; y: one write, concurrent with x's. */
const stale = [
  ev(0, 'invoke', 'write', 1, 'x'), ev(0, 'ok', 'write', 1, 'x'),
  ev(1, 'invoke', 'write', 7, 'y'),
  ev(0, 'invoke', 'write', 2, 'x'), ev(0, 'ok', 'write', 2, 'x'),
  ev(2, 'invoke', 'read', null, 'x'), ev(2, 'ok', 'read', 1, 'x'),
  ev(1, 'ok', 'write', 7, 'y'),
];

/** Two linearizable keys, three operations each. */
const twoKeys = ['a', 'b'].flatMap((k, i) => [
  ev(i, 'invoke', 'write', 1, k), ev(i, 'ok', 'write', 1, k),
  ev(i, 'invoke', 'write', 2, k), ev(i, 'ok', 'write', 2, k),
  ev(i + 2, 'invoke', 'read', null, k), ev(i + 2, 'ok', 'read', 2, k),
]);

const sections = (html: string): string[] => html.split('<section id="part-').slice(1);

/** Each bar: its rect and its label, in document order. */
function bars(html: string): { x: number; y: number; w: number; label: string; title: string }[] {
  const re = /<g class="op[^"]*"[^>]*><title>([^<]*)<\/title><rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)"[^>]*\/>(?:<text[^>]*>([^<]*)<\/text>)?<\/g>/g;
  return [...html.matchAll(re)].map((m) => ({ title: m[1]!, x: Number(m[2]), y: Number(m[3]), w: Number(m[4]), label: m[5] ?? '' }));
}

describe('lincheck HTML', () => {
  it('gives each key its own section, the failing key first, numbered from 1 in each', () => {
    const html = page(stale);
    const parts = sections(html);
    expect(parts).toHaveLength(2);
    expect(parts[0]).toMatch(/<h2>key &quot;x&quot; \(not linearizable\)<\/h2>/);
    expect(parts[1]).toMatch(/<h2>key &quot;y&quot;<\/h2>/);
    const ok = sections(page(twoKeys));
    expect(ok).toHaveLength(2);
    for (const part of ok) expect(bars(part).map((b) => b.label)).toEqual(['1. write(1)', '2. write(2)', '3. read() -&gt; 2']);
  });

  it('keeps the lane labels outside the SVG, in a column that sticks to the left edge', () => {
    const html = page(stale);
    expect(html).toMatch(/\.lanes\{position:sticky;left:0;/);
    const [x] = sections(html);
    const lanes = /<div class="lanes">(.*?)<\/div>\s*<svg/s.exec(x!)![1]!;
    expect([...lanes.matchAll(/<div class="lane"[^>]*>([^<]*)<\/div>/g)].map((m) => m[1])).toEqual(['process 0', 'process 2']);
    expect(x).not.toMatch(/<text[^>]*>process \d/);
  });

  it('anchors the operation that cannot be placed and links it from the top', () => {
    const html = page(stale);
    expect(html.match(/id="failing-op"/g)).toHaveLength(1);
    expect(html).toMatch(/<g class="op blocked window" id="failing-op"><title>process 2: read\(\) -&gt; 1/);
    const link = html.indexOf('href="#failing-op"');
    expect(link).toBeGreaterThan(0);
    expect(link).toBeLessThan(html.indexOf('<section'));
  });

  it('shows the model state before and after each operation of the (partial) linearization on hover', () => {
    const html = page(stale);
    const titles = bars(html).map((b) => b.title);
    expect(titles).toContainEqual(expect.stringMatching(/^process 0: write\(2\).*\n#2 in the partial linearization\nstate before: 1\nstate after: 2$/s));
    expect(titles).toContainEqual(expect.stringMatching(/^process 2: read\(\) -&gt; 1.*\ncannot be placed/s));
  });

  it('never lets a label run past its bar, nor bars of one row overlap', () => {
    const events: HistoryEvent[] = [];
    // Many short concurrent operations with long labels: the case that overlapped.
    for (let i = 0; i < 40; i++) {
      events.push(ev(i % 4, 'invoke', 'write', 100000 + i), ev(i % 4, 'ok', 'write', 100000 + i));
      events.push(ev(4 + (i % 3), 'invoke', 'read', null), ev(4 + (i % 3), 'ok', 'read', 100000 + i));
    }
    const all = bars(page(events));
    expect(all.length).toBe(80);
    for (const b of all) expect(b.label.replace(/&[a-z]+;/g, '_').length * 6.7 + 3).toBeLessThanOrEqual(b.w);
    const rows = new Map<number, typeof all>();
    for (const b of all) rows.set(b.y, [...(rows.get(b.y) ?? []), b]);
    for (const row of rows.values()) {
      row.sort((a, b) => a.x - b.x);
      for (let i = 1; i < row.length; i++) expect(row[i]!.x).toBeGreaterThanOrEqual(row[i - 1]!.x + row[i - 1]!.w);
    }
  });

  it('labels the axis with the recorded times when every event has one, else with event numbers', () => {
    const timed = stale.map((e, i) => ({ ...e, time: 1000 * (i + 1) }));
    const html = page(timed, { eventTimes: timed.map((e) => e.time), timeUnit: 'ns' });
    expect(html).toContain('<div class="axis" style="height:34px">time (ns)</div>');
    expect(html).toMatch(/<text class="tick"[^>]*>1000<\/text>/);
    // Long times (nanoseconds since the epoch) still leave room between tick labels.
    const long = stale.map((e, i) => ({ ...e, time: 1_700_000_000_000_000_000 + i }));
    const ticks = [...sections(page(long, { eventTimes: long.map((e) => e.time) }))[0]!.matchAll(/<text class="tick" x="([\d.]+)"[^>]*>([^<]*)</g)];
    for (let i = 1; i < ticks.length; i++) expect(Number(ticks[i]![1]) - Number(ticks[i - 1]![1])).toBeGreaterThan(ticks[i - 1]![2]!.length * 6.2);
    const untimed = page(stale);
    expect(untimed).toContain('>event</div>');
    expect(untimed).toMatch(/<text class="tick"[^>]*>#1<\/text>/);
  });

  it('stays self-contained and escapes what the history says', () => {
    const html = page([ev(0, 'invoke', 'write', 1, '<img src=x>'), ev(0, 'ok', 'write', 1, '<img src=x>')]);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x&gt;');
    // Nothing fetched: no link, no src attribute, no CSS url(), no address but the SVG namespace.
    expect(html).not.toMatch(/<link|<[^>]*\ssrc=|url\(|(?<!xmlns=")https?:/);
    for (const m of page(stale).matchAll(/href="([^"]*)"/g)) expect(m[1]).toMatch(/^#/);
  });

  it(`summarizes past ${DEFAULT_MAX_OPS} operations: the failure's neighbourhood, a bounded page`, () => {
    const events = longRegisterHistory({ ops: 12_000, staleAt: 9_000, seed: 3 });
    const html = page(events);
    // Drawing every operation made this a 2.7 MB page.
    expect(html.length).toBeLessThan(500_000);
    expect(html).toMatch(/<strong>Summarized:<\/strong> this history has 12000 operations, past this page's limit of 5000/);
    expect(bars(html).length).toBeLessThanOrEqual(1_000 + 10);
    expect(html.match(/id="failing-op"/g)).toHaveLength(1);
  });

  it('draws a long linearizable history decided without search (it used to crash)', () => {
    const events = longRegisterHistory({ ops: 6_000, seed: 4 });
    const html = page(events);
    expect(html).toContain('<span class="verdict">linearizable</span>');
    expect(html).toContain('<strong>Summarized:</strong>');
    expect(html).toContain('decided without search: no order to number');
  });
});
