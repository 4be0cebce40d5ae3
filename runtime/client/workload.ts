/**
 * What the clients ask for: a seeded sequence of reads and writes over a skewed key
 * popularity. TAOBench (Meta's social-graph benchmark) is read-heavy with a few very hot
 * objects: modelled here as 70% reads and Zipf(0.99) keys, YCSB's constant. YCSB A is
 * 50/50 and B 95/5 over the same distribution. The sequence of each client depends only
 * on (seed, client), so a rerun issues the same operations in the same order per client.
 */

export const WORKLOADS = { taobench: 0.7, 'ycsb-a': 0.5, 'ycsb-b': 0.95 } as const;
export type WorkloadName = keyof typeof WORKLOADS;

/** Values a client writes: unique per write across clients, below 2^53 (contract: clientId * 2^32 + seq). */
export const VALUE_SEQ_SPAN = 2 ** 32;
export const MAX_CLIENT_SLOTS = 2 ** 21 - 1;

/**
 * mulberry32: small, fast, good enough to pick operations; not for anything adversarial.
 * A copy of checker/explore/random.ts seededRandom on purpose: runtime/client/ imports only
 * node:, zod and its own files (test/runtime/client-boundary.test.ts).
 */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes the seed and the client number so that neighbouring clients do not get correlated streams. */
export function clientSeed(seed: number, client: number): number {
  let h = (seed ^ Math.imul(client + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  return (h ^ (h >>> 13)) >>> 0;
}

/**
 * Zipf over ranks 0..n-1 by Gray et al.'s method (as YCSB's ZipfianGenerator): O(n) once
 * for zeta(n), then O(1) per draw. Ranks are mapped to keys by a fixed permutation so the
 * hot keys are spread over the key space rather than all at its start.
 */
export class Zipf {
  private readonly alpha: number;
  private readonly zetan: number;
  private readonly eta: number;
  private readonly half: number;
  private readonly stride: number;

  constructor(readonly n: number, readonly theta = 0.99) {
    let zetan = 0;
    for (let i = 1; i <= n; i++) zetan += 1 / i ** theta;
    const zeta2 = 1 + 1 / 2 ** theta;
    this.zetan = zetan;
    this.alpha = 1 / (1 - theta);
    this.eta = (1 - (2 / n) ** (1 - theta)) / (1 - zeta2 / zetan);
    this.half = 1 + 0.5 ** theta;
    this.stride = coprimeStride(n);
  }

  rank(u: number): number {
    const uz = u * this.zetan;
    if (uz < 1) return 0;
    if (uz < this.half) return Math.min(1, this.n - 1);
    return Math.min(this.n - 1, Math.floor(this.n * (this.eta * u - this.eta + 1) ** this.alpha));
  }

  key(u: number): number {
    return ((this.rank(u) + 1) * this.stride) % this.n;
  }
}

/** An odd multiplier near n * golden ratio with gcd 1 to n: rank -> rank * stride mod n is a permutation. */
function coprimeStride(n: number): number {
  if (n <= 2) return 1;
  let s = Math.floor(n * 0.6180339887) | 1;
  while (gcd(s, n) !== 1) s += 2;
  return s;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

export type Op =
  | { readonly f: 'read'; readonly key: number }
  | { readonly f: 'write'; readonly key: number; readonly value: number }
  /** Scope persistency: the writes of this scope must be durable before the scope-end returns. */
  | { readonly f: 'scope-end' };

/** The request a node receives for an operation (runtime contract). */
export function requestOf(op: Op): Record<string, unknown> {
  return op.f === 'write' ? { op: 'write', key: op.key, value: op.value } : op.f === 'read' ? { op: 'read', key: op.key } : { op: 'scope-end' };
}

/** The history's view of an operation at invocation: its key (none for scope-end) and value. */
export function invocationOf(op: Op): { f: Op['f']; key: number | undefined; value: number | null } {
  return { f: op.f, key: op.f === 'scope-end' ? undefined : op.key, value: op.f === 'write' ? op.value : null };
}

export class OpStream {
  private readonly random: () => number;
  private seq = 0;
  private writesInScope = 0;

  /** `scopeEvery` > 0: a scope-end after every that many writes of this client (Scope persistency). */
  constructor(private readonly readFraction: number, private readonly zipf: Zipf, seed: number, private readonly slot: number, private readonly scopeEvery = 0) {
    if (slot < 0 || slot > MAX_CLIENT_SLOTS) throw new RangeError(`client slot ${slot} outside 0..${MAX_CLIENT_SLOTS}`);
    this.random = rng(seed);
  }

  next(): Op {
    if (this.scopeEvery > 0 && this.writesInScope >= this.scopeEvery) {
      this.writesInScope = 0;
      return { f: 'scope-end' };
    }
    const isRead = this.random() < this.readFraction;
    const key = this.zipf.key(this.random());
    if (isRead) return { f: 'read', key };
    this.writesInScope++;
    return { f: 'write', key, value: this.nextValue() };
  }

  /** Next unique value of this client: never 0, the initial value every key holds. */
  nextValue(): number {
    this.seq++;
    if (this.seq >= VALUE_SEQ_SPAN) throw new RangeError('client wrote 2^32 values');
    return this.slot * VALUE_SEQ_SPAN + this.seq;
  }
}
