// Surfaces and exact Euclidean distance transforms in plain TypeScript: the same algorithm
// as assembly/distance.ts (Felzenszwalb & Huttenlocher 2012, separable lower envelopes of
// parabolas), operation for operation in float64, so both backends give the same bits.
import { searchTable, type SearchTable } from "../distance-search.js";
import type { LabelArray } from "../../bitdepth.js";
import type { Box6, Dims } from "../types.js";

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
  if (ny > 1) for (let z = 0; z < nz; z++) pass(dist, z * plane, nx, nx, ny, sy, lines);
  if (nz > 1) pass(dist, 0, plane, plane, nz, sz, lines);
}

/**
 * One pass of the transform over `count` lines of `n` points, line t starting at first + t,
 * its points `stride` apart, spacing `w`: each line gathered, transformed, and put back
 * (lines all at Infinity are left as they are).
 */
function pass(dist: Float64Array, first: number, count: number, stride: number, n: number, w: number, lines: Lines): void {
  const { line } = lines;
  for (let t = first; t < first + count; t++) {
    let finite = false;
    for (let q = 0; q < n; q++) {
      const value = dist[t + q * stride]!;
      line[q] = value;
      if (value !== Infinity) finite = true;
    }
    if (!finite) continue;
    envelope(n, w, lines);
    for (let q = 0; q < n; q++) dist[t + q * stride] = line[q]!;
  }
}

/** The distances (mm) at the marked voxels, in index order, where `out` holds NaN: square roots of `squared` there. */
export function fillDistances(marks: Uint8Array, squared: Float64Array, out: Float64Array): void {
  let j = 0;
  for (let i = 0; i < marks.length; i++) {
    if (marks[i] === 0) continue;
    if (Number.isNaN(out[j]!)) out[j] = Math.sqrt(squared[i]!);
    j++;
  }
}

/** The local search (see assembly/distance.ts nearestWithin); how many it left NaN. */
export function nearestWithin(marks: Uint8Array, features: Uint8Array, [nz, ny, nx]: Dims, { steps, squared, reach }: SearchTable, out: Float64Array): number {
  const plane = ny * nx;
  const count = squared.length;
  let j = 0;
  let left = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++) {
        if (marks[z * plane + y * nx + x] === 0) continue;
        let best = Infinity;
        for (let k = 0; k < count; k++) {
          const zz = z + steps[3 * k]!, yy = y + steps[3 * k + 1]!, xx = x + steps[3 * k + 2]!;
          if (zz < 0 || zz >= nz || yy < 0 || yy >= ny || xx < 0 || xx >= nx) continue;
          if (features[zz * plane + yy * nx + xx] === 0) continue;
          best = squared[k]!;
          break;
        }
        if (best <= reach) out[j] = Math.sqrt(best);
        else {
          out[j] = NaN;
          left++;
        }
        j++;
      }
    }
  }
  return left;
}

/** Directed surface distances both ways (see Kernels.surfaceDistances). */
export function surfaceDistances(a: Uint8Array, b: Uint8Array, dims: Dims, spacing: readonly [number, number, number]): { ab: Float64Array; ba: Float64Array } {
  const n = a.length;
  const surfaceA = new Uint8Array(n), surfaceB = new Uint8Array(n);
  const ab = new Float64Array(surfaceOf(a, surfaceA, dims)), ba = new Float64Array(surfaceOf(b, surfaceB, dims));
  let dist: Float64Array | null = null;
  const table = searchTable(spacing);
  // Locally first; the transform only for what the search could not settle.
  for (const [marks, features, out] of [[surfaceA, surfaceB, ab], [surfaceB, surfaceA, ba]] as const) {
    if (nearestWithin(marks, features, dims, table, out) === 0) continue;
    dist ??= new Float64Array(n);
    edtSquared(features, dist, dims, spacing);
    fillDistances(marks, dist, out);
  }
  return { ab, ba };
}

/** `Kernels.cropLabel`: the box's rows, each compared with `label`, x fastest. */
export function cropLabel(data: LabelArray, label: number, [, ny, nx]: Dims, [z0, y0, x0, z1, y1, x1]: Box6, out: Uint8Array): Uint8Array {
  let j = 0;
  for (let z = z0; z <= z1; z++) {
    for (let y = y0; y <= y1; y++) {
      const row = (z * ny + y) * nx;
      for (let x = row + x0, end = row + x1; x <= end; x++) out[j++] = data[x] === label ? 1 : 0;
    }
  }
  return out;
}
