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
