/**
 * Trace validation as a search over a model constrained by a log (after Cirstea, Kuppe,
 * Loillier, Merz, "Validating Traces of Distributed Programs Against TLA+
 * Specifications", 2024), generic over the model and the event type.
 *
 * The log is one stream of events per node, each event at a sequence number of its
 * node. A step of the model produces events at some streams; at each stream they take
 * the next positions, starting with the step's trigger. A logged event at one of those
 * positions must match a distinct produced event; a position with no logged event is a
 * missing event, filled by whatever the model produced there. So a complete log (no
 * gaps) is replayed event by event, with only the interleaving of nodes to find, and a
 * partial one is searched exactly as far as its gaps allow. A search state is the
 * model's state, the position in every stream and the binding between the log's values
 * and the model's (opaque here). Best-first, guided by the input's line order (see
 * Heap): a complete log in a sensible order is accepted along one path, one model step
 * per logged step. A rejection comes only once every run within the bounds is explored.
 */

export interface LoggedEvent<L> {
  /** Sequence number at its stream, 1-based, strictly increasing along the stream. */
  readonly seq: number;
  /** Where it is in the input (a line number), for reporting. */
  readonly line: number;
  readonly event: L;
}

export interface Produced<P> {
  readonly stream: number;
  readonly event: P;
}

export interface ConformProblem<S, A, P, L, B> {
  readonly initial: S;
  actions(s: S): readonly A[];
  next(s: S, a: A): S;
  /** Identity of a state for the visited set. */
  stateKey(s: S): string;
  readonly streams: readonly (readonly LoggedEvent<L>[])[];
  /** The step's first event, computed without taking the step (null: not one the log records). */
  trigger(s: S, a: A): Produced<P> | null;
  /** Every event of the step s -a-> s2, the trigger (when not null) first at its stream. */
  produced(s: S, a: A, s2: S): readonly Produced<P>[];
  /** The binding extended so that `logged` describes `produced`, or null. */
  match(logged: L, produced: P, binding: B): B | null;
  readonly initialBinding: B;
  bindingKey(b: B): string;
  readonly maxStates: number;
  /**
   * The log runs to the end of the run: no event after a stream's last logged one, and a
   * run is accepted only if `ended(state)` (nothing left that must still happen).
   */
  readonly ended?: (s: S) => boolean;
  /** performance.now() past which the search stops with 'bound'. */
  readonly deadline?: number;
}

export interface ConformStep<A> {
  readonly action: A;
  /** The logged events this step matched, as [stream, index in stream]. */
  readonly consumed: readonly (readonly [number, number])[];
}

export interface SearchEnd<S, A, B> {
  readonly path: readonly ConformStep<A>[];
  readonly state: S;
  readonly binding: B;
  /** Per stream: next position (seq), then index of the next logged event. */
  readonly cursor: Int32Array;
}

export type ConformOutcome<S, A, B> =
  | { readonly kind: 'accepted'; readonly run: SearchEnd<S, A, B>; readonly states: number }
  | {
      readonly kind: 'rejected' | 'bound';
      /** The first logged event (by line) that the furthest run did not match; index = the stream's length when it matched them all (the log's end is the problem). */
      readonly stuck: { readonly stream: number; readonly index: number };
      /** That furthest run. */
      readonly best: SearchEnd<S, A, B>;
      readonly states: number;
      readonly reason?: 'max-states' | 'time';
    };

/** How far ahead a fill is compared with the stream's logged events. */
const LOOKAHEAD = 64;
/** A suspect fill ranks a run as if its first unmatched event were this many lines earlier. */
const SUSPECT_LINES = 50;

interface Node<S, A, B> {
  readonly state: S;
  /** Per stream: next position (seq), then index of the next logged event. */
  readonly cursor: Int32Array;
  readonly binding: B;
  readonly consumed: number;
  /** Missing events filled with an event the stream logs later on: probably misplaced. */
  readonly suspect: number;
  /** Line of the first logged event not matched yet (Infinity: all matched). */
  readonly line: number;
  /** Steps since `line` last moved. */
  readonly since: number;
  readonly parent: Node<S, A, B> | null;
  readonly step: ConformStep<A> | null;
}

/**
 * A step not taken yet: an enabled action of an expanded node whose trigger fits the
 * log. Taking steps only when they come out of the heap keeps a complete log's replay
 * to about one model step per logged step, whatever the number of enabled actions.
 */
interface Candidate<S, A, B> {
  readonly parent: Node<S, A, B>;
  readonly action: A;
  /** Line of the logged event the trigger matches (Infinity: it fills a missing one). */
  readonly triggerLine: number;
  readonly order: number;
}

/**
 * Heap order, on the parent's search state: the run whose first unmatched logged event
 * comes latest in the input first, a suspect fill counting as SUSPECT_LINES lines less
 * (a wrong guess that lets the run match a few more events must not hide the right
 * guess behind everything those events make possible); then the fewest steps since that
 * event last moved (breadth first towards matching it); then the fewest suspect fills;
 * then the step whose trigger is the earliest logged line; then the newest. The input's line order is
 * only a hint (a merged log sorted by time makes it a good one): a log is rejected only
 * once every run is explored.
 */
class Heap<S, A, B> {
  private items: Candidate<S, A, B>[] = [];
  get size(): number {
    return this.items.length;
  }
  private above(x: Candidate<S, A, B>, y: Candidate<S, A, B>): boolean {
    const a = x.parent;
    const b = y.parent;
    const la = a.line - SUSPECT_LINES * a.suspect;
    const lb = b.line - SUSPECT_LINES * b.suspect;
    if (la !== lb) return la > lb;
    if (a.since !== b.since) return a.since < b.since;
    if (a.suspect !== b.suspect) return a.suspect < b.suspect;
    if (x.triggerLine !== y.triggerLine) return x.triggerLine < y.triggerLine;
    return x.order > y.order;
  }
  push(x: Candidate<S, A, B>): void {
    const h = this.items;
    h.push(x);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.above(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }
  pop(): Candidate<S, A, B> | undefined {
    const h = this.items;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last !== undefined) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.above(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.above(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

function pathOf<S, A, B>(node: Node<S, A, B>): ConformStep<A>[] {
  const out: ConformStep<A>[] = [];
  for (let n: Node<S, A, B> | null = node; n !== null && n.step !== null; n = n.parent) out.push(n.step);
  return out.reverse();
}

export function searchConformance<S, A, P, L, B>(problem: ConformProblem<S, A, P, L, B>): ConformOutcome<S, A, B> {
  const streams = problem.streams;
  const k = streams.length;
  const total = streams.reduce((t, s) => t + s.length, 0);
  const firstLine = (cursor: Int32Array): number => {
    let line = Infinity;
    for (let t = 0; t < k; t++) {
      const e = streams[t]![cursor[k + t]!];
      if (e !== undefined && e.line < line) line = e.line;
    }
    return line;
  };
  const initialCursor = new Int32Array(2 * k).fill(1, 0, k).fill(0, k);
  const pastEnd = streams.map((s) => (s.length === 0 ? 0 : s[s.length - 1]!.seq) + 1);
  /**
   * Past a stream's last logged event no position is constrained any more, so every
   * position there is one search state. Counted apart, each event a node produced
   * beyond the log (a re-delivered message, say) made a new state, and a log cut short
   * of a model with duplicate delivery was never exhausted (1M states, 'unknown').
   */
  const keyOf = (s: S, cursor: Int32Array, b: B): string => {
    let positions = '';
    for (let t = 0; t < k; t++) positions += `${Math.min(cursor[t]!, pastEnd[t]!)},`;
    return `${problem.stateKey(s)}|${positions}|${problem.bindingKey(b)}`;
  };

  let order = 0;
  const root: Node<S, A, B> = {
    state: problem.initial, cursor: initialCursor, binding: problem.initialBinding, consumed: 0, suspect: 0,
    line: firstLine(initialCursor), since: 0, parent: null, step: null,
  };
  const visited = new Set<string>([keyOf(root.state, root.cursor, root.binding)]);
  const heap = new Heap<S, A, B>();
  let best = root;
  const end = (node: Node<S, A, B>): SearchEnd<S, A, B> => ({ path: pathOf(node), state: node.state, binding: node.binding, cursor: node.cursor });
  const stuckOf = (node: Node<S, A, B>) => {
    let stream = 0;
    let line = Infinity;
    for (let t = 0; t < k; t++) {
      const e = streams[t]![node.cursor[k + t]!];
      if (e !== undefined && e.line < line) {
        line = e.line;
        stream = t;
      }
    }
    return { stream, index: node.cursor[k + stream]! };
  };
  const loggedLater = (stream: readonly LoggedEvent<L>[], from: number, event: P, binding: B): boolean => {
    for (let j = from; j < stream.length && j < from + LOOKAHEAD; j++) if (problem.match(stream[j]!.event, event, binding) !== null) return true;
    return false;
  };

  /** Queue the steps of `node` whose trigger the log allows. */
  const expand = (node: Node<S, A, B>): void => {
    const s = node.state;
    const cursor = node.cursor;
    for (const a of problem.actions(s)) {
      // The trigger takes its stream's next position: a logged event there must be it.
      const trig = problem.trigger(s, a);
      let triggerLine = Infinity;
      if (trig !== null) {
        const here = streams[trig.stream]![cursor[k + trig.stream]!];
        if (here !== undefined && here.seq === cursor[trig.stream]) {
          if (problem.match(here.event, trig.event, node.binding) === null) continue;
          triggerLine = here.line;
        }
      }
      heap.push({ parent: node, action: a, triggerLine, order: order++ });
    }
  };

  /** Take a queued step; null when the log rules it out or its search state was seen. */
  const take = (node: Node<S, A, B>, a: A): Node<S, A, B> | null => {
    const s2 = problem.next(node.state, a);
    const events = problem.produced(node.state, a, s2);
    const trig = problem.trigger(node.state, a);
    const c2 = node.cursor.slice();
    let binding = node.binding;
    const consumed: [number, number][] = [];
    let suspect = node.suspect;
    for (let t = 0; t < k; t++) {
      const mine = events.filter((e) => e.stream === t);
      const count = mine.length;
      if (count === 0) continue;
      const used = new Uint8Array(count);
      const stop = c2[t]! + count;
      let j = c2[k + t]!;
      const stream = streams[t]!;
      if (problem.ended && stop - 1 > (stream.length === 0 ? 0 : stream[stream.length - 1]!.seq)) return null;
      if (trig !== null && trig.stream === t) {
        // The trigger holds the first position: the logged event there, or the missing one.
        // Otherwise another event of the step could take the logged trigger's place and
        // push the trigger into an earlier gap, a run the implementation did not have.
        used[0] = 1;
        if (j < stream.length && stream[j]!.seq === c2[t]) {
          const b = problem.match(stream[j]!.event, mine[0]!.event, binding);
          if (b === null) return null;
          binding = b;
          consumed.push([t, j]);
          j++;
        }
      }
      for (; j < stream.length && stream[j]!.seq < stop; j++) {
        const logged = stream[j]!;
        let found = false;
        for (let i = 0; i < count; i++) {
          if (used[i]) continue;
          const b = problem.match(logged.event, mine[i]!.event, binding);
          if (b === null) continue;
          binding = b;
          used[i] = 1;
          found = true;
          break;
        }
        if (!found) return null;
        consumed.push([t, j]);
      }
      if (count > j - c2[k + t]!) {
        // Past the stream's last logged event every fill is a guess the log does not ask for.
        const past = stream.length === 0 ? stop - 1 : Math.max(0, stop - 1 - stream[stream.length - 1]!.seq);
        suspect += Math.min(past, count);
        for (let i = 0; i < count; i++) if (!used[i] && loggedLater(stream, j, mine[i]!.event, binding)) suspect++;
      }
      c2[t] = stop;
      c2[k + t] = j;
    }
    const key = keyOf(s2, c2, binding);
    if (visited.has(key)) return null;
    visited.add(key);
    const line = firstLine(c2);
    return {
      state: s2, cursor: c2, binding, consumed: node.consumed + consumed.length, suspect, line,
      since: line > node.line ? 0 : node.since + 1, parent: node, step: { action: a, consumed },
    };
  };

  if (total === 0 && (problem.ended === undefined || problem.ended(root.state))) return { kind: 'accepted', run: end(root), states: 1 };
  expand(root);
  let taken = 0;
  for (;;) {
    const c = heap.pop();
    if (c === undefined) return { kind: 'rejected', stuck: stuckOf(best), best: end(best), states: visited.size };
    if (visited.size >= problem.maxStates || (problem.deadline !== undefined && (taken & 63) === 0 && performance.now() > problem.deadline)) {
      return { kind: 'bound', stuck: stuckOf(best), best: end(best), states: visited.size, reason: visited.size >= problem.maxStates ? 'max-states' : 'time' };
    }
    taken++;
    const child = take(c.parent, c.action);
    if (child === null) continue;
    if (child.consumed === total && (problem.ended === undefined || problem.ended(child.state))) {
      return { kind: 'accepted', run: end(child), states: visited.size };
    }
    if (child.line > best.line || (child.line === best.line && child.consumed > best.consumed)) best = child;
    expand(child);
  }
}
