/**
 * Canonical JSON: object keys sorted, no whitespace. Two configurations that mean the
 * same thing give the same text, so the same bug found twice lands in the same file.
 */
import { createHash } from 'node:crypto';

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (value === undefined) return 'null';
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new Error(`canonicalJson: ${value} has no JSON form`);
    }
    if (typeof value === 'bigint') throw new Error('canonicalJson: bigint has no JSON form');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
}

/** 12 hex digits (48 bits) of SHA-256: short enough for a file name, collisions negligible. */
export function configHash(model: string, config: unknown): string {
  return createHash('sha256').update(canonicalJson({ model, config })).digest('hex').slice(0, 12);
}
