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
  const ids = new KeyIds(surfaces.reduce((n, s) => n + s.keys.length, 0));
  const local = surfaces.map((s) => {
    const id = new Int32Array(s.keys.length);
    for (let v = 0; v < id.length; v++) id[v] = s.keys[v]! < 0 ? -1 : ids.idOf(s.keys[v]!);
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
        const a = start[g]!, b = start[g + 1]!, p = 3 * g;
        if (a === b) {
          next[p] = point[p]!;
          next[p + 1] = point[p + 1]!;
          next[p + 2] = point[p + 2]!;
          continue;
        }
        let sx = 0, sy = 0, sz = 0;
        for (let k = a; k < b; k++) {
          const q = 3 * neighbour[k]!;
          sx += point[q]!;
          sy += point[q + 1]!;
          sz += point[q + 2]!;
        }
        const m = b - a;
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

/** Keys (whole numbers below 2^53) to 0, 1, 2, ... in order of first sight: open addressing over typed arrays. */
class KeyIds {
  size = 0;
  private readonly keys: Float64Array;
  private readonly ids: Int32Array;
  private readonly shift: number;
  constructor(most: number) {
    const bits = Math.max(4, Math.ceil(Math.log2(2 * most + 1)));
    this.keys = new Float64Array(2 ** bits);
    this.ids = new Int32Array(2 ** bits).fill(-1);
    this.shift = 32 - bits;
  }
  idOf(key: number): number {
    const lo = key % 4294967296, hi = (key - lo) / 4294967296, mask = this.ids.length - 1;
    let h = Math.imul((lo ^ Math.imul(hi, 0x85ebca6b)) >>> 0, 0x9e3779b1) >>> this.shift;
    while (this.ids[h] !== -1) {
      if (this.keys[h] === key) return this.ids[h]!;
      h = (h + 1) & mask;
    }
    this.keys[h] = key;
    this.ids[h] = this.size;
    return this.size++;
  }
}

/**
 * Each point's neighbours (CSR), each once: the other ends of the triangles' edges from it
 * (a closed surface has each edge once each way), over every surface; a pinched edge's middle
 * stands for the edge between its two ends.
 */
function neighbours(surfaces: readonly RawSurface[], local: readonly Int32Array[], n: number): { start: Uint32Array; neighbour: Uint32Array } {
  const edges = (visit: (a: number, b: number) => void) =>
    surfaces.forEach((s, i) => {
      const id = local[i]!, t = s.indices;
      for (let k = 0; k < t.length; k += 3) {
        for (let e = 0; e < 3; e++) {
          const a = id[t[k + e]!]!, b = id[t[k + ((e + 1) % 3)]!]!;
          if (a >= 0 && b >= 0) visit(a, b);
        }
      }
      for (let k = 0; k < s.mids.length; k += 3) {
        const a = id[s.mids[k + 1]!]!, b = id[s.mids[k + 2]!]!;
        visit(a, b);
        visit(b, a);
      }
    });
  const start = new Uint32Array(n + 1);
  edges((a) => start[a + 1]!++);
  for (let g = 0; g < n; g++) start[g + 1]! += start[g]!;
  const neighbour = new Uint32Array(start[n]!), fill = start.slice(0, n);
  edges((a, b) => {
    // Touching surfaces both hold their common edges: each neighbour once.
    for (let k = start[a]!; k < fill[a]!; k++) if (neighbour[k] === b) return;
    neighbour[fill[a]!++] = b;
  });
  // Close the gaps the duplicates left.
  let to = 0;
  const compact = new Uint32Array(n + 1);
  for (let g = 0; g < n; g++) {
    compact[g] = to;
    for (let k = start[g]!; k < fill[g]!; k++) neighbour[to++] = neighbour[k]!;
  }
  compact[n] = to;
  return { start: compact, neighbour: neighbour.subarray(0, to) };
}
