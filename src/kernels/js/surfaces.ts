// The surface of one label in plain TypeScript: the same steps, in the same order, as
// assembly/surfaces.ts, so both backends make the same vertices and triangles.
import type { LabelArray } from "../../bitdepth.js";
import { NO_SHEET, faceBetween, type SurfaceTables } from "../surface-tables.js";
import type { Box6, Dims, RawSurface } from "../types.js";

/** Growable typed arrays, doubled when full. */
class Grow<A extends Float32Array | Float64Array | Uint32Array> {
  n = 0;
  constructor(public a: A, private readonly make: (n: number) => A) {}
  push(v: number): void {
    if (this.n === this.a.length) {
      const grown = this.make(this.a.length * 2);
      grown.set(this.a);
      this.a = grown;
    }
    this.a[this.n++] = v;
  }
  done(): A {
    return this.a.slice(0, this.n) as A;
  }
}

/**
 * `SurfaceKernels.surface` (see assembly/surfaces.ts): the surface of `label`, whose voxels
 * lie in `box` (z0, y0, x0, z1, y1, x1 inclusive) and whose runs along x are `runs` (4
 * numbers each, rowStart indexing them by row z * ny + y).
 */
export function surface(data: LabelArray, [nz, ny, nx]: Dims, label: number, [z0, y0, x0, z1, y1, x1]: Box6, runs: Uint32Array, rowStart: Uint32Array, t: SurfaceTables, withKeys = true): RawSurface {
  const W = x1 - x0 + 2, H = y1 - y0 + 2;
  let basePrev = new Int32Array(W * H), baseCur = new Int32Array(W * H);
  let codePrev = new Uint8Array(W * H), codeCur = new Uint8Array(W * H);
  let midXPrev = new Int32Array(W * H), midXCur = new Int32Array(W * H);
  let midYPrev = new Int32Array(W * H), midYCur = new Int32Array(W * H);
  const midZ = new Int32Array(W * H);
  let mixed = new Int32Array(256), nMixed = 0;
  const positions = new Grow(new Float32Array(3 * 1024), (n) => new Float32Array(n));
  const keys = new Grow(new Float64Array(1024), (n) => new Float64Array(n));
  const tris = new Grow(new Uint32Array(3 * 1024), (n) => new Uint32Array(n));
  const mids = new Grow(new Uint32Array(3 * 64), (n) => new Uint32Array(n));
  let nV = 0;
  const v = new Uint32Array(8), parent = new Int32Array(12), first = new Int32Array(4), number = new Int32Array(12);

  const at = (x: number, y: number, z: number): number => (x < 0 || y < 0 || z < 0 || x >= nx || y >= ny || z >= nz ? 0 : data[(z * ny + y) * nx + x]!);
  const find = (f: number): number => {
    while (parent[f] !== f) f = parent[f] = parent[parent[f]!]!;
    return f;
  };
  const addVertex = (x: number, y: number, z: number, key: number): void => {
    positions.push(x);
    positions.push(y);
    positions.push(z);
    if (withKeys) keys.push(key);
    nV++;
  };

  /** The corner's configuration; its sheets' vertices added from `nV` when it is on the surface. */
  const corner = (cx: number, cy: number, cz: number): number => {
    let m = 0, others = false;
    for (let b = 0; b < 8; b++) {
      const value = at(cx - 1 + (b & 1), cy - 1 + ((b >> 1) & 1), cz - 1 + (b >> 2));
      v[b] = value;
      if (value === label) m |= 1 << b;
      else if (value !== 0) others = true;
    }
    if (m === 0 || m === 255) return m;
    const count = t.counts[m]!, key = ((cz * (ny + 1) + cy) * (nx + 1) + cx) * 4;
    const px = cx - 0.5, py = cy - 0.5, pz = cz - 0.5;
    if (!others) {
      for (let s = 0; s < count; s++) {
        const o = (m * 4 + s) * 3;
        addVertex(px + t.offsets[o]!, py + t.offsets[o + 1]!, pz + t.offsets[o + 2]!, key + s);
      }
      return m;
    }
    // Other labels around the corner: each sheet's vertex is the mean of the faces of every
    // label's sheets it joins, so every label meeting here puts its vertex at the same place
    // (and its key, negative: a vertex other surfaces may share).
    for (let f = 0; f < 12; f++) {
      parent[f] = f;
      number[f] = -1;
    }
    let boundary = 0;
    for (let b = 0; b < 8; b++) {
      const k = v[b]!;
      let seen = k === 0;
      for (let e = 0; e < b && !seen; e++) seen = v[e] === k;
      if (seen) continue;
      let mk = 0;
      for (let e = 0; e < 8; e++) if (v[e] === k) mk |= 1 << e;
      first.fill(-1);
      for (let f = 0; f < 12; f++) {
        const s = t.sheets[mk * 12 + f]!;
        if (s === NO_SHEET) continue;
        boundary |= 1 << f;
        if (first[s]! < 0) first[s] = f;
        else parent[find(f)] = find(first[s]!);
      }
    }
    let g = 0;
    for (let f = 0; f < 12; f++) if ((boundary >> f) & 1 && number[find(f)]! < 0) number[find(f)] = g++;
    for (let s = 0; s < count; s++) {
      let f0 = 0;
      while (t.sheets[m * 12 + f0] !== s) f0++;
      const root = find(f0);
      let n = 0, sx = 0, sy = 0, sz = 0;
      for (let f = 0; f < 12; f++) {
        if (!((boundary >> f) & 1) || find(f) !== root) continue;
        n++;
        sx += t.faceOffsets[3 * f]!;
        sy += t.faceOffsets[3 * f + 1]!;
        sz += t.faceOffsets[3 * f + 2]!;
      }
      addVertex(px + sx / n, py + sy / n, pz + sz / n, -2 - (key + number[root]!));
    }
    return m;
  };

  /** The vertex of corner (cx, cy) of the slice (`cur` or the one before) on face `f`. */
  const vertexAt = (cur: boolean, cx: number, cy: number, f: number): number => {
    const i = (cy - y0) * W + (cx - x0);
    return (cur ? baseCur : basePrev)[i]! + t.sheets[(cur ? codeCur : codePrev)[i]! * 12 + f]!;
  };

  /** Two vertices at the middle of the pinched edge from corner c along `axis` (0 x, 1 y: in slice cz; 2: from slice cz - 1 into cz). */
  const addMidpoints = (cx: number, cy: number, axis: number, m: number): number => {
    const base = nV;
    // From the lower corner's block the edge's voxels have bit `axis` set.
    const side = 1, offset = (m >> t.cycle[(axis * 2 + side) * 4]!) & 1 ? 0 : 1;
    const [ux, uy] = axis === 0 ? [1, 0] : axis === 1 ? [0, 1] : [0, 0];
    for (let r = 0; r < 2; r++) {
      const i = offset + 2 * r;
      const b1 = t.cycle[(axis * 2 + side) * 4 + i]!, b2 = t.cycle[(axis * 2 + side) * 4 + ((i + 1) & 3)]!;
      const clear = ~(1 << axis);
      const va = axis === 2 ? vertexAt(false, cx, cy, faceBetween(b1, b2)) : vertexAt(true, cx, cy, faceBetween(b1, b2));
      const vb = axis === 2 ? vertexAt(true, cx, cy, faceBetween(b1 & clear, b2 & clear)) : vertexAt(true, cx + ux, cy + uy, faceBetween(b1 & clear, b2 & clear));
      const p = positions.a;
      addVertex((p[3 * va]! + p[3 * vb]!) / 2, (p[3 * va + 1]! + p[3 * vb + 1]!) / 2, (p[3 * va + 2]! + p[3 * vb + 2]!) / 2, -1);
      mids.push(base + r);
      mids.push(va);
      mids.push(vb);
    }
    return base;
  };

  const poly = new Int32Array(8);
  /**
   * The face on side `side` (+1, -1) of the label's voxel p along `d`, as triangles facing out
   * of the label, with the midpoints of its pinched edges.
   */
  const face = (px: number, py: number, pz: number, d: number, side: number, cz: number): void => {
    const a1 = (d + 1) % 3, a2 = (d + 2) % 3, p = [px, py, pz], c = [0, 0, 0];
    let k = 0, firstMid = -1;
    for (let q = 0; q < 4; q++) {
      // Corners in turn, counter-clockwise seen from outside.
      const j = side > 0 ? q : (4 - q) & 3, jn = side > 0 ? (q + 1) & 3 : (3 - q) & 3;
      const o1 = (j + 1) >> 1 === 1 ? 1 : 0, o2 = j >> 1, n1 = (jn + 1) >> 1 === 1 ? 1 : 0, n2 = jn >> 1;
      c[d] = p[d]! + (side > 0 ? 1 : 0);
      c[a1] = p[a1]! + o1;
      c[a2] = p[a2]! + o2;
      poly[k++] = vertexAt(c[2] === cz, c[0]!, c[1]!, d * 4 + (1 - o1) + 2 * (1 - o2));
      // The edge to the next corner, from its lower end along axis e.
      const e = n1 !== o1 ? a1 : a2, lower = [c[0]!, c[1]!, c[2]!];
      if ((e === a1 ? n1 : n2) < (e === a1 ? o1 : o2)) lower[e] = lower[e]! - 1;
      const li = (lower[1]! - y0) * W + (lower[0]! - x0);
      const pinched = e === 2 ? (t.pinch[codeCur[li]!]! & 4) !== 0 : (t.pinch[(lower[2] === cz ? codeCur : codePrev)[li]!]! & (e === 0 ? 1 : 2)) !== 0;
      if (!pinched) continue;
      // Which run of the label around the edge this face bounds: p's place around it.
      const e1 = (e + 1) % 3, e2 = (e + 2) % 3;
      const u = p[e1]! - lower[e1]! + 1, w = p[e2]! - lower[e2]! + 1;
      const i = u === 0 ? (w === 0 ? 0 : 3) : w === 0 ? 1 : 2;
      const mid = (e === 2 ? midZ : e === 0 ? (lower[2] === cz ? midXCur : midXPrev) : lower[2] === cz ? midYCur : midYPrev)[li]! + (i >> 1);
      if (firstMid < 0) firstMid = k;
      poly[k++] = mid;
    }
    if (k === 4) {
      for (const q of [0, 1, 2, 0, 2, 3]) tris.push(poly[q]!);
      return;
    }
    // A fan from a midpoint: every diagonal is then this face's own.
    for (let q = 1; q + 1 < k; q++) {
      tris.push(poly[firstMid]!);
      tris.push(poly[(firstMid + q) % k]!);
      tris.push(poly[(firstMid + q + 1) % k]!);
    }
  };

  /** Faces where exactly one of two rows holds the label, in [x from, x to): the first row's voxels with faces on `side` of them. */
  const onlyIn = (rowA: number, rowB: number, emit: (x: number) => void): void => {
    if (rowA < 0) return;
    let j = rowB < 0 ? 0 : rowStart[rowB]!;
    const jEnd = rowB < 0 ? 0 : rowStart[rowB + 1]!;
    for (let i = rowStart[rowA]!; i < rowStart[rowA + 1]!; i++) {
      let s = runs[4 * i + 1]!;
      const e = runs[4 * i + 2]!;
      while (j < jEnd && runs[4 * j + 2]! <= s) j++;
      for (let jj = j; jj < jEnd && runs[4 * jj + 1]! < e; jj++) {
        for (let x = s; x < runs[4 * jj + 1]!; x++) emit(x);
        s = Math.max(s, runs[4 * jj + 2]!);
      }
      for (let x = s; x < e; x++) emit(x);
    }
  };
  const rowOf = (y: number, z: number): number => (y < y0 || y > y1 || z < z0 || z > z1 ? -1 : z * ny + y);

  const ptr = new Int32Array(4), end = new Int32Array(4);
  for (let cz = z0; cz <= z1 + 1; cz++) {
    nMixed = 0;
    // The corners of this slice on the surface: within the runs of the four rows around each
    // row of corners, those whose block is not all the label (jumped over to the nearest run's end).
    for (let cy = y0; cy <= y1 + 1; cy++) {
      for (let r = 0; r < 4; r++) {
        const row = rowOf(cy - 1 + (r & 1), cz - 1 + (r >> 1));
        ptr[r] = row < 0 ? 0 : rowStart[row]!;
        end[r] = row < 0 ? 0 : rowStart[row + 1]!;
      }
      let x = 0x7fffffff;
      for (let r = 0; r < 4; r++) if (ptr[r]! < end[r]!) x = Math.min(x, runs[4 * ptr[r]! + 1]!);
      while (x !== 0x7fffffff) {
        let covered = false, next = 0x7fffffff;
        for (let r = 0; r < 4; r++) {
          while (ptr[r]! < end[r]! && runs[4 * ptr[r]! + 2]! < x) ptr[r]!++;
          if (ptr[r]! < end[r]!) {
            if (runs[4 * ptr[r]! + 1]! <= x) covered = true;
            else next = Math.min(next, runs[4 * ptr[r]! + 1]!);
          }
        }
        if (!covered) {
          x = next;
          continue;
        }
        const base = nV, m = corner(x, cy, cz);
        if (m === 255) {
          let to = 0x7fffffff;
          for (let r = 0; r < 4; r++) to = Math.min(to, runs[4 * ptr[r]! + 2]!);
          x = to;
          continue;
        }
        const i = (cy - y0) * W + (x - x0);
        baseCur[i] = base;
        codeCur[i] = m;
        if (nMixed === mixed.length) {
          const grown = new Int32Array(2 * mixed.length);
          grown.set(mixed);
          mixed = grown;
        }
        mixed[nMixed++] = i;
        x++;
      }
    }
    // The midpoints of the pinched edges that end in this slice.
    for (let q = 0; q < nMixed; q++) {
      const i = mixed[q]!, cx = x0 + (i % W), cy = y0 + Math.floor(i / W), m = codeCur[i]!, pinch = t.pinch[m]!;
      if (pinch & 1) midXCur[i] = addMidpoints(cx, cy, 0, m);
      if (pinch & 2) midYCur[i] = addMidpoints(cx, cy, 1, m);
      if (pinch & 4) midZ[i] = addMidpoints(cx, cy, 2, codePrev[i]!);
    }
    // The faces whose last corner is in this slice: across z at cz, then across x and y in the voxels below it.
    for (let y = y0; y <= y1; y++) {
      const below = rowOf(y, cz - 1), above = rowOf(y, cz);
      onlyIn(above, below, (x) => face(x, y, cz, 2, -1, cz));
      onlyIn(below, above, (x) => face(x, y, cz - 1, 2, 1, cz));
    }
    if (cz - 1 >= z0) {
      for (let y = y0; y <= y1; y++) {
        const row = rowOf(y, cz - 1);
        for (let i = rowStart[row]!; i < rowStart[row + 1]!; i++) {
          face(runs[4 * i + 1]!, y, cz - 1, 0, -1, cz);
          face(runs[4 * i + 2]! - 1, y, cz - 1, 0, 1, cz);
        }
      }
      for (let y = y0; y <= y1 + 1; y++) {
        const back = rowOf(y - 1, cz - 1), front = rowOf(y, cz - 1);
        onlyIn(front, back, (x) => face(x, y, cz - 1, 1, -1, cz));
        onlyIn(back, front, (x) => face(x, y - 1, cz - 1, 1, 1, cz));
      }
    }
    [basePrev, baseCur] = [baseCur, basePrev];
    [codePrev, codeCur] = [codeCur, codePrev];
    [midXPrev, midXCur] = [midXCur, midXPrev];
    [midYPrev, midYCur] = [midYCur, midYPrev];
  }
  return { positions: positions.done(), keys: keys.done(), indices: tris.done(), mids: mids.done() };
}
