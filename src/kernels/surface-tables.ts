// What both builds of the surfaces family read: for each of the 256 ways one label can fill
// the eight voxels around a lattice corner, how its boundary faces there join into sheets.
//
// The surface is the boundary between a label's voxels and the rest, made of the voxel faces
// between them (a face lies between two voxels; twelve faces meet at a corner, inside the
// 2x2x2 block of voxels around it). Where the label's voxels touch only along an edge or at
// a corner, that boundary pinches: more than two faces meet along the edge, and one vertex at
// the corner would make the surface non-manifold. Faces are joined as the label's voxels are
// joined through faces (6-connectivity): around each of the six half-edges from a corner, the
// two faces that bound one run of the label's voxels belong together, so each sheet at a
// corner is a cycle of faces: one vertex per sheet keeps every vertex a disc. Along an edge
// where the label's voxels sit diagonally (a checkerboard around the edge), the surface runs
// twice; each run gets a vertex of its own at the edge's middle, so no two triangles of
// different runs share an edge even where the sheets at both ends are one.
//
// Axes here are x = 0, y = 1, z = 2; a voxel of the block is b = bx | by << 1 | bz << 2, the
// corner sitting between voxel coordinates c - 1 and c on each axis.

/** A face of the block is on no sheet of the label (not a boundary face). */
export const NO_SHEET = 255;

/** Byte offsets of the tables in the packed block `surfaceTables().packed` (assembly reads it). */
export const TABLE_SHEETS = 0; // u8[256 * 12]: the sheet of each face, or NO_SHEET
export const TABLE_COUNTS = 3072; // u8[256]: sheets at the corner
export const TABLE_PINCH = 3328; // u8[256]: bit 1 the +x edge pinches, 2 the +y edge, 4 the -z edge
export const TABLE_OFFSETS = 3584; // f32[256 * 4 * 3]: each sheet's vertex, relative to the corner
export const TABLE_FACE_OFFSETS = 15872; // f32[12 * 3]: each face's centre, relative to the corner
export const TABLE_CYCLE = 16016; // u8[3 * 2 * 4]: the voxels around half-edge (axis, side), in turn
export const TABLE_BYTES = 16048;

/** The voxels around a half-edge in turn, as (bit of the next axis, bit of the one after). */
const CYCLE: readonly (readonly [number, number])[] = [[0, 0], [1, 0], [1, 1], [0, 1]];

/** The voxel of the block at position `i` around the half-edge from the corner along `axis`, on `side` (0: -, 1: +). */
export const cycleVoxel = (axis: number, side: number, i: number): number => {
  const [u, v] = CYCLE[i & 3]!;
  return (side << axis) | (u << ((axis + 1) % 3)) | (v << ((axis + 2) % 3));
};

/** The face between two voxels of the block that differ on one axis: axis * 4 + (bit of the next axis) + 2 * (bit of the one after). */
export const faceBetween = (b1: number, b2: number): number => {
  const diff = b1 ^ b2, axis = diff === 1 ? 0 : diff === 2 ? 1 : 2, b = b1 & ~diff;
  return axis * 4 + ((b >> ((axis + 1) % 3)) & 1) + 2 * ((b >> ((axis + 2) % 3)) & 1);
};

/** The tables, made once. */
export interface SurfaceTables {
  sheets: Uint8Array;
  counts: Uint8Array;
  pinch: Uint8Array;
  offsets: Float32Array;
  faceOffsets: Float32Array;
  cycle: Uint8Array;
  /** All of them in one block, at the TABLE_* offsets. */
  packed: Uint8Array;
}

/** Whether the four voxels around half-edge (axis, side) hold the label diagonally. */
const checkerboard = (m: number, axis: number, side: number): boolean => {
  const bits = [0, 1, 2, 3].map((i) => (m >> cycleVoxel(axis, side, i)) & 1).join("");
  return bits === "1010" || bits === "0101";
};

let made: SurfaceTables | null = null;

/** The sheets of every block configuration, their vertices and the pinched edges (see the file's comment). */
export function surfaceTables(): SurfaceTables {
  if (made) return made;
  const packed = new Uint8Array(TABLE_BYTES);
  const sheets = packed.subarray(TABLE_SHEETS, TABLE_SHEETS + 3072);
  const counts = packed.subarray(TABLE_COUNTS, TABLE_COUNTS + 256);
  const pinch = packed.subarray(TABLE_PINCH, TABLE_PINCH + 256);
  const offsets = new Float32Array(packed.buffer, TABLE_OFFSETS, 256 * 12);
  const faceOffsets = new Float32Array(packed.buffer, TABLE_FACE_OFFSETS, 36);
  const cycle = packed.subarray(TABLE_CYCLE, TABLE_CYCLE + 24);
  for (let axis = 0; axis < 3; axis++) for (let side = 0; side < 2; side++) for (let i = 0; i < 4; i++) cycle[(axis * 2 + side) * 4 + i] = cycleVoxel(axis, side, i);
  for (let f = 0; f < 12; f++) {
    const axis = f >> 2;
    faceOffsets[3 * f + axis] = 0;
    faceOffsets[3 * f + ((axis + 1) % 3)] = (f & 1) - 0.5;
    faceOffsets[3 * f + ((axis + 2) % 3)] = ((f >> 1) & 1) - 0.5;
  }
  for (let m = 0; m < 256; m++) {
    const parent = Array.from({ length: 12 }, (_, f) => f);
    const find = (f: number): number => (parent[f] === f ? f : (parent[f] = find(parent[f]!)));
    for (let axis = 0; axis < 3; axis++) {
      for (let side = 0; side < 2; side++) {
        const inside = [0, 1, 2, 3].map((i) => (m >> cycleVoxel(axis, side, i)) & 1);
        for (let i = 0; i < 4; i++) {
          // A run of the label's voxels starts at i: the faces before and after it belong together.
          if (!inside[i] || inside[(i + 3) & 3]) continue;
          let j = i;
          while (inside[(j + 1) & 3] && ((j + 1) & 3) !== i) j++;
          const before = faceBetween(cycleVoxel(axis, side, i + 3), cycleVoxel(axis, side, i));
          const after = faceBetween(cycleVoxel(axis, side, j), cycleVoxel(axis, side, j + 1));
          parent[find(before)] = find(after);
        }
      }
    }
    const number = new Map<number, number>();
    for (let f = 0; f < 12; f++) {
      const axis = f >> 2, b = ((f & 1) << ((axis + 1) % 3)) | (((f >> 1) & 1) << ((axis + 2) % 3));
      const boundary = ((m >> b) & 1) !== ((m >> (b | (1 << axis))) & 1);
      if (!boundary) {
        sheets[m * 12 + f] = NO_SHEET;
        continue;
      }
      const root = find(f);
      if (!number.has(root)) number.set(root, number.size);
      sheets[m * 12 + f] = number.get(root)!;
    }
    counts[m] = number.size;
    for (let s = 0; s < number.size; s++) {
      let n = 0;
      const sum = [0, 0, 0];
      for (let f = 0; f < 12; f++) {
        if (sheets[m * 12 + f] !== s) continue;
        n++;
        for (let k = 0; k < 3; k++) sum[k]! += faceOffsets[3 * f + k]!;
      }
      for (let k = 0; k < 3; k++) offsets[(m * 4 + s) * 3 + k] = sum[k]! / n;
    }
    pinch[m] = (checkerboard(m, 0, 1) ? 1 : 0) | (checkerboard(m, 1, 1) ? 2 : 0) | (checkerboard(m, 2, 0) ? 4 : 0);
  }
  made = { sheets, counts, pinch, offsets, faceOffsets, cycle, packed };
  return made;
}
