// Smoothing every surface of a call together (Taubin's lambda|mu filter, 1995): each
// iteration moves every vertex toward the mean of its neighbours by lambda, then away from it
// by mu, which removes the staircase of the voxels without the shrinking of a plain Laplacian
// (the low frequencies, the organ's shape and volume, pass). Surfaces of touching labels share
// their vertices (the kernel's keys), and a shared vertex is one point here, moved once with
// the neighbours of both surfaces, so touching organs stay without gaps. A vertex at the middle
// of a pinched edge stays at the middle of its edge.
import type { RawSurface } from "../kernels/surfaces.js";

/** Taubin's pass band, the usual choice (k_PB = 1/lambda + 1/mu ~ 0.1). */
const LAMBDA = 0.5, MU = -0.53;

/**
 * `iterations` rounds of Taubin smoothing over `surfaces` (positions in world mm, as
 * Float64Array per surface, changed in place), joined by their vertices' keys.
 */
export function smoothSurfaces(surfaces: readonly RawSurface[], positions: Float64Array[], iterations: number): void {
  if (iterations <= 0) return;
  // One point per key (or per vertex without one: a pinched edge's middle, left to its ends).
  const ids = new Map<number, number>();
  const local = surfaces.map((s) => {
    const id = new Int32Array(s.keys.length);
    for (let v = 0; v < id.length; v++) {
      const key = s.keys[v]!;
      if (key < 0) {
        id[v] = -1;
        continue;
      }
      let g = ids.get(key);
      if (g === undefined) ids.set(key, (g = ids.size));
      id[v] = g;
    }
    return id;
  });
  const n = ids.size;
  const point = new Float64Array(3 * n);
  surfaces.forEach((_, i) => {
    const id = local[i]!, p = positions[i]!;
    for (let v = 0; v < id.length; v++) if (id[v]! >= 0) point.set(p.subarray(3 * v, 3 * v + 3), 3 * id[v]!);
  });
  const { start, neighbour } = neighbours(surfaces, local, n);
  const next = new Float64Array(3 * n);
  for (let it = 0; it < iterations; it++) {
    for (const f of [LAMBDA, MU]) {
      for (let g = 0; g < n; g++) {
        const a = start[g]!, b = start[g + 1]!;
        if (a === b) {
          next.set(point.subarray(3 * g, 3 * g + 3), 3 * g);
          continue;
        }
        let sx = 0, sy = 0, sz = 0;
        for (let k = a; k < b; k++) {
          const q = 3 * neighbour[k]!;
          sx += point[q]!;
          sy += point[q + 1]!;
          sz += point[q + 2]!;
        }
        const m = b - a, p = 3 * g;
        next[p] = point[p]! + f * (sx / m - point[p]!);
        next[p + 1] = point[p + 1]! + f * (sy / m - point[p + 1]!);
        next[p + 2] = point[p + 2]! + f * (sz / m - point[p + 2]!);
      }
      point.set(next);
    }
  }
  surfaces.forEach((s, i) => {
    const id = local[i]!, p = positions[i]!;
    for (let v = 0; v < id.length; v++) if (id[v]! >= 0) p.set(point.subarray(3 * id[v]!, 3 * id[v]! + 3), 3 * v);
    for (let k = 0; k < s.mids.length; k += 3) {
      const m = 3 * s.mids[k]!, a = 3 * s.mids[k + 1]!, b = 3 * s.mids[k + 2]!;
      for (let c = 0; c < 3; c++) p[m + c] = (p[a + c]! + p[b + c]!) / 2;
    }
  });
}

/** Each point's neighbours (CSR), from every surface's triangle edges, each edge once; a pinched edge's middle stands for its two ends. */
function neighbours(surfaces: readonly RawSurface[], local: readonly Int32Array[], n: number): { start: Uint32Array; neighbour: Uint32Array } {
  const pairs: number[] = [];
  surfaces.forEach((s, i) => {
    const id = local[i]!;
    for (let t = 0; t < s.indices.length; t += 3) {
      for (let e = 0; e < 3; e++) {
        const a = id[s.indices[t + e]!]!, b = id[s.indices[t + ((e + 1) % 3)]!]!;
        if (a >= 0 && b >= 0 && a !== b) pairs.push(Math.min(a, b) * n + Math.max(a, b));
      }
    }
    for (let k = 0; k < s.mids.length; k += 3) {
      const a = id[s.mids[k + 1]!]!, b = id[s.mids[k + 2]!]!;
      if (a !== b) pairs.push(Math.min(a, b) * n + Math.max(a, b));
    }
  });
  const sorted = Float64Array.from(pairs).sort();
  const count = new Uint32Array(n + 1);
  let unique = 0;
  for (let k = 0; k < sorted.length; k++) {
    if (k > 0 && sorted[k] === sorted[k - 1]) continue;
    sorted[unique++] = sorted[k]!;
    const a = Math.floor(sorted[k]! / n), b = sorted[k]! - a * n;
    count[a + 1]!++;
    count[b + 1]!++;
  }
  for (let g = 0; g < n; g++) count[g + 1]! += count[g]!;
  const start = count.slice(), fill = count.slice(0, n), neighbour = new Uint32Array(2 * unique);
  for (let k = 0; k < unique; k++) {
    const a = Math.floor(sorted[k]! / n), b = sorted[k]! - a * n;
    neighbour[fill[a]!++] = b;
    neighbour[fill[b]!++] = a;
  }
  return { start, neighbour };
}
