// Whether a label occurs at all (addLabel's duplicate check): SIMD compares, 64 bytes a
// step, stopping at the first hit.

/** True when some of the `len` labels of type T at `data` equals `label`. */
export function contains<T>(data: usize, len: usize, label: T): bool {
  const s = v128.splat<T>(label);
  const end = data + len * sizeof<T>();
  let p = data;
  while (p + 64 <= end) {
    const hits = v128.or(
      v128.or(v128.eq<T>(v128.load(p), s), v128.eq<T>(v128.load(p, 16), s)),
      v128.or(v128.eq<T>(v128.load(p, 32), s), v128.eq<T>(v128.load(p, 48), s)),
    );
    if (v128.any_true(hits)) return true;
    p += 64;
  }
  for (; p + 16 <= end; p += 16) if (v128.any_true(v128.eq<T>(v128.load(p), s))) return true;
  for (; p < end; p += sizeof<T>()) if (load<T>(p) == label) return true;
  return false;
}
