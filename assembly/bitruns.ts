// The edges of runs of set bits in packed bits, least significant bit first (DICOM's order,
// PS3.5 8.1.1): where a bit differs from the one before it. A segmentation frame is mostly
// empty, so whole words equal to the bit before them are skipped with one compare (16
// bytes at a time while outside a run), and a word that holds edges yields them one
// count-trailing-zeros each: the cost follows the edges, not the bits.

/**
 * Writes at `out` (u32 each) the positions, relative to bit `first` of the bytes at `src`,
 * of every bit in [first, first + count) that differs from the bit before it; `prev` (0 or
 * 1) is the bit before `first`. Reads whole 64-bit words around the range (the caller pads
 * the buffer to 8 bytes past its end). Returns how many edges it wrote.
 */
export function bitEdges(src: usize, first: u32, count: u32, prev: u32, out: usize): u32 {
  if (count == 0) return 0;
  const end: u64 = <u64>first + <u64>count;
  let n: u32 = 0;
  let carry: u64 = <u64>(prev & 1);
  let word: u64 = <u64>first >> 6;
  const lastWord: u64 = (end - 1) >> 6;
  while (word <= lastWord) {
    const base: u64 = word << 6;
    // Outside a run, 16 empty bytes at a time (both words wholly inside the range).
    if (carry == 0 && base >= <u64>first && base + 128 <= end && !v128.any_true(v128.load(src + <usize>(word << 3)))) {
      word += 2;
      continue;
    }
    let w = load<u64>(src + <usize>(word << 3));
    const whole = base >= <u64>first && base + 64 <= end;
    if (whole && w == (carry != 0 ? 0xffffffffffffffff : 0)) {
      word++;
      continue;
    }
    // Bits before `first` read as the bit before it: no edge there.
    if (base < <u64>first) {
      const low: u64 = (<u64>1 << (<u64>first - base)) - 1;
      w = (w & ~low) | (carry != 0 ? low : 0);
    }
    let t: u64 = w ^ ((w << 1) | carry);
    // No edge past the end.
    if (base + 64 > end) t &= (<u64>1 << (end - base)) - 1;
    while (t != 0) {
      const p = ctz<u64>(t);
      store<u32>(out + (<usize>n << 2), <u32>(base + p - <u64>first));
      n++;
      t &= t - 1;
    }
    carry = w >> 63;
    word++;
  }
  return n;
}
