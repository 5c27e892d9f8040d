// Where the labels of a volume begin and end: the zero bytes before the first non-zero one
// and after the last. Masks are background in most slices, so the scans and the encoder
// find these two ends first and then read only the slices between them.
import { runLength } from "./lanes";

/** Zero bytes at the start of the `bytes` bytes at `data` (`bytes` when all are zero). */
export function leadingZeros(data: usize, bytes: usize): usize {
  return runLength<u8>(data, data + bytes, 0);
}

/** Zero bytes at the end of the `bytes` bytes at `data` (`bytes` when all are zero). */
export function trailingZeros(data: usize, bytes: usize): usize {
  let end = data + bytes;
  while (end - data >= 128) {
    const p = end - 128;
    const a = v128.or(v128.or(v128.load(p), v128.load(p, 16)), v128.or(v128.load(p, 32), v128.load(p, 48)));
    const b = v128.or(v128.or(v128.load(p, 64), v128.load(p, 80)), v128.or(v128.load(p, 96), v128.load(p, 112)));
    if (v128.any_true(v128.or(a, b))) break;
    end = p;
  }
  while (end - data >= 16 && !v128.any_true(v128.load(end - 16))) end -= 16;
  while (end > data && load<u8>(end - 1) == 0) end--;
  return data + bytes - end;
}

/**
 * The spans of the `bytes` bytes at `data` that hold its non-zero bytes, written at `spans`
 * as u32 pairs [start, end) (offsets from `data`); returns how many. A span starts at a
 * non-zero byte and ends after one, and two spans are apart by at least one whole block of
 * `block` zero bytes (blocks counted from `data`): a binary mask copied out span by span
 * into fresh memory touches only the pages near its voxels, not a whole chunk's. At most
 * bytes / block / 2 + 1 spans.
 */
export function nonZeroSpans(data: usize, bytes: usize, block: usize, spans: usize): u32 {
  let count: u32 = 0;
  let i: usize = 0;
  while (i < bytes) {
    const first = i + leadingZeros(data + i, bytes - i);
    if (first == bytes) break;
    // Grow the span block by block until a block is all zero (or the data ends).
    let end = min((first / block + 1) * block, bytes);
    while (end < bytes) {
      const next = min(end + block, bytes);
      if (leadingZeros(data + end, next - end) == next - end) break;
      end = next;
    }
    const at = spans + (<usize>count << 3);
    store<u32>(at, <u32>first);
    store<u32>(at, <u32>(end - trailingZeros(data + first, end - first)), 4);
    count++;
    i = end;
  }
  return count;
}
