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

// Tracing: a binary slice's boundary as closed contours, by marching squares through the
// midpoints between the centres of voxels in and out, so every contour runs along the voxels'
// boundary and a centre is never on one (filled back by the rule above, the contours give the
// same voxels). A cell is the square between four centres, its corners a (top left), b, c, d
// clockwise and its edges T (a-b), R (b-c), B (c-d), L (d-a); a segment runs from an edge whose
// first corner is in and second out to the next edge, going clockwise, whose first corner is
// out and second in. Where two in corners face each other across a cell (a saddle) they are
// joined: voxels touching at a corner are one piece, and the out corners between them split.
// Every contour thus has the voxels on one side; the contours inside others are holes.

/** The exit edge of a cell's segment by its case (a | b << 1 | c << 2 | d << 3) and entry edge, 255 for none. */
const NEXT: StaticArray<u8> = [
  255, 255, 255, 255, 3, 255, 255, 255, 255, 0, 255, 255, 255, 3, 255, 255,
  255, 255, 1, 255, 1, 255, 3, 255, 255, 255, 0, 255, 255, 255, 3, 255,
  255, 255, 255, 2, 2, 255, 255, 255, 255, 2, 255, 0, 255, 2, 255, 255,
  255, 255, 255, 1, 1, 255, 255, 255, 255, 255, 255, 0, 255, 255, 255, 255,
];

/** An edge's midpoint in doubled coordinates (a centre (x, y) is (2x, 2y)): T, R, B, L of the cell at (x, y). */
@inline function midX(x: i32, e: i32): i32 {
  return 2 * x + (e == 0 || e == 2 ? 1 : e == 1 ? 2 : 0);
}
@inline function midY(y: i32, e: i32): i32 {
  return 2 * y + (e == 1 || e == 3 ? 1 : e == 2 ? 2 : 0);
}

@inline function caseAt(grid: usize, nx: i32, x: i32, y: i32): i32 {
  const top = grid + <usize>y * <usize>nx + <usize>x, bottom = top + <usize>nx;
  return <i32>load<u8>(top) | (<i32>load<u8>(top, 1) << 1) | (<i32>load<u8>(bottom, 1) << 2) | (<i32>load<u8>(bottom) << 3);
}

@inline function sameWay(ax: i32, ay: i32, bx: i32, by: i32): bool {
  return sign(ax) == sign(bx) && sign(ay) == sign(by);
}
@inline function sign(v: i32): i32 {
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

/**
 * The contours of `grid` (`ny` rows of `nx` u8, 0 or 1, its first and last rows and columns
 * 0): each a closed loop of points (i32 x, y pairs in doubled coordinates) written at `points`,
 * a point only where the direction changes; `starts` (u32) gets where each contour begins and,
 * after the last, the end. `used` (a u8 per cell) is scratch. `counts` gets the points and the
 * contours. Room: fewer than 2 nx ny points and nx ny / 2 contours.
 */
export function traceContours(grid: usize, ny: i32, nx: i32, used: usize, points: usize, starts: usize, counts: usize): void {
  const cw = nx - 1, ch = ny - 1;
  memory.fill(used, 0, <usize>max(0, cw) * <usize>max(0, ch));
  let n: u32 = 0, contours: u32 = 0;
  for (let y0 = 0; y0 < ch; y0++) {
    for (let x0 = 0; x0 < cw; x0++) {
      const c0 = caseAt(grid, nx, x0, y0);
      if (c0 == 0 || c0 == 15) continue;
      for (let e0 = 0; e0 < 4; e0++) {
        if (unchecked(NEXT[(c0 << 2) + e0]) == 255 || (load<u8>(used + <usize>y0 * <usize>cw + <usize>x0) & (1 << e0)) != 0) continue;
        store<u32>(starts + (<usize>contours << 2), n);
        const first = n;
        let x = x0, y = y0, e = e0;
        do {
          const cell = used + <usize>y * <usize>cw + <usize>x;
          store<u8>(cell, <u8>(<i32>load<u8>(cell) | (1 << e)));
          const px = midX(x, e), py = midY(y, e);
          // Along the same way as the last step: the last point moves on instead of a new one.
          if (n - first >= 2) {
            const at = points + (<usize>(n - 1) << 3), before = at - 8;
            const lx = load<i32>(at), ly = load<i32>(at, 4);
            if (sameWay(lx - load<i32>(before), ly - load<i32>(before, 4), px - lx, py - ly)) n--;
          }
          store<i32>(points + (<usize>n << 3), px);
          store<i32>(points + (<usize>n << 3), py, 4);
          n++;
          const f = <i32>unchecked(NEXT[(caseAt(grid, nx, x, y) << 2) + e]);
          if (f == 0) y--;
          else if (f == 1) x++;
          else if (f == 2) y++;
          else x--;
          e = (f + 2) & 3;
        } while (x != x0 || y != y0 || e != e0);
        // The loop closed: its last and first points may lie on the straight line through them.
        const fp = points + (<usize>first << 3);
        if (n - first >= 3) {
          const lp = points + (<usize>(n - 1) << 3), bp = lp - 8;
          if (sameWay(load<i32>(lp) - load<i32>(bp), load<i32>(lp, 4) - load<i32>(bp, 4), load<i32>(fp) - load<i32>(lp), load<i32>(fp, 4) - load<i32>(lp, 4))) n--;
        }
        if (n - first >= 3) {
          const lp = points + (<usize>(n - 1) << 3), np = fp + 8;
          if (sameWay(load<i32>(fp) - load<i32>(lp), load<i32>(fp, 4) - load<i32>(lp, 4), load<i32>(np) - load<i32>(fp), load<i32>(np, 4) - load<i32>(fp, 4))) {
            memory.copy(fp, np, <usize>(n - first - 1) << 3);
            n--;
          }
        }
        contours++;
      }
    }
  }
  store<u32>(starts + (<usize>contours << 2), n);
  store<u32>(counts, n);
  store<u32>(counts, contours, 4);
}
