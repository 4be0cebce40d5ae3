/**
 * Draft a scenario from a saved trace (`heal check --mutant NAME` saves one): prints the
 * config line and one command per action, with no more arguments than the state needs to
 * pick the action. The draft runs on the mutant side; adjusting it so that the fixed
 * protocol reaches the same situation is done by hand.
 *
 *   npx tsx test/scenarios/from-trace.ts traces/X.json [mutant-name]
 */
import { loadTrace } from '../../checker/trace/io.ts';
import { createHealModel, parseHealConfig } from '../../model/heal.ts';
import { describeMsg, type ClusterAction, type ClusterConfig, type ClusterState } from '../../src/cluster/index.ts';
import { formatTs } from '../../src/protocol/timestamp.ts';
import { MSG_NAMES } from '../../src/protocol/types.ts';
import { isMutantName } from '../../src/mutants.ts';

const [file, mutantArg] = process.argv.slice(2);
const trace = loadTrace(file!);
const stored = parseHealConfig(trace.config);
if (mutantArg !== undefined && !isMutantName(mutantArg)) throw new Error(`unknown mutant '${mutantArg}'`);
const config: ClusterConfig = { ...stored, mutant: mutantArg ?? stored.mutant };
const model = createHealModel(config);
const c = config;
console.log(`config persistency=${c.persistency} recovery=${c.recovery} nodes=${c.nodes} keys=${c.keys} writes=${c.writes} reads=${c.reads} scopes=${c.scopes} crashes=${c.crashes} mutant=${c.mutant}`);
let s: ClusterState = model.initialStates()[0]!;
for (const [i, raw] of trace.actions.entries()) {
  const key = model.actionKey(raw as ClusterAction);
  const a = model.actions(s).find((x) => model.actionKey(x) === key);
  if (!a) {
    console.error(`action ${i + 1} (${trace.steps[i]}) is not enabled under ${config.mutant ?? 'the fixed protocol'}; pass the mutant of the old rule`);
    process.exit(2);
  }
  console.log(command(s, a));
  s = model.next(s, a);
}

function command(st: ClusterState, a: ClusterAction): string {
  switch (a.kind) {
    case 'write':
    case 'read':
      return `${a.kind} n${a.node} k${a.key}`;
    case 'persist': {
      const same = st.nodes[a.node]!.pending.filter((p) => p.key === a.key);
      return `persist n${a.node} k${a.key}${same.length > 1 ? ` ts=${formatTs(a.ts)}` : ''}`;
    }
    case 'deliver': {
      const m = a.msg;
      const base = `deliver ${MSG_NAMES[m.type]} n${m.from}->n${m.to}`;
      const distinct = new Set(st.net.filter((x) => x.type === m.type && x.from === m.from && x.to === m.to).map(describeMsg));
      if (distinct.size <= 1) return base;
      const byKey = new Set(st.net.filter((x) => x.type === m.type && x.from === m.from && x.to === m.to && x.key === m.key).map(describeMsg));
      return byKey.size <= 1 ? `${base} k${m.key}` : `${base} k${m.key} ts=${formatTs(m.ts)}`;
    }
    default:
      return `${a.kind} n${a.node}`;
  }
}
