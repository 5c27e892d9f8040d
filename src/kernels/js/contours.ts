// Closed planar contours filled into a slice by the even-odd rule, in plain TypeScript: the
// same steps as assembly/contours.ts, so both backends fill the same voxels.

/** `ContourKernels.fillContours` (see assembly/contours.ts). */
export function fillContours(points: Float64Array, starts: Uint32Array, ny: number, nx: number, out: Uint8Array): void {
  for (let c = 0; c + 1 < starts.length; c++) if (starts[c + 1]! - starts[c]! >= 3) fillContour(points.subarray(2 * starts[c]!, 2 * starts[c + 1]!), ny, nx, out);
}

function fillContour(points: Float64Array, ny: number, nx: number, out: Uint8Array): void {
  const n = points.length / 2;
  const rowStart = new Uint32Array(ny + 1);
  const span = (y0: number, y1: number): [number, number] => {
    const lo = Math.min(y0, y1), hi = Math.max(y0, y1);
    return [Math.max(0, Math.ceil(lo)), Math.min(ny - 1, Math.ceil(hi) - 1)];
  };
  for (let e = 0; e < n; e++) {
    const f = e + 1 === n ? 0 : e + 1, y0 = points[2 * e + 1]!, y1 = points[2 * f + 1]!;
    if (y0 === y1) continue;
    const [j0, j1] = span(y0, y1);
    for (let j = j0; j <= j1; j++) rowStart[j + 1]!++;
  }
  for (let j = 0; j < ny; j++) rowStart[j + 1]! += rowStart[j]!;
  const crossings = new Float64Array(rowStart[ny]!);
  for (let e = 0; e < n; e++) {
    const f = e + 1 === n ? 0 : e + 1;
    const x0 = points[2 * e]!, y0 = points[2 * e + 1]!, x1 = points[2 * f]!, y1 = points[2 * f + 1]!;
    if (y0 === y1) continue;
    const [j0, j1] = span(y0, y1);
    for (let j = j0; j <= j1; j++) crossings[rowStart[j]!++] = x0 + ((j - y0) * (x1 - x0)) / (y1 - y0);
  }
  let begin = 0;
  for (let j = 0; j < ny; j++) {
    const end = rowStart[j]!;
    for (let a = begin + 1; a < end; a++) {
      const v = crossings[a]!;
      let b = a;
      while (b > begin && crossings[b - 1]! > v) {
        crossings[b] = crossings[b - 1]!;
        b--;
      }
      crossings[b] = v;
    }
    for (let a = begin; a + 1 < end; a += 2) {
      const i0 = Math.max(0, Math.ceil(crossings[a]!)), i1 = Math.min(nx - 1, Math.ceil(crossings[a + 1]!) - 1);
      for (let i = i0; i <= i1; i++) out[j * nx + i]! ^= 1;
    }
    begin = end;
  }
}

// Tracing (see assembly/contours.ts): marching squares through the midpoints between voxels
// in and out, saddles joined, a point only where the direction changes.

/** The exit edge of a cell's segment by its case and entry edge (T, R, B, L), 255 for none. */
const NEXT = Uint8Array.of(
  255, 255, 255, 255, 3, 255, 255, 255, 255, 0, 255, 255, 255, 3, 255, 255,
  255, 255, 1, 255, 1, 255, 3, 255, 255, 255, 0, 255, 255, 255, 3, 255,
  255, 255, 255, 2, 2, 255, 255, 255, 255, 2, 255, 0, 255, 2, 255, 255,
  255, 255, 255, 1, 1, 255, 255, 255, 255, 255, 255, 0, 255, 255, 255, 255,
);
/** Each edge's midpoint from the cell's top-left centre, doubled; and the step across it. */
const MID_X = [1, 2, 1, 0], MID_Y = [0, 1, 2, 1], STEP_X = [0, 1, 0, -1], STEP_Y = [-1, 0, 1, 0];

const sameWay = (ax: number, ay: number, bx: number, by: number): boolean => Math.sign(ax) === Math.sign(bx) && Math.sign(ay) === Math.sign(by);

/** `ContourKernels.traceContours` (see assembly/contours.ts). */
export function traceContours(grid: Uint8Array, ny: number, nx: number): { points: Int32Array; starts: Uint32Array } {
  const cw = nx - 1, ch = ny - 1;
  const used = new Uint8Array(Math.max(0, cw) * Math.max(0, ch));
  const caseAt = (x: number, y: number): number => {
    const t = y * nx + x, b = t + nx;
    return grid[t]! | (grid[t + 1]! << 1) | (grid[b + 1]! << 2) | (grid[b]! << 3);
  };
  const points: number[] = [], starts: number[] = [];
  for (let y0 = 0; y0 < ch; y0++)
    for (let x0 = 0; x0 < cw; x0++) {
      const c0 = caseAt(x0, y0);
      if (c0 === 0 || c0 === 15) continue;
      for (let e0 = 0; e0 < 4; e0++) {
        if (NEXT[(c0 << 2) + e0] === 255 || (used[y0 * cw + x0]! & (1 << e0)) !== 0) continue;
        const first = points.length;
        starts.push(first / 2);
        let x = x0, y = y0, e = e0;
        do {
          used[y * cw + x]! |= 1 << e;
          const px = 2 * x + MID_X[e]!, py = 2 * y + MID_Y[e]!;
          const n = points.length;
          if (n - first >= 4 && sameWay(points[n - 2]! - points[n - 4]!, points[n - 1]! - points[n - 3]!, px - points[n - 2]!, py - points[n - 1]!)) points.length -= 2;
          points.push(px, py);
          const f = NEXT[(caseAt(x, y) << 2) + e]!;
          x += STEP_X[f]!;
          y += STEP_Y[f]!;
          e = (f + 2) & 3;
        } while (x !== x0 || y !== y0 || e !== e0);
        // The loop closed: its last and first points may lie on the straight line through them.
        const last = (): number => points.length - 2;
        if (points.length - first >= 6 && sameWay(points[last()]! - points[last() - 2]!, points[last() + 1]! - points[last() - 1]!, points[first]! - points[last()]!, points[first + 1]! - points[last() + 1]!)) points.length -= 2;
        if (points.length - first >= 6 && sameWay(points[first]! - points[last()]!, points[first + 1]! - points[last() + 1]!, points[first + 2]! - points[first]!, points[first + 3]! - points[first + 1]!)) points.splice(first, 2);
      }
    }
  starts.push(points.length / 2);
  return { points: Int32Array.from(points), starts: Uint32Array.from(starts) };
}
