// Surfaces and exact Euclidean distance transforms in plain TypeScript: the same algorithm
// as assembly/distance.ts (Felzenszwalb & Huttenlocher 2012, separable lower envelopes of
// parabolas), operation for operation in float64, so both backends give the same bits.
import type { Dims } from "../types.js";

/** Marks the voxels of `src` with a 6-neighbour outside it (the edge counts); how many. */
export function surfaceOf(src: Uint8Array, out: Uint8Array, [nz, ny, nx]: Dims): number {
  const plane = ny * nx;
  let count = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      const row = z * plane + y * nx;
      for (let x = 0; x < nx; x++) {
        const i = row + x;
        let edge = 0;
        if (src[i] !== 0) {
          if (x === 0 || x + 1 === nx || y === 0 || y + 1 === ny || z === 0 || z + 1 === nz) edge = 1;
          else if (src[i - 1] === 0 || src[i + 1] === 0 || src[i - nx] === 0 || src[i + nx] === 0 || src[i - plane] === 0 || src[i + plane] === 0) edge = 1;
        }
        out[i] = edge;
        count += edge;
      }
    }
  }
  return count;
}

/** Scratch for `envelope`: lines of the longest axis. */
interface Lines {
  line: Float64Array;
  out: Float64Array;
  zs: Float64Array;
  v: Int32Array;
}

/** One line of the transform in place (see assembly/distance.ts). */
function envelope(n: number, w: number, { line, out, zs, v }: Lines): void {
  let k = -1;
  for (let q = 0; q < n; q++) {
    const fq = line[q]!;
    if (fq === Infinity) continue;
    const xq = q * w;
    let s = -Infinity;
    while (k >= 0) {
      const p = v[k]!;
      const xp = p * w;
      s = (fq + xq * xq - (line[p]! + xp * xp)) / (2.0 * (xq - xp));
      if (s > zs[k]!) break;
      k--;
    }
    k++;
    v[k] = q;
    zs[k] = k === 0 ? -Infinity : s;
  }
  if (k < 0) return;
  const last = k;
  k = 0;
  for (let q = 0; q < n; q++) {
    const xq = q * w;
    while (k < last && zs[k + 1]! < xq) k++;
    const p = v[k]!;
    const d = xq - p * w;
    out[q] = d * d + line[p]!;
  }
  line.set(out.subarray(0, n));
}

/**
 * Squared distances (mm^2) from every voxel to the nearest non-zero voxel of `features`, into
 * `dist` (Infinity everywhere when there is none); spacing (z, y, x) in mm.
 */
export function edtSquared(features: Uint8Array, dist: Float64Array, [nz, ny, nx]: Dims, [sz, sy, sx]: readonly [number, number, number]): void {
  const plane = ny * nx;
  const longest = Math.max(nz, ny, nx) + 2;
  const lines: Lines = { line: new Float64Array(longest), out: new Float64Array(longest), zs: new Float64Array(longest), v: new Int32Array(longest) };
  for (let r = 0; r < nz * ny; r++) {
    const row = r * nx;
    let last = -1;
    for (let x = 0; x < nx; x++) {
      const i = row + x;
      if (features[i] !== 0) last = x;
      const d = last < 0 ? Infinity : (x - last) * sx;
      dist[i] = last < 0 ? Infinity : d * d;
    }
    last = -1;
    for (let x = nx - 1; x >= 0; x--) {
      const i = row + x;
      if (features[i] !== 0) last = x;
      if (last >= 0) {
        const d = (last - x) * sx;
        if (d * d < dist[i]!) dist[i] = d * d;
      }
    }
  }
  const { line } = lines;
  if (ny > 1) {
    for (let z = 0; z < nz; z++) {
      for (let x = 0; x < nx; x++) {
        const base = z * plane + x;
        let finite = false;
        for (let y = 0; y < ny; y++) {
          const value = dist[base + y * nx]!;
          line[y] = value;
          if (value !== Infinity) finite = true;
        }
        if (!finite) continue;
        envelope(ny, sy, lines);
        for (let y = 0; y < ny; y++) dist[base + y * nx] = line[y]!;
      }
    }
  }
  if (nz > 1) {
    for (let i = 0; i < plane; i++) {
      let finite = false;
      for (let z = 0; z < nz; z++) {
        const value = dist[i + z * plane]!;
        line[z] = value;
        if (value !== Infinity) finite = true;
      }
      if (!finite) continue;
      envelope(nz, sz, lines);
      for (let z = 0; z < nz; z++) dist[i + z * plane] = line[z]!;
    }
  }
}

/** The distances (mm) at the marked voxels, in index order: square roots of `squared` there. */
export function gatherDistances(marks: Uint8Array, squared: Float64Array, out: Float64Array): number {
  let count = 0;
  for (let i = 0; i < marks.length; i++) if (marks[i] !== 0) out[count++] = Math.sqrt(squared[i]!);
  return count;
}

/** Directed surface distances both ways (see Kernels.surfaceDistances). */
export function surfaceDistances(a: Uint8Array, b: Uint8Array, dims: Dims, spacing: readonly [number, number, number]): { ab: Float64Array; ba: Float64Array } {
  const n = a.length;
  const surfaceA = new Uint8Array(n), surfaceB = new Uint8Array(n);
  const countA = surfaceOf(a, surfaceA, dims), countB = surfaceOf(b, surfaceB, dims);
  const dist = new Float64Array(n);
  const ab = new Float64Array(countA), ba = new Float64Array(countB);
  edtSquared(surfaceB, dist, dims, spacing);
  gatherDistances(surfaceA, dist, ab);
  edtSquared(surfaceA, dist, dims, spacing);
  gatherDistances(surfaceB, dist, ba);
  return { ab, ba };
}
