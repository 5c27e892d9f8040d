// The surface of one label, a slice of lattice corners at a time: for each corner on the
// label's boundary, one vertex per sheet of faces (src/kernels/surface-tables.ts: the sheets
// of each of the 256 ways the label fills the block around a corner, so the surface stays a
// closed 2-manifold where voxels touch only along an edge or at a corner); a vertex is the
// mean of the centres of its faces, over every label meeting at the corner, so two touching
// labels put their shared vertices at the same place (surface nets, as 3D Slicer's
// multi-label meshing, with the pinches resolved). Corners are visited only within the
// label's runs along x in the four rows around them, and a block that is all the label is
// jumped over to the nearest run's end, so the work follows the surface, not the box. The JS
// build (src/kernels/js/surfaces.ts) does the same steps in the same order.
//
// The call's state is a block of i32 (see the S_ offsets): inputs, the slice buffers (two
// slices of corners), the output buffers and their counts. Outputs are written only below
// their capacities; a call that needs more returns 1 with the counts it reached, and the JS
// side grows the buffers and repeats the slice from the counts before it.

const S_DATA = 0, S_NX = 1, S_NY = 2, S_NZ = 3, S_LABEL = 4;
const S_X0 = 5, S_Y0 = 6, S_Z0 = 7, S_X1 = 8, S_Y1 = 9, S_Z1 = 10;
const S_RUNS = 11, S_ROWSTART = 12, S_TABLES = 13;
const S_BASE_PREV = 14, S_BASE_CUR = 15, S_CODE_PREV = 16, S_CODE_CUR = 17;
const S_MIDX_PREV = 18, S_MIDX_CUR = 19, S_MIDY_PREV = 20, S_MIDY_CUR = 21, S_MIDZ = 22, S_MIXED = 23;
const S_POSITIONS = 24, S_KEYS = 25, S_TRIS = 26, S_MIDS = 27;
const S_NV = 28, S_NT = 29, S_NM = 30, S_CAP_V = 31, S_CAP_T = 32, S_CAP_M = 33;

// Table offsets (src/kernels/surface-tables.ts TABLE_*).
const T_SHEETS = 0, T_COUNTS = 3072, T_PINCH = 3328, T_OFFSETS = 3584, T_FACE_OFFSETS = 15872, T_CYCLE = 16016;
const NONE: i32 = 0x7fffffff;

@inline function st(s: usize, i: i32): i32 { return load<i32>(s + (<usize>i << 2)); }
@inline function set(s: usize, i: i32, v: i32): void { store<i32>(s + (<usize>i << 2), v); }

// Per-call globals, read from the state block at the start of a slice.
let data: usize = 0, nx: i32 = 0, ny: i32 = 0, nz: i32 = 0, label: u32 = 0;
let x0: i32 = 0, y0: i32 = 0, z0: i32 = 0, x1: i32 = 0, y1: i32 = 0, z1: i32 = 0, W: i32 = 0;
let runs: usize = 0, rowStart: usize = 0, tables: usize = 0;
let basePrev: usize = 0, baseCur: usize = 0, codePrev: usize = 0, codeCur: usize = 0;
let midXPrev: usize = 0, midXCur: usize = 0, midYPrev: usize = 0, midYCur: usize = 0, midZ: usize = 0;
let positions: usize = 0, keys: usize = 0, tris: usize = 0, mids: usize = 0;
let nV: i32 = 0, nT: i32 = 0, nM: i32 = 0, capV: i32 = 0, capT: i32 = 0, capM: i32 = 0;

// Scratch for a corner with other labels around it.
const v: StaticArray<u32> = [0, 0, 0, 0, 0, 0, 0, 0];
const parent: StaticArray<i32> = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const first: StaticArray<i32> = [0, 0, 0, 0];
const sheetNumber: StaticArray<i32> = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const poly: StaticArray<i32> = [0, 0, 0, 0, 0, 0, 0, 0];
const ptr: StaticArray<i32> = [0, 0, 0, 0];
const end: StaticArray<i32> = [0, 0, 0, 0];

@inline function runStart(i: i32): i32 { return load<i32>(runs + (<usize>i << 4), 4); }
@inline function runEnd(i: i32): i32 { return load<i32>(runs + (<usize>i << 4), 8); }
@inline function rowFirst(row: i32): i32 { return load<i32>(rowStart + (<usize>row << 2)); }
@inline function sheetOf(m: i32, f: i32): i32 { return <i32>load<u8>(tables + T_SHEETS + <usize>(m * 12 + f)); }
@inline function cycleAt(axis: i32, i: i32): i32 { return <i32>load<u8>(tables + T_CYCLE + <usize>((axis * 2 + 1) * 4 + (i & 3))); }
@inline function faceOffset(f: i32, k: i32): f64 { return <f64>load<f32>(tables + T_FACE_OFFSETS + (<usize>(3 * f + k) << 2)); }

function faceBetween(b1: i32, b2: i32): i32 {
  const diff = b1 ^ b2;
  const axis = diff == 1 ? 0 : diff == 2 ? 1 : 2;
  const b = b1 & ~diff;
  return axis * 4 + ((b >> ((axis + 1) % 3)) & 1) + 2 * ((b >> ((axis + 2) % 3)) & 1);
}

/** Bytes per voxel as a shift (0, 1, 2): the kernel is made once for every bit depth (a third of the code of one copy per depth), the width chosen per read. */
let depth: u32 = 0;

@inline function valueAt(x: i32, y: i32, z: i32): u32 {
  if (x < 0 || y < 0 || z < 0 || x >= nx || y >= ny || z >= nz) return 0;
  const at = data + ((<usize>(z * ny + y) * <usize>nx + <usize>x) << depth);
  return depth == 0 ? <u32>load<u8>(at) : depth == 1 ? <u32>load<u16>(at) : load<u32>(at);
}

function addVertex(x: f64, y: f64, z: f64, key: f64): void {
  if (nV < capV) {
    const p = positions + <usize>nV * 12;
    store<f32>(p, <f32>x);
    store<f32>(p, <f32>y, 4);
    store<f32>(p, <f32>z, 8);
    // No keys block: the caller does not join surfaces (no smoothing).
    if (keys != 0) store<f64>(keys + (<usize>nV << 3), key);
  }
  nV++;
}

@inline function addTriangle(a: i32, b: i32, c: i32): void {
  if (nT < capT) {
    const p = tris + <usize>nT * 12;
    store<i32>(p, a);
    store<i32>(p, b, 4);
    store<i32>(p, c, 8);
  }
  nT++;
}

function find(f: i32): i32 {
  while (unchecked(parent[f]) != f) {
    const g = unchecked(parent[unchecked(parent[f])]);
    unchecked(parent[f] = g);
    f = g;
  }
  return f;
}

/** The corner's configuration; its sheets' vertices added when it is on the surface. */
function corner(cx: i32, cy: i32, cz: i32): i32 {
  let m = 0, others = false;
  for (let b = 0; b < 8; b++) {
    const value = valueAt(cx - 1 + (b & 1), cy - 1 + ((b >> 1) & 1), cz - 1 + (b >> 2));
    unchecked(v[b] = value);
    if (value == label) m |= 1 << b;
    else if (value != 0) others = true;
  }
  if (m == 0 || m == 255) return m;
  const count = <i32>load<u8>(tables + T_COUNTS + <usize>m);
  const key = ((<f64>cz * <f64>(ny + 1) + <f64>cy) * <f64>(nx + 1) + <f64>cx) * 4;
  const px = <f64>cx - 0.5, py = <f64>cy - 0.5, pz = <f64>cz - 0.5;
  if (!others) {
    for (let s = 0; s < count; s++) {
      const o = tables + T_OFFSETS + (<usize>((m * 4 + s) * 3) << 2);
      addVertex(px + <f64>load<f32>(o), py + <f64>load<f32>(o, 4), pz + <f64>load<f32>(o, 8), key + <f64>s);
    }
    return m;
  }
  for (let f = 0; f < 12; f++) {
    unchecked(parent[f] = f);
    unchecked(sheetNumber[f] = -1);
  }
  let boundary = 0;
  for (let b = 0; b < 8; b++) {
    const k = unchecked(v[b]);
    let seen = k == 0;
    for (let e = 0; e < b && !seen; e++) seen = unchecked(v[e]) == k;
    if (seen) continue;
    let mk = 0;
    for (let e = 0; e < 8; e++) if (unchecked(v[e]) == k) mk |= 1 << e;
    for (let s = 0; s < 4; s++) unchecked(first[s] = -1);
    for (let f = 0; f < 12; f++) {
      const s = sheetOf(mk, f);
      if (s == 255) continue;
      boundary |= 1 << f;
      if (unchecked(first[s]) < 0) unchecked(first[s] = f);
      else unchecked(parent[find(f)] = find(unchecked(first[s])));
    }
  }
  let g = 0;
  for (let f = 0; f < 12; f++) if (((boundary >> f) & 1) != 0 && unchecked(sheetNumber[find(f)]) < 0) unchecked(sheetNumber[find(f)] = g++);
  for (let s = 0; s < count; s++) {
    let f0 = 0;
    while (sheetOf(m, f0) != s) f0++;
    const root = find(f0);
    let n = 0;
    let sx: f64 = 0, sy: f64 = 0, sz: f64 = 0;
    for (let f = 0; f < 12; f++) {
      if (((boundary >> f) & 1) == 0 || find(f) != root) continue;
      n++;
      sx += faceOffset(f, 0);
      sy += faceOffset(f, 1);
      sz += faceOffset(f, 2);
    }
    addVertex(px + sx / <f64>n, py + sy / <f64>n, pz + sz / <f64>n, -2 - (key + <f64>unchecked(sheetNumber[root])));
  }
  return m;
}

/** The vertex of corner (cx, cy) of the slice (`cur` or the one before) on face `f`. */
function vertexAt(cur: bool, cx: i32, cy: i32, f: i32): i32 {
  const i = <usize>((cy - y0) * W + (cx - x0));
  const base = load<i32>((cur ? baseCur : basePrev) + (i << 2));
  return base + sheetOf(<i32>load<u8>((cur ? codeCur : codePrev) + i), f);
}

@inline function coord(p: usize, k: i32): f64 { return <f64>load<f32>(p + (<usize>k << 2)); }

/** Two vertices at the middle of the pinched edge from corner c along `axis` (see js/surfaces.ts addMidpoints). */
function addMidpoints(cx: i32, cy: i32, axis: i32, m: i32): i32 {
  const base = nV;
  const offset = ((m >> cycleAt(axis, 0)) & 1) != 0 ? 0 : 1;
  const ux = axis == 0 ? 1 : 0, uy = axis == 1 ? 1 : 0;
  const clear = ~(1 << axis);
  for (let r = 0; r < 2; r++) {
    const i = offset + 2 * r;
    const b1 = cycleAt(axis, i), b2 = cycleAt(axis, i + 1);
    const va = axis == 2 ? vertexAt(false, cx, cy, faceBetween(b1, b2)) : vertexAt(true, cx, cy, faceBetween(b1, b2));
    const vb = axis == 2 ? vertexAt(true, cx, cy, faceBetween(b1 & clear, b2 & clear)) : vertexAt(true, cx + ux, cy + uy, faceBetween(b1 & clear, b2 & clear));
    if (va < capV && vb < capV) {
      const pa = positions + <usize>va * 12, pb = positions + <usize>vb * 12;
      addVertex((coord(pa, 0) + coord(pb, 0)) / 2, (coord(pa, 1) + coord(pb, 1)) / 2, (coord(pa, 2) + coord(pb, 2)) / 2, -1);
    } else {
      nV++;
    }
    if (nM < capM) {
      const p = mids + <usize>nM * 12;
      store<i32>(p, base + r);
      store<i32>(p, va, 4);
      store<i32>(p, vb, 8);
    }
    nM++;
  }
  return base;
}

/** The face on side `side` of the label's voxel p along `d`, as triangles facing out (see js/surfaces.ts face). */
function face(px: i32, py: i32, pz: i32, d: i32, side: i32, cz: i32): void {
  const a1 = (d + 1) % 3, a2 = (d + 2) % 3;
  let k = 0, firstMid = -1;
  for (let q = 0; q < 4; q++) {
    const j = side > 0 ? q : (4 - q) & 3, jn = side > 0 ? (q + 1) & 3 : (3 - q) & 3;
    const o1 = (j + 1) >> 1 == 1 ? 1 : 0, o2 = j >> 1, n1 = (jn + 1) >> 1 == 1 ? 1 : 0, n2 = jn >> 1;
    // The corner: p's coordinates, moved along d to the face's plane and along a1, a2 by o1, o2.
    let cx = px, cy = py, czz = pz;
    if (d == 0) cx += side > 0 ? 1 : 0; else if (d == 1) cy += side > 0 ? 1 : 0; else czz += side > 0 ? 1 : 0;
    if (a1 == 0) cx += o1; else if (a1 == 1) cy += o1; else czz += o1;
    if (a2 == 0) cx += o2; else if (a2 == 1) cy += o2; else czz += o2;
    unchecked(poly[k++] = vertexAt(czz == cz, cx, cy, d * 4 + (1 - o1) + 2 * (1 - o2)));
    const e = n1 != o1 ? a1 : a2;
    let lx = cx, ly = cy, lz = czz;
    if ((e == a1 ? n1 : n2) < (e == a1 ? o1 : o2)) {
      if (e == 0) lx--; else if (e == 1) ly--; else lz--;
    }
    const li = <usize>((ly - y0) * W + (lx - x0));
    let pinched: bool;
    if (e == 2) pinched = (load<u8>(tables + T_PINCH + <usize>load<u8>(codeCur + li)) & 4) != 0;
    else pinched = (load<u8>(tables + T_PINCH + <usize>load<u8>((lz == cz ? codeCur : codePrev) + li)) & (e == 0 ? 1 : 2)) != 0;
    if (!pinched) continue;
    const e1 = (e + 1) % 3, e2 = (e + 2) % 3;
    const u = (e1 == 0 ? px - lx : e1 == 1 ? py - ly : pz - lz) + 1;
    const w = (e2 == 0 ? px - lx : e2 == 1 ? py - ly : pz - lz) + 1;
    const i = u == 0 ? (w == 0 ? 0 : 3) : w == 0 ? 1 : 2;
    const arr = e == 2 ? midZ : e == 0 ? (lz == cz ? midXCur : midXPrev) : lz == cz ? midYCur : midYPrev;
    if (firstMid < 0) firstMid = k;
    unchecked(poly[k++] = load<i32>(arr + (li << 2)) + (i >> 1));
  }
  if (k == 4) {
    addTriangle(unchecked(poly[0]), unchecked(poly[1]), unchecked(poly[2]));
    addTriangle(unchecked(poly[0]), unchecked(poly[2]), unchecked(poly[3]));
    return;
  }
  for (let q = 1; q + 1 < k; q++) addTriangle(unchecked(poly[firstMid]), unchecked(poly[(firstMid + q) % k]), unchecked(poly[(firstMid + q + 1) % k]));
}

@inline function rowOf(y: i32, z: i32): i32 { return y < y0 || y > y1 || z < z0 || z > z1 ? -1 : z * ny + y; }

/** The faces of the voxels in row A and not in row B (see js/surfaces.ts onlyIn): `kind` says which face of which voxel. */
function onlyIn(rowA: i32, rowB: i32, kind: i32, y: i32, cz: i32): void {
  if (rowA < 0) return;
  let j = rowB < 0 ? 0 : rowFirst(rowB);
  const jEnd = rowB < 0 ? 0 : rowFirst(rowB + 1);
  const iEnd = rowFirst(rowA + 1);
  for (let i = rowFirst(rowA); i < iEnd; i++) {
    let s = runStart(i);
    const e = runEnd(i);
    while (j < jEnd && runEnd(j) <= s) j++;
    for (let jj = j; jj < jEnd && runStart(jj) < e; jj++) {
      const to = runStart(jj);
      for (let x = s; x < to; x++) faceOfKind(kind, x, y, cz);
      s = max(s, runEnd(jj));
    }
    for (let x = s; x < e; x++) faceOfKind(kind, x, y, cz);
  }
}

@inline function faceOfKind(kind: i32, x: i32, y: i32, cz: i32): void {
  if (kind == 0) face(x, y, cz, 2, -1, cz);
  else if (kind == 1) face(x, y, cz - 1, 2, 1, cz);
  else if (kind == 2) face(x, y, cz - 1, 1, -1, cz);
  else face(x, y - 1, cz - 1, 1, 1, cz);
}

/** One slice of corners, cz: its vertices, its pinched edges' midpoints and the faces ending in it. 0, or 1 when an output was full. */
export function surfaceSlice(state: usize, cz: i32, bytes: u32): i32 {
  depth = bytes == 1 ? 0 : bytes == 2 ? 1 : 2;
  data = <usize>st(state, S_DATA); nx = st(state, S_NX); ny = st(state, S_NY); nz = st(state, S_NZ); label = <u32>st(state, S_LABEL);
  x0 = st(state, S_X0); y0 = st(state, S_Y0); z0 = st(state, S_Z0); x1 = st(state, S_X1); y1 = st(state, S_Y1); z1 = st(state, S_Z1);
  W = x1 - x0 + 2;
  runs = <usize>st(state, S_RUNS); rowStart = <usize>st(state, S_ROWSTART); tables = <usize>st(state, S_TABLES);
  basePrev = <usize>st(state, S_BASE_PREV); baseCur = <usize>st(state, S_BASE_CUR); codePrev = <usize>st(state, S_CODE_PREV); codeCur = <usize>st(state, S_CODE_CUR);
  midXPrev = <usize>st(state, S_MIDX_PREV); midXCur = <usize>st(state, S_MIDX_CUR); midYPrev = <usize>st(state, S_MIDY_PREV); midYCur = <usize>st(state, S_MIDY_CUR); midZ = <usize>st(state, S_MIDZ);
  const mixed = <usize>st(state, S_MIXED);
  positions = <usize>st(state, S_POSITIONS); keys = <usize>st(state, S_KEYS); tris = <usize>st(state, S_TRIS); mids = <usize>st(state, S_MIDS);
  nV = st(state, S_NV); nT = st(state, S_NT); nM = st(state, S_NM); capV = st(state, S_CAP_V); capT = st(state, S_CAP_T); capM = st(state, S_CAP_M);

  let nMixed = 0;
  for (let cy = y0; cy <= y1 + 1; cy++) {
    for (let r = 0; r < 4; r++) {
      const row = rowOf(cy - 1 + (r & 1), cz - 1 + (r >> 1));
      unchecked(ptr[r] = row < 0 ? 0 : rowFirst(row));
      unchecked(end[r] = row < 0 ? 0 : rowFirst(row + 1));
    }
    let x = NONE;
    for (let r = 0; r < 4; r++) if (unchecked(ptr[r]) < unchecked(end[r])) x = min(x, runStart(unchecked(ptr[r])));
    while (x != NONE) {
      let covered = false, next = NONE;
      for (let r = 0; r < 4; r++) {
        let p = unchecked(ptr[r]);
        const pe = unchecked(end[r]);
        while (p < pe && runEnd(p) < x) p++;
        unchecked(ptr[r] = p);
        if (p < pe) {
          const s = runStart(p);
          if (s <= x) covered = true;
          else next = min(next, s);
        }
      }
      if (!covered) {
        x = next;
        continue;
      }
      const base = nV, m = corner(x, cy, cz);
      if (m == 255) {
        let to = NONE;
        for (let r = 0; r < 4; r++) to = min(to, runEnd(unchecked(ptr[r])));
        x = to;
        continue;
      }
      const i = <usize>((cy - y0) * W + (x - x0));
      store<i32>(baseCur + (i << 2), base);
      store<u8>(codeCur + i, <u8>m);
      store<i32>(mixed + (<usize>nMixed << 2), <i32>i);
      nMixed++;
      x++;
    }
  }
  for (let q = 0; q < nMixed; q++) {
    const i = load<i32>(mixed + (<usize>q << 2));
    const cx = x0 + i % W, cy = y0 + i / W;
    const m = <i32>load<u8>(codeCur + <usize>i), pinch = <i32>load<u8>(tables + T_PINCH + <usize>m);
    if ((pinch & 1) != 0) store<i32>(midXCur + (<usize>i << 2), addMidpoints(cx, cy, 0, m));
    if ((pinch & 2) != 0) store<i32>(midYCur + (<usize>i << 2), addMidpoints(cx, cy, 1, m));
    if ((pinch & 4) != 0) store<i32>(midZ + (<usize>i << 2), addMidpoints(cx, cy, 2, <i32>load<u8>(codePrev + <usize>i)));
  }
  for (let y = y0; y <= y1; y++) {
    const below = rowOf(y, cz - 1), above = rowOf(y, cz);
    onlyIn(above, below, 0, y, cz);
    onlyIn(below, above, 1, y, cz);
  }
  if (cz - 1 >= z0) {
    for (let y = y0; y <= y1; y++) {
      const row = rowOf(y, cz - 1), iEnd = rowFirst(row + 1);
      for (let i = rowFirst(row); i < iEnd; i++) {
        face(runStart(i), y, cz - 1, 0, -1, cz);
        face(runEnd(i) - 1, y, cz - 1, 0, 1, cz);
      }
    }
    for (let y = y0; y <= y1 + 1; y++) {
      const back = rowOf(y - 1, cz - 1), front = rowOf(y, cz - 1);
      onlyIn(front, back, 2, y, cz);
      onlyIn(back, front, 3, y, cz);
    }
  }
  set(state, S_NV, nV);
  set(state, S_NT, nT);
  set(state, S_NM, nM);
  return nV > capV || nT > capT || nM > capM ? 1 : 0;
}
