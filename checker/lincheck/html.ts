/**
 * One self-contained HTML page (inline CSS and SVG, no script, no external URL):
 * one lane per client, each operation a bar from invocation to completion on an
 * event-order time axis. For a failure, operations of the longest partial
 * linearization are numbered in their linearization order, the window is
 * outlined, and the operation that cannot be placed is marked red.
 */
import { describeOp, type SeqModel } from '../../spec/models/types.ts';
import type { CheckResult } from './check.ts';
import { formatExplanation } from './explain.ts';
import { formatAnomaly } from './anomaly.ts';
import type { Operation } from './operation.ts';

const LANE = 34;
const BAR = 22;
const LEFT = 90;
const UNIT = 18;

export function renderHtml<S>(title: string, ops: readonly Operation[], model: SeqModel<S>, result: CheckResult): string {
  const e = result.explanation;
  const shown = e ? ops.filter((op) => op.key === e.key) : ops;
  const processes = [...new Set(shown.map((op) => op.process))].sort((a, b) => a - b);
  const lane = new Map(processes.map((p, i) => [p, i]));
  const times = [...new Set(shown.flatMap((op) => (op.ret === Infinity ? [op.call] : [op.call, op.ret])))].sort((a, b) => a - b);
  const x = new Map(times.map((t, i) => [t, LEFT + i * UNIT]));
  const end = LEFT + times.length * UNIT + UNIT;
  const order = new Map((e?.longest ?? []).map((op, i) => [op.id, i + 1]));
  if (result.result === 'ok' && result.linearizations) {
    for (const lin of result.linearizations) lin.forEach((id, i) => order.set(id, i + 1));
  }
  const inWindow = new Set((e?.window ?? []).map((op) => op.id));

  const bars = shown.map((op) => {
    const x0 = x.get(op.call)!;
    const x1 = op.ret === Infinity ? end : x.get(op.ret)!;
    const y = 20 + lane.get(op.process)! * LANE;
    const blocked = e?.blocked.id === op.id;
    const cls = blocked ? 'blocked' : order.has(op.id) ? 'linearized' : 'other';
    const text = describeOp(model, op.f, op.input, op.output);
    const where = op.callLine === undefined ? '' : ` (lines ${op.callLine}-${op.retLine ?? 'end'})`;
    const tip = `process ${op.process}: ${text}${where}${op.key === undefined ? '' : ` key ${op.key}`}`;
    const n = order.get(op.id);
    return [
      `<g class="op ${cls}${inWindow.has(op.id) ? ' window' : ''}${op.ret === Infinity ? ' open' : ''}">`,
      `<title>${esc(tip)}</title>`,
      `<rect x="${x0}" y="${y}" width="${Math.max(x1 - x0, 4)}" height="${BAR}" rx="3"/>`,
      `<text x="${x0 + 4}" y="${y + 15}">${n === undefined ? '' : `${n}. `}${esc(text)}</text>`,
      `</g>`,
    ].join('');
  });
  const laneLabels = processes.map(
    (p, i) => `<text class="lane" x="6" y="${20 + i * LANE + 15}">client ${p}</text>`,
  );
  const height = 30 + processes.length * LANE;
  const verdict =
    result.result === 'ok' ? 'linearizable' : result.result === 'illegal' ? 'NOT linearizable' : 'unknown (time budget reached)';
  const anomaly = result.anomaly ? formatAnomaly(model, result.anomaly, result.anomalyKey) : [];
  const details = [...anomaly, ...(e ? formatExplanation(model, e) : [])].join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}: ${verdict}</title>
<style>
body{font:14px system-ui,sans-serif;margin:16px;color:#222}
h1{font-size:18px} .verdict{font-weight:bold;color:${result.result === 'ok' ? '#17803d' : result.result === 'illegal' ? '#b42318' : '#8a6d00'}}
.scroll{overflow-x:auto;border:1px solid #ddd}
svg text{font:11px monospace;pointer-events:none}
svg text.lane{font:12px system-ui,sans-serif;fill:#555}
.op rect{fill:#d0d5dd;stroke:#98a2b3}
.op.linearized rect{fill:#b7e4c7;stroke:#2d6a4f}
.op.blocked rect{fill:#fda29b;stroke:#b42318;stroke-width:2}
.op.window rect{stroke-width:2.5;stroke-dasharray:5 2}
.op.open rect{fill-opacity:.45}
.op:hover rect{stroke:#000}
pre{background:#f6f7f9;padding:10px;overflow-x:auto}
.legend span{display:inline-block;padding:2px 8px;margin-right:8px;border:1px solid #98a2b3}
</style></head><body>
<h1>${esc(title)}: <span class="verdict">${verdict}</span></h1>
<p>${result.operations} operations, ${result.partitions} partition(s)${e?.key !== undefined ? `; showing key ${esc(JSON.stringify(e.key))}` : ''}.
Time runs left to right in event order; hover a bar for details. Numbers give the ${e ? 'longest partial ' : ''}linearization order.</p>
<p class="legend"><span style="background:#b7e4c7">linearized</span><span style="background:#fda29b">cannot be placed</span><span style="background:#d0d5dd">not placed</span><span style="border-style:dashed">concurrent window</span><span style="opacity:.6">never returned</span></p>
<div class="scroll"><svg xmlns="http://www.w3.org/2000/svg" width="${end + 200}" height="${height}">
${laneLabels.join('\n')}
${bars.join('\n')}
</svg></div>
${details ? `<h2>Why</h2><pre>${esc(details)}</pre>` : ''}
</body></html>
`;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
