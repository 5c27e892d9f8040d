// The largest value of a volume, for readers that narrow stored voxels (NIfTI and NRRD
// int16, int32...) to the smallest label type: a SIMD maximum over 64 bytes a step (against
// a plain JS loop: `npm run bench platform`, "largest value of a CT-sized uint16 volume").

/** The largest of the `len` unsigned values of type T at `data` (0 when `len` is 0). */
export function largest<T>(data: usize, len: usize): u32 {
  const end = data + len * sizeof<T>();
  let p = data;
  let m = i8x16.splat(0);
  for (; p + 64 <= end; p += 64) {
    m = v128.max<T>(m, v128.max<T>(v128.max<T>(v128.load(p), v128.load(p, 16)), v128.max<T>(v128.load(p, 32), v128.load(p, 48))));
  }
  for (; p + 16 <= end; p += 16) m = v128.max<T>(m, v128.load(p));
  // The lanes' maximum, then the tail.
  const lanes = memory.data(16);
  v128.store(lanes, m);
  let best: u32 = 0;
  for (let q = lanes; q < lanes + 16; q += sizeof<T>()) best = max(best, <u32>load<T>(q));
  for (; p < end; p += sizeof<T>()) best = max(best, <u32>load<T>(p));
  return best;
}
