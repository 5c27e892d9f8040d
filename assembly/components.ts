// Connected components on runs along x (the run-based two-scan labelling of He, Chao and
// Suzuki, 2008; cc3d also joins runs rather than voxels): a label volume becomes its runs
// (row, first x, end x, label) in one SIMD pass, each run is joined by union-find to the runs
// of the same label it touches in the rows behind it, and components and their statistics
// come from the runs alone. The work beyond the pass is in runs, not voxels, so a large organ
// costs little more than reading it, and every label of a volume is found in the same pass.
// The JS build (src/kernels/js/components.ts) does the same steps, so both number components
// alike: 0..count-1 in the order of each one's first voxel.

/** Bytes per run: row (z * ny + y), first x, end x (exclusive), label, each a u32. */
const RUN: usize = 16;
/** Numbers per component in `runStats`' output (see there). */
const STAT: usize = 11;

@inline function emit(out: usize, n: u32, row: u32, start: u32, end: u32, label: u32): void {
  const p = out + <usize>n * RUN;
  store<u32>(p, row);
  store<u32>(p, start, 4);
  store<u32>(p, end, 8);
  store<u32>(p, label, 12);
}

/**
 * The runs of one row of `nx` voxels at `p`, of `label` (0: of every non-zero value, a run
 * ending where the value changes), appended to `out` from run `n`. Returns the new run count.
 */
function rowRuns<T>(p: usize, nx: u32, label: u32, row: u32, out: usize, n: u32): u32 {
  // `cur` is the value of the voxel before (or 0 outside the label): a run is open while it is not 0.
  let cur: u32 = 0, start: u32 = 0, x: u32 = 0;
  if (sizeof<T>() == 1 && label != 0) {
    // One label, 16 voxels a step: its bits, and where they differ from the voxel before.
    const want = i8x16.splat(<i8>label);
    for (; x + 16 <= nx; x += 16) {
      const m = <u32>i8x16.bitmask(i8x16.eq(v128.load(p + x), want));
      let changes = (m ^ ((m << 1) | <u32>(cur != 0))) & 0xffff;
      while (changes != 0) {
        const at = x + ctz(changes);
        changes &= changes - 1;
        if (cur != 0) {
          emit(out, n, row, start, at, cur);
          n++;
          cur = 0;
        } else {
          start = at;
          cur = label;
        }
      }
    }
  } else if (sizeof<T>() == 1) {
    // Every label, 16 voxels a step: where the value differs from the voxel before, found by
    // comparing the block with itself shifted by one (the previous block's last voxel in
    // front); background outside a run skipped 64 voxels a step.
    let prev = i8x16.splat(0);
    for (; x + 16 <= nx; x += 16) {
      if (cur == 0) {
        while (x + 64 <= nx && !v128.any_true(v128.or(v128.or(v128.load(p + x), v128.load(p + x + 16)), v128.or(v128.load(p + x + 32), v128.load(p + x + 48))))) x += 64;
        if (x + 16 > nx) break;
        // Only the last voxel of `prev` counts, and outside a run it is background.
        prev = i8x16.splat(0);
      }
      const v = v128.load(p + x);
      const before = i8x16.shuffle(prev, v, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30);
      let changes = i8x16.bitmask(i8x16.ne(v, before));
      prev = v;
      while (changes != 0) {
        const at = x + ctz(changes);
        changes &= changes - 1;
        const c = <u32>load<u8>(p + at);
        if (cur != 0) {
          emit(out, n, row, start, at, cur);
          n++;
        }
        start = at;
        cur = c;
      }
    }
  }
  const step = <u32>(16 / sizeof<T>());
  while (x < nx) {
    // Wider labels: background 16 bytes a step.
    if (sizeof<T>() > 1 && cur == 0) while (x + step <= nx && !v128.any_true(v128.load(p + (<usize>x) * sizeof<T>()))) x += step;
    if (x >= nx) break;
    let c = <u32>load<T>(p + (<usize>x) * sizeof<T>());
    if (label != 0 && c != label) c = 0;
    if (c != cur) {
      if (cur != 0) {
        emit(out, n, row, start, x, cur);
        n++;
      }
      start = x;
      cur = c;
    }
    x++;
  }
  if (cur != 0) {
    emit(out, n, row, start, nx, cur);
    n++;
  }
  return n;
}

/**
 * The runs of `rows` rows of `nx` voxels at `data` (rows `rowBase`.. of the volume), of
 * `label` (0: of every non-zero value), written to `out` (16 bytes each, see RUN; room for
 * one per voxel is enough). Returns the count.
 */
export function findRuns<T>(data: usize, rows: u32, nx: u32, label: u32, rowBase: u32, out: usize): u32 {
  let n: u32 = 0;
  for (let r: u32 = 0; r < rows; r++) n = rowRuns<T>(data + <usize>r * <usize>nx * sizeof<T>(), nx, label, rowBase + r, out, n);
  return n;
}

@inline export function runAt(runs: usize, i: u32, field: usize): u32 {
  return load<u32>(runs + <usize>i * RUN + (field << 2));
}

/** The first run of row `row` (the end of the row before). */
@inline export function at(rowStart: usize, row: u32): u32 {
  return load<u32>(rowStart + (<usize>row << 2));
}

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

/** One set of the sets of `a` and `b`, under the smaller root (the earlier run). */
@inline function union(parent: usize, a: u32, b: u32): void {
  const ra = find(parent, a), rb = find(parent, b);
  if (ra < rb) store<u32>(parent + (<usize>rb << 2), ra);
  else if (rb < ra) store<u32>(parent + (<usize>ra << 2), rb);
}

/**
 * Joins runs a0..a1 (one row) with the runs b0..b1 of a row behind it that they touch and
 * share a label with: overlapping in x, or (reach 1) also diagonally, one voxel apart.
 */
function link(runs: usize, parent: usize, a0: u32, a1: u32, b0: u32, b1: u32, reach: u32): void {
  let j = b0;
  for (let i = a0; i < a1; i++) {
    const s = runAt(runs, i, 1), e = runAt(runs, i, 2), l = runAt(runs, i, 3);
    while (j < b1 && runAt(runs, j, 2) + reach <= s) j++;
    // Runs from j on may touch the next run of this row too: j stays.
    for (let k = j; k < b1 && runAt(runs, k, 1) < e + reach; k++) if (runAt(runs, k, 3) == l) union(parent, i, k);
  }
}

/** Per row of `rows`, the index of its first run (of `count`, in scan order) into `rowStart`, and `count` after the last. */
export function rowStarts(runs: usize, count: u32, rows: u32, rowStart: usize): void {
  let r: u32 = 0;
  for (let i: u32 = 0; i < count; i++) for (const row = runAt(runs, i, 0); r <= row; r++) store<u32>(rowStart + (<usize>r << 2), i);
  for (; r <= rows; r++) store<u32>(rowStart + (<usize>r << 2), count);
}

/**
 * The components of `count` runs (in scan order) of a volume of nz x ny rows, `connectivity`
 * 6, 18 or 26: `component` gets each run's component, 0.. in the order of first voxels.
 * `rowStart` holds nz * ny + 1 u32, `parent` count u32 (scratch). Returns the component count.
 */
export function joinRuns(runs: usize, count: u32, nz: u32, ny: u32, connectivity: u32, rowStart: usize, parent: usize, component: usize): u32 {
  const rows = nz * ny;
  rowStarts(runs, count, rows, rowStart);
  for (let i: u32 = 0; i < count; i++) store<u32>(parent + (<usize>i << 2), i);
  // Diagonal neighbours (one voxel apart in x) count for 18 within a plane of z or y, for 26 always.
  const edge: u32 = connectivity == 6 ? 0 : 1, corner: u32 = connectivity == 26 ? 1 : 0;
  for (let row: u32 = 0, y: u32 = 0; row < rows; row++, y = y + 1 == ny ? 0 : y + 1) {
    const a0 = at(rowStart, row), a1 = at(rowStart, row + 1);
    if (a0 == a1) continue;
    if (y > 0) link(runs, parent, a0, a1, at(rowStart, row - 1), at(rowStart, row), edge);
    if (row >= ny) {
      const below = row - ny;
      link(runs, parent, a0, a1, at(rowStart, below), at(rowStart, below + 1), edge);
      if (connectivity != 6) {
        if (y > 0) link(runs, parent, a0, a1, at(rowStart, below - 1), at(rowStart, below), corner);
        if (y + 1 < ny) link(runs, parent, a0, a1, at(rowStart, below + 1), at(rowStart, below + 2), corner);
      }
    }
  }
  // A root is its set's first run, so numbering roots as they come numbers by first voxel.
  let n: u32 = 0;
  for (let i: u32 = 0; i < count; i++) {
    const root = find(parent, i);
    store<u32>(component + (<usize>i << 2), root == i ? n++ : load<u32>(component + (<usize>root << 2)));
  }
  return n;
}

/**
 * Per component (of `joinRuns`), 11 f64 at `stats`: voxels, the sums of z, y and x over its
 * voxels, min z, y, x, max z, y, x, and its label.
 */
export function runStats(runs: usize, count: u32, ny: u32, component: usize, components: u32, stats: usize): void {
  for (let c: u32 = 0; c < components; c++) {
    const p = stats + <usize>c * STAT * 8;
    for (let k: usize = 0; k < 4; k++) store<f64>(p + k * 8, 0);
    for (let k: usize = 4; k < 7; k++) store<f64>(p + k * 8, Infinity);
    for (let k: usize = 7; k < 10; k++) store<f64>(p + k * 8, -1);
  }
  for (let i: u32 = 0; i < count; i++) {
    const row = runAt(runs, i, 0), s = runAt(runs, i, 1), e = runAt(runs, i, 2);
    const z = <f64>(row / ny), y = <f64>(row % ny), len = <f64>(e - s);
    const p = stats + <usize>load<u32>(component + (<usize>i << 2)) * STAT * 8;
    store<f64>(p, load<f64>(p) + len);
    store<f64>(p + 8, load<f64>(p + 8) + z * len);
    store<f64>(p + 16, load<f64>(p + 16) + y * len);
    // s + (s+1) + ... + (e-1), exactly: one of the two factors is even.
    store<f64>(p + 24, load<f64>(p + 24) + <f64>((<u64>(s + e - 1) * <u64>(e - s)) >> 1));
    store<f64>(p + 32, min(load<f64>(p + 32), z));
    store<f64>(p + 40, min(load<f64>(p + 40), y));
    store<f64>(p + 48, min(load<f64>(p + 48), <f64>s));
    store<f64>(p + 56, max(load<f64>(p + 56), z));
    store<f64>(p + 64, max(load<f64>(p + 64), y));
    store<f64>(p + 72, max(load<f64>(p + 72), <f64>(e - 1)));
    store<f64>(p + 80, <f64>runAt(runs, i, 3));
  }
}
