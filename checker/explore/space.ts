/**
 * The state space as one search sees it: a model (optionally under symmetry reduction),
 * the visited set, the properties split by scope, and the counters. Shared by the
 * single-thread strategies and by each worker of a parallel search.
 */
import { firstViolation, stateIsQuiescent, type Model, type Property, type StateFacts } from '../model.ts';
import { fingerprint } from './hash.ts';
import type { VisitedIndex } from './visited.ts';

export interface FoundViolation {
  readonly property: string;
  readonly message: string;
  /** Global id of the violating state. */
  readonly stateId: number;
  /** Its depth (-1 where unknown: random walks report theirs at once). */
  readonly depth: number;
}

/**
 * Who judges what, and when: the state properties of a state when it is admitted (new to
 * the visited set); its terminal properties when it is expanded, since they depend on
 * its enabled actions; its quiescent properties when it is admitted if the state alone
 * decides quiescence (the model has no stutterCapable), else when it is expanded, where
 * the successors show whether each stutter-capable action stutters. Judging as early as
 * possible keeps the states a bounded search needs to find a violation few. Nothing is
 * judged while a caller holds the encoder's output: admission judges after the caller
 * has queued the bytes, expansion before the first successor is encoded.
 */
export class StateSpace<S, A> {
  hi = 0;
  lo = 0;
  /** The representative of the state last given to encode(). */
  rep: S | null = null;
  generated = 0;
  maxDepthSeen = 0;
  violation: FoundViolation | null = null;
  private readonly properties: readonly Property<S>[];
  private readonly judgedOnExpansion: boolean;
  /** Quiescent properties exist and need the successors (stutter-capable actions). */
  private readonly quiescenceOnExpansion: boolean;
  /** Quiescent properties exist and the state alone decides quiescence. */
  private readonly quiescenceOnAdmission: boolean;
  private readonly canonicalize: ((s: S) => S) | null;

  /**
   * Local ids map to global ids as local * stride + offset, so that the workers of a
   * parallel search hand out disjoint ids (one thread: stride 1, offset 0). `visited` is
   * one thread's own VisitedSet, or a worker's view of the shared table.
   */
  constructor(
    readonly model: Model<S, A>,
    symmetry: boolean,
    readonly visited: VisitedIndex,
    readonly stride = 1,
    readonly offset = 0,
  ) {
    if (symmetry && model.canonicalize === undefined) {
      throw new Error(`model ${model.name} offers no symmetry reduction (it has no canonicalize)`);
    }
    this.canonicalize = symmetry && model.canonicalize ? model.canonicalize.bind(model) : null;
    this.properties = model.properties;
    const quiescent = model.properties.some((p) => p.scope === 'quiescent');
    this.quiescenceOnExpansion = quiescent && model.stutterCapable !== undefined;
    this.quiescenceOnAdmission = quiescent && !this.quiescenceOnExpansion;
    this.judgedOnExpansion = this.quiescenceOnExpansion || model.properties.some((p) => p.scope === 'terminal');
  }

  get distinct(): number {
    return this.visited.size;
  }

  /** The representative the search stores (the state itself without symmetry). */
  represent(s: S): S {
    return this.canonicalize === null ? s : this.canonicalize(s);
  }

  /** Encodes the representative of `s` and leaves its fingerprint in hi/lo. */
  encode(s: S): Uint8Array {
    const rep = this.represent(s);
    this.rep = rep;
    const bytes = this.model.encode(rep);
    fingerprint(bytes, this);
    return bytes;
  }

  globalId(localId: number): number {
    return localId * this.stride + this.offset;
  }

  /**
   * Records the state whose fingerprint is in hi/lo. Returns its global id if new, or -1
   * if already seen. Judging it is judgeReached's job, once the caller has stored the
   * encoding (a property may, against the contract, call the model's encoder).
   */
  admit(parentGlobalId: number, depth: number): number {
    const local = this.visited.insert(this.hi, this.lo, parentGlobalId);
    if (local < 0) return -1;
    if (depth > this.maxDepthSeen) this.maxDepthSeen = depth;
    return this.globalId(local);
  }

  /** Judges a newly admitted state: its state properties, and quiescent ones if it can. */
  judgeReached(s: S, id: number, depth: number): void {
    // Without stutter-capable actions quiescence needs neither actions nor successors.
    const quiescent = this.quiescenceOnAdmission ? stateIsQuiescent(this.model, s, NONE, () => true) : null;
    const v = firstViolation(this.properties, s, quiescent === null ? REACHED : { reached: true, quiescent, terminal: null });
    if (v !== null) this.found(v, id, depth);
  }

  /**
   * Judges a state being expanded, before any of its successors is encoded: its terminal
   * properties, and its quiescent ones when the model has stutter-capable actions (a state
   * that isQuiescent is quiescent if each of them leads back to it, decided here from
   * their fingerprints against `hi`/`lo`, the state's own). Overwrites hi/lo and rep.
   */
  judgeExpanded(s: S, id: number, depth: number, actions: readonly A[], hi: number, lo: number): void {
    if (!this.judgedOnExpansion) return;
    const terminal = actions.length === 0;
    const quiescent = this.quiescenceOnExpansion
      ? stateIsQuiescent(this.model, s, actions, (k) => {
          this.encode(this.model.next(s, actions[k]));
          return this.hi === hi && this.lo === lo;
        })
      : null;
    const v = firstViolation(this.properties, s, { reached: false, quiescent, terminal });
    if (v !== null) this.found(v, id, depth);
  }

  /**
   * The expansion loop of every search: encodes each successor of `s` (whose fingerprint
   * is parentHi/parentLo) and hands it to `reach` with its fingerprint in hi/lo and its
   * representative in rep, in the order of `actions` or, with `reverse`, the opposite one.
   * A step back to the state itself (a stuttering action) needs no table probe, so it is
   * skipped. Stops at the first successor `reach` refuses; returns false then.
   */
  expand(s: S, actions: readonly A[], parentHi: number, parentLo: number, reverse: boolean, reach: (bytes: Uint8Array) => boolean): boolean {
    const n = actions.length;
    for (let k = 0; k < n; k++) {
      const t = this.model.next(s, actions[reverse ? n - 1 - k : k]!);
      this.generated++;
      const bytes = this.encode(t);
      if (this.hi === parentHi && this.lo === parentLo) continue;
      if (!reach(bytes)) return false;
    }
    return true;
  }

  /** Keeps the shallowest violation (a BFS level finishes judging after a deeper one). */
  private found(v: { property: string; message: string }, id: number, depth: number): void {
    if (this.violation === null || depth < this.violation.depth) {
      this.violation = { property: v.property, message: v.message, stateId: id, depth };
    }
  }
}

const REACHED: StateFacts = { reached: true, quiescent: null, terminal: null };
const NONE: readonly never[] = [];
