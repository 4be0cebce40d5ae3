/**
 * Timestamps (version, writer) packed into one number so that numeric order is the
 * lexicographic order the protocol needs, comparisons are one instruction, and a
 * timestamp costs one varint in the encoding. Up to 16 nodes.
 */
export const WRITER_SLOTS = 16;

export function makeTs(version: number, writer: number): number {
  return version * WRITER_SLOTS + writer;
}

export function versionOf(ts: number): number {
  return Math.floor(ts / WRITER_SLOTS);
}

export function writerOf(ts: number): number {
  return ts % WRITER_SLOTS;
}

export function formatTs(ts: number): string {
  return `${versionOf(ts)}.${writerOf(ts)}`;
}
