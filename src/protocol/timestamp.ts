/**
 * Timestamps (version, writer) packed into one number so that numeric order is the
 * lexicographic order the protocol needs, comparisons are one instruction, and a
 * timestamp costs one varint in the encoding.
 *
 * The writer is (incarnation, node): a node that restarts may have lost (FullCopy) or
 * never shared (an uncommitted write) the timestamps it issued before, and reusing
 * (version, node) would give two different values the same ts (finding F8 in
 * spec/properties.md). Up to 16 nodes and 16 incarnations per node.
 */
export const WRITER_SLOTS = 256;

export function makeTs(version: number, node: number, incarnation = 0): number {
  return version * WRITER_SLOTS + (incarnation % 16) * 16 + node;
}

export function versionOf(ts: number): number {
  return Math.floor(ts / WRITER_SLOTS);
}

/** The node that issued ts. */
export function writerOf(ts: number): number {
  return ts % 16;
}

export function incarnationOf(ts: number): number {
  return (ts % WRITER_SLOTS) >> 4;
}

export function formatTs(ts: number): string {
  const inc = incarnationOf(ts);
  return `${versionOf(ts)}.${writerOf(ts)}${inc === 0 ? '' : `'${inc}`}`;
}
