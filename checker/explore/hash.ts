/**
 * A 64-bit fingerprint of a byte string as two 32-bit lanes, computed with Math.imul so
 * the hot path never touches BigInt. Each lane is a MurmurHash3-style mix with its own
 * constants; the lanes are cross-mixed at the end as in MurmurHash3 x86_128.
 *
 * The result is left in `hi` / `lo` of the given holder instead of being returned as an
 * object: this runs once per generated state.
 */

export interface FingerprintHolder {
  hi: number;
  lo: number;
}

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** V8's V8_TYPED_ARRAY_MAX_SIZE_IN_HEAP. */
const ON_HEAP_TYPED_ARRAY_MAX = 64;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** The buffer last hashed, and a 32-bit view of it once it has been hashed twice in a row. */
let lastBuffer: ArrayBufferLike | null = null;
let wordBuffer: ArrayBufferLike | null = null;
let words: Int32Array<ArrayBufferLike> = new Int32Array(0);

/**
 * A 32-bit view over the bytes' buffer, when reading whole words gives the same values
 * as assembling them byte by byte (little-endian, 4-aligned). Models return views of one
 * reusable buffer, so the view is made once; a model that returns a new buffer on every
 * call must not pay for a view per call, hence the "seen twice in a row" rule.
 */
function wordView(bytes: Uint8Array): Int32Array<ArrayBufferLike> | null {
  // V8 keeps typed arrays of up to 64 bytes inside the heap object and creates their
  // ArrayBuffer only when `.buffer` is read, which costs more than hashing them bytewise.
  if (!LITTLE_ENDIAN || bytes.byteLength <= ON_HEAP_TYPED_ARRAY_MAX || (bytes.byteOffset & 3) !== 0) return null;
  const buffer = bytes.buffer;
  if (buffer === wordBuffer) return words;
  if (buffer !== lastBuffer) {
    lastBuffer = buffer;
    return null;
  }
  wordBuffer = buffer;
  words = new Int32Array(buffer, 0, buffer.byteLength >> 2);
  return words;
}

export function fingerprint(bytes: Uint8Array, out: FingerprintHolder): void {
  let h1 = 0x9747b28c;
  let h2 = 0x2f0b5a8d;
  const len = bytes.length;
  const whole = len & ~3;
  let i = 0;
  const view = wordView(bytes);
  if (view !== null) {
    const first = bytes.byteOffset >> 2;
    for (let w = first, end = first + (whole >> 2); w < end; w++) {
      const k = view[w]!;
      let k1 = Math.imul(k, 0xcc9e2d51);
      k1 = Math.imul(rotl(k1, 15), 0x1b873593);
      h1 ^= k1;
      h1 = (Math.imul(rotl(h1, 13), 5) + 0xe6546b64) | 0;
      let k2 = Math.imul(k, 0x239b961b);
      k2 = Math.imul(rotl(k2, 16), 0xab0e9789);
      h2 ^= k2;
      h2 = (Math.imul(rotl(h2, 17), 5) + 0x38b34ae5) | 0;
    }
    i = whole;
  }
  // The same mix as the loop above, over words assembled byte by byte. Two loops, not one
  // with a test per word: this runs over every byte of every generated state.
  for (; i < whole; i += 4) {
    const k = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    let k1 = Math.imul(k, 0xcc9e2d51);
    k1 = Math.imul(rotl(k1, 15), 0x1b873593);
    h1 ^= k1;
    h1 = (Math.imul(rotl(h1, 13), 5) + 0xe6546b64) | 0;
    let k2 = Math.imul(k, 0x239b961b);
    k2 = Math.imul(rotl(k2, 16), 0xab0e9789);
    h2 ^= k2;
    h2 = (Math.imul(rotl(h2, 17), 5) + 0x38b34ae5) | 0;
  }
  if (i < len) {
    let k = 0;
    for (let shift = 0; i < len; i++, shift += 8) k |= bytes[i]! << shift;
    h1 ^= Math.imul(rotl(Math.imul(k, 0xcc9e2d51), 15), 0x1b873593);
    h2 ^= Math.imul(rotl(Math.imul(k, 0x239b961b), 16), 0xab0e9789);
  }
  h1 ^= len;
  h2 ^= len;
  h1 = (h1 + h2) | 0;
  h2 = (h2 + h1) | 0;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h1 = (h1 + h2) | 0;
  h2 = (h2 + h1) | 0;
  out.hi = h1 >>> 0;
  out.lo = h2 >>> 0;
}
