/**
 * Named bounds for the HEAL model. `quick` is what `heal check` explores when no bound is
 * given: the largest bounds at which all ten persistency x recovery combinations are
 * searched to the end within a minute on a 2-core machine and every mutant of
 * src/mutants.ts is caught (the measured table is in the README and pinned by
 * test/mutants/catch-table.test.ts). `standard` is the earlier default, far too large to
 * search to the end in a minute. `wide` is where the default run's random walks go:
 * bugs such as F12 and F13 needed a fourth node, a second key or a second crash.
 */
export interface HealBounds {
  readonly nodes: number;
  readonly keys: number;
  readonly writes: number;
  readonly reads: number;
  readonly crashes: number;
  /** Scope ends, under the Scope persistency model only (0 elsewhere). */
  readonly scopes: number;
}

export const BOUND_PROFILES = {
  quick: { nodes: 4, keys: 1, writes: 1, reads: 2, crashes: 0, scopes: 1 },
  standard: { nodes: 3, keys: 1, writes: 2, reads: 1, crashes: 1, scopes: 1 },
  wide: { nodes: 4, keys: 2, writes: 3, reads: 2, crashes: 2, scopes: 2 },
} as const satisfies Record<string, HealBounds>;

export type BoundProfile = keyof typeof BOUND_PROFILES;
export const BOUND_PROFILE_NAMES = Object.keys(BOUND_PROFILES) as BoundProfile[];
export const DEFAULT_PROFILE: BoundProfile = 'quick';
/** Where the default run's random walks go, after the exhaustive part. */
export const WALK_PROFILE: BoundProfile = 'wide';

export function describeBounds(b: HealBounds): string {
  return `${b.nodes} nodes, ${b.keys} key${b.keys === 1 ? '' : 's'}, ${b.writes} write${b.writes === 1 ? '' : 's'}, ` +
    `${b.reads} read${b.reads === 1 ? '' : 's'}, ${b.crashes} crash${b.crashes === 1 ? '' : 'es'}, ` +
    `${b.scopes} scope end${b.scopes === 1 ? '' : 's'} under Scope`;
}

/** The bounds `heal check --mutant NAME` uses: the default profile with the mutant's own on top. */
export function mutantBounds(mutant: { readonly checkWith?: Partial<HealBounds> & { readonly duplicates?: boolean } }): HealBounds & { readonly duplicates: boolean } {
  return { ...BOUND_PROFILES[DEFAULT_PROFILE], duplicates: false, ...mutant.checkWith };
}
