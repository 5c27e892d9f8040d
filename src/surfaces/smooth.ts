// Smoothing every surface of a call together (Taubin's lambda|mu filter, 1995): each
// iteration moves every vertex toward the mean of its neighbours by lambda, then away from it
// by mu, which removes the staircase of the voxels without the shrinking of a plain Laplacian
// (the low frequencies, the organ's shape and volume, pass). Surfaces of touching labels share
// vertices (the kernel's keys below -1); a shared vertex sums its neighbours over every
// surface that holds it, so it moves the same way in each and touching organs stay without
// gaps. A vertex at the middle of a pinched edge stays at the middle of its edge.
import type { RawSurface } from "../kernels/surfaces.js";

/** Taubin's pass band, the usual choice (k_PB = 1/lambda + 1/mu ~ 0.1). */
const LAMBDA = 0.5, MU = -0.53;

/**
 * `iterations` rounds of Taubin smoothing over `surfaces` (positions in world mm, as a
 * Float64Array per surface, changed in place), joined where they share vertices.
 */
export function smoothSurfaces(surfaces: readonly RawSurface[], positions: Float64Array[], iterations: number): void {
  if (iterations <= 0) return;
  const groups = sharedVertices(surfaces);
  const rings = surfaces.map((s) => neighbourRings(s.indices, s.keys.length));
  const sums = surfaces.map((s) => new Float64Array(s.positions.length)), counts = surfaces.map((s) => new Uint32Array(s.keys.length));
  for (let it = 0; it < 2 * iterations; it++) {
    const f = it % 2 === 0 ? LAMBDA : MU;
    surfaces.forEach((_, i) => neighbourSums(rings[i]!, positions[i]!, sums[i]!, counts[i]!));
    // A shared vertex: its neighbours over every surface that holds it (common edges twice).
    const { members, start } = groups;
    for (let g = 0; g + 1 < start.length; g++) {
      let x = 0, y = 0, z = 0, n = 0;
      for (let k = start[g]!; k < start[g + 1]!; k++) {
        const sum = sums[members[2 * k]!]!, v = members[2 * k + 1]!;
        x += sum[3 * v]!;
        y += sum[3 * v + 1]!;
        z += sum[3 * v + 2]!;
        n += counts[members[2 * k]!]![v]!;
      }
      for (let k = start[g]!; k < start[g + 1]!; k++) {
        const sum = sums[members[2 * k]!]!, v = members[2 * k + 1]!;
        sum[3 * v] = x;
        sum[3 * v + 1] = y;
        sum[3 * v + 2] = z;
        counts[members[2 * k]!]![v] = n;
      }
    }
    surfaces.forEach((s, i) => {
      const p = positions[i]!, sum = sums[i]!, count = counts[i]!;
      for (let v = 0; v < count.length; v++) {
        const n = count[v]!;
        if (n === 0) continue;
        for (let c = 3 * v; c < 3 * v + 3; c++) p[c] = p[c]! + f * (sum[c]! / n - p[c]!);
      }
      for (let k = 0; k < s.mids.length; k += 3) {
        const m = 3 * s.mids[k]!, a = 3 * s.mids[k + 1]!, b = 3 * s.mids[k + 2]!;
        for (let c = 0; c < 3; c++) p[m + c] = (p[a + c]! + p[b + c]!) / 2;
      }
    });
  }
}

/** A surface's neighbours per vertex (CSR): on a closed surface each edge runs once each way, so the ends of the edges from a vertex are its neighbours, each once. */
function neighbourRings(indices: Uint32Array, vertices: number): { start: Uint32Array; neighbour: Uint32Array } {
  const start = new Uint32Array(vertices + 1);
  for (let k = 0; k < indices.length; k++) start[indices[k]! + 1]!++;
  for (let v = 0; v < vertices; v++) start[v + 1]! += start[v]!;
  const fill = start.slice(0, vertices), neighbour = new Uint32Array(indices.length);
  for (let t = 0; t < indices.length; t += 3) {
    const a = indices[t]!, b = indices[t + 1]!, c = indices[t + 2]!;
    neighbour[fill[a]!++] = b;
    neighbour[fill[b]!++] = c;
    neighbour[fill[c]!++] = a;
  }
  return { start, neighbour };
}

/** Per vertex, the sum of its neighbours' positions, and how many. */
function neighbourSums({ start, neighbour }: { start: Uint32Array; neighbour: Uint32Array }, p: Float64Array, sum: Float64Array, count: Uint32Array): void {
  for (let v = 0; v < count.length; v++) {
    let x = 0, y = 0, z = 0;
    const a = start[v]!, b = start[v + 1]!;
    for (let k = a; k < b; k++) {
      const q = 3 * neighbour[k]!;
      x += p[q]!;
      y += p[q + 1]!;
      z += p[q + 2]!;
    }
    sum[3 * v] = x;
    sum[3 * v + 1] = y;
    sum[3 * v + 2] = z;
    count[v] = b - a;
  }
}

/**
 * The points two or more surfaces share (the same key below -1): (surface, vertex) pairs,
 * grouped by point (`start` indexing `members` pairs), found by sorting the keys.
 */
function sharedVertices(surfaces: readonly RawSurface[]): { members: Int32Array; start: Uint32Array } {
  let n = 0;
  for (const s of surfaces) for (let v = 0; v < s.keys.length; v++) if (s.keys[v]! < -1) n++;
  const keys = new Float64Array(n), who = new Int32Array(2 * n);
  let k = 0;
  surfaces.forEach((s, i) => {
    for (let v = 0; v < s.keys.length; v++) {
      if (s.keys[v]! >= -1) continue;
      keys[k] = s.keys[v]!;
      who[2 * k] = i;
      who[2 * k + 1] = v;
      k++;
    }
  });
  const order = Uint32Array.from({ length: n }, (_, j) => j).sort((a, b) => keys[a]! - keys[b]!);
  const members: number[] = [], start: number[] = [0];
  for (let j = 0; j < n; ) {
    let e = j + 1;
    while (e < n && keys[order[e]!] === keys[order[j]!]) e++;
    if (e - j > 1) {
      for (let q = j; q < e; q++) members.push(who[2 * order[q]!]!, who[2 * order[q]! + 1]!);
      start.push(members.length / 2);
    }
    j = e;
  }
  return { members: Int32Array.from(members), start: Uint32Array.from(start) };
}
