/**
 * Integers are compared exactly. A JavaScript number holds every integer up to
 * 2^53 - 1; past that, distinct integers round to the same double. So every
 * integer literal reads as a number when it is safe and as a bigint otherwise:
 * one representation per value, so === (and Map keys) still compare by value.
 */
export function integerValue(literal: string): number | bigint {
  const n = Number(literal);
  return Number.isSafeInteger(n) ? n : BigInt(literal);
}
