// Surfaces and exact Euclidean distance transforms of binary volumes (u8, non-zero = inside),
// for comparing masks. The transform is Felzenszwalb & Huttenlocher's ("Distance Transforms
// of Sampled Functions", Theory of Computing 8, 2012): separable, one lower envelope of
// parabolas per line, linear time, exact, in millimetres through each axis's spacing. The
// same arithmetic as src/kernels/js/distance.ts, operation for operation (f64), so both
// backends give the same bits.

/**
 * Marks in `out` the voxels of `src` (nz x ny x nx) with a 6-neighbour outside it; the
 * volume's edge counts as outside. Returns how many. Rows inside the volume go 16 voxels a
 * step (a voxel and its six neighbours as seven vectors); the first and last voxel of each
 * row, and rows on the volume's faces, one at a time.
 */
export function surfaceOf(src: usize, out: usize, nz: u32, ny: u32, nx: u32): u32 {
  const plane = <usize>ny * <usize>nx;
  const zero = i8x16.splat(0), one = i8x16.splat(1);
  let count: u32 = 0;
  for (let z: u32 = 0; z < nz; z++) {
    for (let y: u32 = 0; y < ny; y++) {
      const row = <usize>z * plane + <usize>y * <usize>nx;
      const face = z == 0 || z + 1 == nz || y == 0 || y + 1 == ny || nx < 3;
      let x: usize = 0;
      if (!face) {
        // x = 0 is on the edge; x = 1 .. nx - 2 in steps of 16 while a step fits.
        const v0 = load<u8>(src + row);
        store<u8>(out + row, v0 != 0 ? 1 : 0);
        count += v0 != 0 ? 1 : 0;
        x = 1;
        for (; x + 16 <= <usize>nx - 1; x += 16) {
          const i = src + row + x;
          const inside = i8x16.ne(v128.load(i), zero);
          let all = v128.and(i8x16.ne(v128.load(i - 1), zero), i8x16.ne(v128.load(i + 1), zero));
          all = v128.and(all, v128.and(i8x16.ne(v128.load(i - <usize>nx), zero), i8x16.ne(v128.load(i + <usize>nx), zero)));
          all = v128.and(all, v128.and(i8x16.ne(v128.load(i - plane), zero), i8x16.ne(v128.load(i + plane), zero)));
          const edge = v128.andnot(inside, all);
          v128.store(out + row + x, v128.and(edge, one));
          count += <u32>popcnt(i8x16.bitmask(edge));
        }
      }
      for (; x < <usize>nx; x++) {
        const i = row + x;
        let edge: u8 = 0;
        if (load<u8>(src + i) != 0) {
          if (face || x == 0 || x + 1 == <usize>nx) edge = 1;
          else if (
            load<u8>(src + i - 1) == 0 || load<u8>(src + i + 1) == 0 ||
            load<u8>(src + i - <usize>nx) == 0 || load<u8>(src + i + <usize>nx) == 0 ||
            load<u8>(src + i - plane) == 0 || load<u8>(src + i + plane) == 0
          ) edge = 1;
        }
        store<u8>(out + i, edge);
        count += <u32>edge;
      }
    }
  }
  return count;
}

/**
 * One line of the transform in place: `line` holds `n` squared distances (f64, Infinity where
 * none) at positions 0, w, 2w, ...; after, each holds the least f(p) + (w(q - p))^2.
 * Scratch: `v` (n i32), `zs` (n + 1 f64), `out` (n f64). Points at Infinity never enter the
 * envelope, so no Infinity - Infinity is ever taken.
 */
function envelope(line: usize, n: u32, w: f64, v: usize, zs: usize, out: usize): void {
  let k: i32 = -1;
  for (let q: u32 = 0; q < n; q++) {
    const fq = load<f64>(line + (<usize>q << 3));
    if (fq == Infinity) continue;
    const xq = <f64>q * w;
    let s: f64 = -Infinity;
    while (k >= 0) {
      const p = load<i32>(v + (<usize>k << 2));
      const xp = <f64>p * w;
      s = (fq + xq * xq - (load<f64>(line + (<usize>p << 3)) + xp * xp)) / (2.0 * (xq - xp));
      if (s > load<f64>(zs + (<usize>k << 3))) break;
      k--;
    }
    k++;
    store<i32>(v + (<usize>k << 2), q);
    store<f64>(zs + (<usize>k << 3), k == 0 ? -Infinity : s);
  }
  if (k < 0) return; // nothing finite on this line: it stays at Infinity
  const last = k;
  k = 0;
  for (let q: u32 = 0; q < n; q++) {
    const xq = <f64>q * w;
    while (k < last && load<f64>(zs + (<usize>(k + 1) << 3)) < xq) k++;
    const p = load<i32>(v + (<usize>k << 2));
    const d = xq - <f64>p * w;
    store<f64>(out + (<usize>q << 3), d * d + load<f64>(line + (<usize>p << 3)));
  }
  memory.copy(line, out, <usize>n << 3);
}

/**
 * Squared distances (mm^2, f64) from every voxel of an nz x ny x nx volume to the nearest
 * non-zero voxel of `features`, into `dist`; Infinity everywhere when there is none. Spacing
 * (sz, sy, sx) in mm. `scratch` holds 32 * (max(nz, ny, nx) + 2) bytes.
 */
export function edtSquared(features: usize, dist: usize, nz: u32, ny: u32, nx: u32, sz: f64, sy: f64, sx: f64, scratch: usize): void {
  const plane = <usize>ny * <usize>nx;
  const longest = <usize>max(nz, max(ny, nx)) + 2;
  const line = scratch, out = scratch + (longest << 3), zs = out + (longest << 3), v = zs + (longest << 3);
  // Along x: the distance to the nearest feature of the row, in two scans.
  for (let r: usize = 0; r < <usize>nz * <usize>ny; r++) {
    const row = r * <usize>nx;
    let last: i64 = -1;
    for (let x: u32 = 0; x < nx; x++) {
      const i = row + <usize>x;
      if (load<u8>(features + i) != 0) last = <i64>x;
      const d = last < 0 ? Infinity : (<f64>(<i64>x - last)) * sx;
      store<f64>(dist + (i << 3), last < 0 ? Infinity : d * d);
    }
    last = -1;
    for (let x: i64 = <i64>nx - 1; x >= 0; x--) {
      const i = row + <usize>x;
      if (load<u8>(features + i) != 0) last = x;
      if (last >= 0) {
        const d = (<f64>(last - x)) * sx;
        if (d * d < load<f64>(dist + (i << 3))) store<f64>(dist + (i << 3), d * d);
      }
    }
  }
  // Along y in each slice, then along z.
  if (ny > 1) for (let z: usize = 0; z < <usize>nz; z++) pass(dist, z * plane, <usize>nx, <usize>nx, ny, sy, line, v, zs, out);
  if (nz > 1) pass(dist, 0, plane, plane, nz, sz, line, v, zs, out);
}

/**
 * One pass of the transform over `count` lines of `n` points, line t starting at first + t,
 * its points `stride` apart, spacing `w`: each line gathered, transformed, and put back
 * (lines all at Infinity are left as they are).
 */
function pass(dist: usize, first: usize, count: usize, stride: usize, n: u32, w: f64, line: usize, v: usize, zs: usize, out: usize): void {
  for (let t = first; t < first + count; t++) {
    let finite = false;
    for (let q: usize = 0; q < <usize>n; q++) {
      const value = load<f64>(dist + ((t + q * stride) << 3));
      store<f64>(line + (q << 3), value);
      if (value != Infinity) finite = true;
    }
    if (!finite) continue;
    envelope(line, n, w, v, zs, out);
    for (let q: usize = 0; q < <usize>n; q++) store<f64>(dist + ((t + q * stride) << 3), load<f64>(line + (q << 3)));
  }
}

/**
 * The distances (mm, f64) at the marked voxels of `marks` (n voxels), in index order, where
 * `out` holds NaN (the ones a local search left): the square roots of `squared` there.
 */
export function fillDistances(marks: usize, squared: usize, n: usize, out: usize): void {
  let j: usize = 0;
  for (let i: usize = 0; i < n; i++) {
    if (load<u8>(marks + i) == 0) continue;
    const at = out + (j << 3);
    if (isNaN(load<f64>(at))) store<f64>(at, Math.sqrt(load<f64>(squared + (i << 3))));
    j++;
  }
}

/**
 * For each marked voxel of `marks`, in index order, the distance (mm) to the nearest non-zero
 * voxel of `features` within a cube about it, into `out`, where that is provably the nearest
 * of all (its square at most `reach`); NaN where it is not (the transform decides those).
 * The cube's `count` offsets come nearest first (`steps`: dz, dy, dx as i32; `squared`: their
 * squared lengths), so the first feature met is the cube's nearest: masks that nearly agree
 * settle each voxel in a load or a few, and need no transform at all. Returns how many were
 * left NaN.
 */
export function nearestWithin(marks: usize, features: usize, nz: u32, ny: u32, nx: u32, steps: usize, squared: usize, count: u32, reach: f64, out: usize): u32 {
  const plane = <usize>ny * <usize>nx;
  const n = <usize>nz * plane;
  let j: usize = 0;
  let left: u32 = 0;
  let i: usize = 0;
  while (i < n) {
    // Unmarked voxels (most of a box) are passed 16 at a time.
    if (i + 16 <= n && !v128.any_true(v128.load(marks + i))) {
      i += 16;
      continue;
    }
    if (load<u8>(marks + i) == 0) {
      i++;
      continue;
    }
    const z = <i32>(i / plane), rest = i % plane;
    const y = <i32>(rest / <usize>nx), x = <i32>(rest % <usize>nx);
    let best: f64 = Infinity;
    for (let k: u32 = 0; k < count; k++) {
      const at = steps + <usize>k * 12;
      const zz = z + load<i32>(at), yy = y + load<i32>(at, 4), xx = x + load<i32>(at, 8);
      if (zz < 0 || zz >= <i32>nz || yy < 0 || yy >= <i32>ny || xx < 0 || xx >= <i32>nx) continue;
      if (load<u8>(features + <usize>zz * plane + <usize>yy * <usize>nx + <usize>xx) == 0) continue;
      best = load<f64>(squared + (<usize>k << 3));
      break;
    }
    if (best <= reach) store<f64>(out + (j << 3), Math.sqrt(best));
    else {
      store<f64>(out + (j << 3), NaN);
      left++;
    }
    j++;
    i++;
  }
  return left;
}

/**
 * Cuts a label out of `rows` rows of `nx` labels (T): 0/1 of `label` in columns x0 .. x0 +
 * width - 1 of each row, into `out`, row after row (a box's rows of one slice).
 */
export function cropEquals<T>(data: usize, rows: u32, nx: u32, x0: u32, width: u32, label: T, out: usize): void {
  const one = i8x16.splat(1);
  const wanted = v128.splat<T>(label);
  for (let r: usize = 0; r < <usize>rows; r++) {
    const src = data + (r * <usize>nx + <usize>x0) * sizeof<T>();
    const dst = out + r * <usize>width;
    let x: usize = 0;
    // 8-bit labels 16 at a time (the usual mask); wider ones and the tail one at a time.
    if (sizeof<T>() == 1) for (; x + 16 <= <usize>width; x += 16) v128.store(dst + x, v128.and(v128.eq<T>(v128.load(src + x), wanted), one));
    for (; x < <usize>width; x++) store<u8>(dst + x, <u8>(load<T>(src + x * sizeof<T>()) == label));
  }
}
