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
