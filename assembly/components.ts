// Connected components of a binary volume (u8, non-zero = inside): two passes with a
// union-find over provisional labels (Rosenfeld & Pfaltz; the scan cc3d also starts from),
// 6-, 18- or 26-connected. The JS build (src/kernels/js/components.ts) takes every neighbour
// each time; here runs along x skip the neighbours the voxel before has joined already. The
// sets are the same, so both backends number the components alike: 1..count in the order of
// each one's first voxel.

/** The root of `x`, halving the path on the way (each node then points at its grandparent). */
@inline function find(parent: usize, x: u32): u32 {
  let p = load<u32>(parent + (<usize>x << 2));
  while (p != x) {
    const gp = load<u32>(parent + (<usize>p << 2));
    store<u32>(parent + (<usize>x << 2), gp);
    x = p;
    p = gp;
  }
  return x;
}

/** Joins the sets of roots `a` and `b` under the smaller; the root. */
@inline function join(parent: usize, a: u32, b: u32): u32 {
  if (a == b) return a;
  if (a < b) {
    store<u32>(parent + (<usize>b << 2), a);
    return a;
  }
  store<u32>(parent + (<usize>a << 2), b);
  return b;
}

/**
 * Labels the components of `src` (nz x ny x nx) into `ids` (u32 per voxel: 0 outside, 1..count
 * in the order of each component's first voxel). `parent` holds 8 * (n + 2) bytes: the
 * provisional labels' parents, then their final numbers. `connectivity` is 6, 18 or 26.
 * Returns the count.
 */
export function components(src: usize, ids: usize, nz: u32, ny: u32, nx: u32, connectivity: u32, parent: usize): u32 {
  const plane = <usize>ny * <usize>nx;
  let next: u32 = 0;
  for (let z: u32 = 0; z < nz; z++) {
    for (let y: u32 = 0; y < ny; y++) {
      for (let x: u32 = 0; x < nx; x++) {
        const i = <usize>z * plane + <usize>y * <usize>nx + <usize>x;
        if (load<u8>(src + i) == 0) {
          store<u32>(ids + (i << 2), 0);
          continue;
        }
        let label: u32 = 0;
        // Inside a run, the voxel before holds the label the run has: most voxels need no
        // more than that where nothing else could join (the row above and the slice before
        // hold nothing new next to it). Otherwise, every neighbour behind it.
        const before = x > 0 ? load<u32>(ids + ((i - 1) << 2)) : 0;
        if (before != 0 && connectivity == 6 && (y == 0 || load<u32>(ids + ((i - <usize>nx) << 2)) == 0) && (z == 0 || load<u32>(ids + ((i - plane) << 2)) == 0)) {
          store<u32>(ids + (i << 2), before);
          continue;
        }
        if (before != 0 && connectivity == 26) {
          // 26-connected, every neighbour behind this voxel but those one step ahead in x
          // is a neighbour of the voxel before, so already in its set: four to look at.
          label = find(parent, before);
          if (x + 1 < nx) {
            for (let k = 0; k < 4; k++) {
              const dz: i32 = k == 0 ? 0 : -1, dy: i32 = k == 0 ? -1 : k - 2;
              if ((dz < 0 && z == 0) || (dy < 0 && y == 0) || (dy > 0 && y + 1 == ny)) continue;
              const other = load<u32>(ids + (<usize>(<i64>i + <i64>dz * <i64>plane + <i64>dy * <i64>nx + 1) << 2));
              if (other == 0 || other == label) continue;
              label = join(parent, find(parent, label), find(parent, other));
            }
          }
          store<u32>(ids + (i << 2), label);
          continue;
        }
        for (let dz: i32 = -1; dz <= 0; dz++) {
          if (dz < 0 && z == 0) continue;
          for (let dy: i32 = -1; dy <= 1; dy++) {
            if (dz == 0 && dy > 0) break;
            if ((dy < 0 && y == 0) || (dy > 0 && y + 1 == ny)) continue;
            for (let dx: i32 = -1; dx <= 1; dx++) {
              if (dz == 0 && dy == 0 && dx >= 0) break;
              if ((dx < 0 && x == 0) || (dx > 0 && x + 1 == nx)) continue;
              const far = <u32>(dz != 0) + <u32>(dy != 0) + <u32>(dx != 0);
              if ((connectivity == 6 && far > 1) || (connectivity == 18 && far > 2)) continue;
              const j = <usize>(<i64>i + <i64>dz * <i64>plane + <i64>dy * <i64>nx + <i64>dx);
              const other = load<u32>(ids + (j << 2));
              if (other == 0 || other == label) continue;
              const root = find(parent, other);
              label = label == 0 ? root : join(parent, find(parent, label), root);
            }
          }
        }
        if (label == 0) {
          next++;
          store<u32>(parent + (<usize>next << 2), next);
          label = next;
        }
        store<u32>(ids + (i << 2), label);
      }
    }
  }
  // Second pass: every voxel its root's final number, numbered in order of first voxels
  // (a root is met first at its set's first voxel, since roots are the smallest labels).
  const n = <usize>nz * plane;
  const final = parent + ((<usize>next + 1) << 2);
  let count: u32 = 0;
  for (let l: u32 = 1; l <= next; l++) store<u32>(final + (<usize>l << 2), 0);
  let last: u32 = 0, lastFinal: u32 = 0;
  for (let i: usize = 0; i < n; i++) {
    const l = load<u32>(ids + (i << 2));
    if (l == 0) continue;
    // Runs share a provisional label: one lookup per run.
    if (l != last) {
      const root = find(parent, l);
      lastFinal = load<u32>(final + (<usize>root << 2));
      if (lastFinal == 0) {
        lastFinal = ++count;
        store<u32>(final + (<usize>root << 2), lastFinal);
      }
      last = l;
    }
    store<u32>(ids + (i << 2), lastFinal);
  }
  return count;
}
