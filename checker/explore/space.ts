/**
 * The state space as one search sees it: a model (optionally under symmetry reduction),
 * the visited set, the properties split by scope, and the counters. Shared by the
 * single-thread strategies and by each worker of a parallel search.
 */
import type { Model, Property } from '../model.ts';
import { fingerprint } from './hash.ts';
import type { VisitedIndex } from './visited.ts';

export interface FoundViolation {
  readonly property: string;
  readonly message: string;
  /** Global id of the violating state. */
  readonly stateId: number;
}

export class StateSpace<S, A> {
  hi = 0;
  lo = 0;
  /** The representative of the state last given to encode(). */
  rep: S | null = null;
  generated = 0;
  maxDepthSeen = 0;
  violation: FoundViolation | null = null;
  private readonly stateProps: Property<S>[];
  private readonly quiescentProps: Property<S>[];
  private readonly terminalProps: Property<S>[];
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
    this.stateProps = model.properties.filter((p) => p.scope === 'state');
    this.quiescentProps = model.properties.filter((p) => p.scope === 'quiescent');
    this.terminalProps = model.properties.filter((p) => p.scope === 'terminal');
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
   * Records the state whose fingerprint is in hi/lo. Returns its global id if new (after
   * checking the state and quiescent properties on it), or -1 if already seen.
   */
  admit(representative: S, parentGlobalId: number, depth: number): number {
    const local = this.visited.insert(this.hi, this.lo, parentGlobalId);
    if (local < 0) return -1;
    const id = this.globalId(local);
    if (depth > this.maxDepthSeen) this.maxDepthSeen = depth;
    if (this.violation === null) this.checkNewState(representative, id);
    return id;
  }

  /** Call on a state found to have no enabled action. */
  checkTerminal(s: S, id: number): void {
    for (const p of this.terminalProps) {
      if (this.violation !== null) return;
      const message = p.check(s);
      if (message !== null) this.violation = { property: p.id, message, stateId: id };
    }
  }

  private checkNewState(s: S, id: number): void {
    for (const p of this.stateProps) {
      const message = p.check(s);
      if (message !== null) {
        this.violation = { property: p.id, message, stateId: id };
        return;
      }
    }
    if (this.quiescentProps.length > 0 && this.model.isQuiescent?.(s)) {
      for (const p of this.quiescentProps) {
        const message = p.check(s);
        if (message !== null) {
          this.violation = { property: p.id, message, stateId: id };
          return;
        }
      }
    }
  }
}
