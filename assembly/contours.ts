// Closed planar contours filled into a slice, by the even-odd rule: the voxels whose centres
// a contour encloses are flipped (XOR), so contours inside contours are holes and the contours
// of one structure on one slice, filled one after another, give the even-odd region of all of
// them (the convention of Eclipse and plastimatch). A centre on an edge counts as inside on the
// edge's left side only (half-open spans), so two contours that share an edge never both take
// a voxel. The crossings of each row are bucketed by row, then sorted within the row. The JS
// build (src/kernels/js/contours.ts) does the same steps.

/**
 * XOR-fills the polygon of `n` points at `points` (x, y as f64 pairs, in voxel units: x along
 * a row, y down the rows; voxel centres at whole numbers) into `out` (`ny` rows of `nx` u8).
 * `rowStart` (ny + 1 u32) and `crossings` (f64, one per row an edge spans) are scratch.
 */
function fillContour(points: usize, n: u32, ny: i32, nx: i32, out: usize, rowStart: usize, crossings: usize): void {
  memory.fill(rowStart, 0, (<usize>ny + 1) << 2);
  for (let e: u32 = 0; e < n; e++) {
    const f = e + 1 == n ? 0 : e + 1;
    const y0 = load<f64>(points + ((<usize>e << 1) << 3), 8), y1 = load<f64>(points + ((<usize>f << 1) << 3), 8);
    if (y0 == y1) continue;
    const lo = min(y0, y1), hi = max(y0, y1);
    const j0 = <i32>max(0.0, Math.ceil(lo)), j1 = <i32>min(<f64>(ny - 1), Math.ceil(hi) - 1);
    for (let j = j0; j <= j1; j++) store<u32>(rowStart + ((<usize>j + 1) << 2), load<u32>(rowStart + ((<usize>j + 1) << 2)) + 1);
  }
  for (let j = 0; j < ny; j++) store<u32>(rowStart + ((<usize>j + 1) << 2), load<u32>(rowStart + ((<usize>j + 1) << 2)) + load<u32>(rowStart + (<usize>j << 2)));
  // Each edge's crossings, at the next free place of their rows (rowStart counts up as it fills).
  for (let e: u32 = 0; e < n; e++) {
    const f = e + 1 == n ? 0 : e + 1;
    const pe = points + ((<usize>e << 1) << 3), pf = points + ((<usize>f << 1) << 3);
    const x0 = load<f64>(pe), y0 = load<f64>(pe, 8), x1 = load<f64>(pf), y1 = load<f64>(pf, 8);
    if (y0 == y1) continue;
    const lo = min(y0, y1), hi = max(y0, y1);
    const j0 = <i32>max(0.0, Math.ceil(lo)), j1 = <i32>min(<f64>(ny - 1), Math.ceil(hi) - 1);
    for (let j = j0; j <= j1; j++) {
      const at = rowStart + (<usize>j << 2), k = load<u32>(at);
      store<f64>(crossings + (<usize>k << 3), x0 + ((<f64>j - y0) * (x1 - x0)) / (y1 - y0));
      store<u32>(at, k + 1);
    }
  }
  // rowStart[j] is now where row j + 1 begins: row j's crossings are [rowStart[j - 1], rowStart[j]).
  let begin: u32 = 0;
  for (let j = 0; j < ny; j++) {
    const end = load<u32>(rowStart + (<usize>j << 2));
    for (let a = begin + 1; a < end; a++) {
      const v = load<f64>(crossings + (<usize>a << 3));
      let b = a;
      while (b > begin && load<f64>(crossings + ((<usize>b - 1) << 3)) > v) {
        store<f64>(crossings + (<usize>b << 3), load<f64>(crossings + ((<usize>b - 1) << 3)));
        b--;
      }
      store<f64>(crossings + (<usize>b << 3), v);
    }
    const row = out + <usize>j * <usize>nx;
    for (let a = begin; a + 1 < end; a += 2) {
      const i0 = <i32>max(0.0, Math.ceil(load<f64>(crossings + (<usize>a << 3))));
      const i1 = <i32>min(<f64>(nx - 1), Math.ceil(load<f64>(crossings + ((<usize>a + 1) << 3))) - 1);
      for (let i = i0; i <= i1; i++) store<u8>(row + <usize>i, load<u8>(row + <usize>i) ^ 1);
    }
    begin = end;
  }
}

/**
 * Every contour of one slice XOR-filled into `out`: contour c is the points
 * [starts[c], starts[c + 1]) of `points` (u32 `starts`, `count` + 1 of them).
 */
export function fillContours(points: usize, starts: usize, count: u32, ny: i32, nx: i32, out: usize, rowStart: usize, crossings: usize): void {
  for (let c: u32 = 0; c < count; c++) {
    const a = load<u32>(starts + (<usize>c << 2)), b = load<u32>(starts + ((<usize>c + 1) << 2));
    if (b - a >= 3) fillContour(points + ((<usize>a << 1) << 3), b - a, ny, nx, out, rowStart, crossings);
  }
}
