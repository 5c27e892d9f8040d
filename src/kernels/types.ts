import type { LabelArray } from "../bitdepth.js";

/** Inclusive box in array axis order: [minZ, minY, minX, maxZ, maxY, maxX]. */
export type Box6 = readonly [number, number, number, number, number, number];

/** One pass over a volume: every label that occurs, with counts and optional boxes. */
export interface ScanResult {
  /** Labels in the order first seen (C order). */
  labels: Uint32Array;
  /** Voxel count of each label, parallel to `labels`. */
  counts: Float64Array;
  /**
   * Six numbers per label (see `Box6`) when boxes were asked for, else empty. Background
   * (label 0), which no mapping names, gets no box: its six numbers are -1.
   */
  boxes: Int32Array;
}

/** What `Kernels.scanEncode` returns: the scan, and the rle-rows stream of each slab. */
export interface ScanEncoded {
  scan: ScanResult;
  streams: Uint8Array[];
}

/**
 * One layer's share of a union across layers (`Kernels.selectLayers`): the voxels `[from,
 * to)` of `data` whose label is one of `labels` (with `invert`, whose label is not
 * `labels[0]`, the one label then given).
 */
export interface LayerSelection {
  data: LabelArray;
  labels: readonly number[];
  invert?: boolean;
  from: number;
  to: number;
}

/** Volume dimensions in array order (z, y, x); a flat array is [1, 1, length]. */
export type Dims = readonly [number, number, number];

/**
 * The hot loops of medmask. Two implementations with identical results: `js` (plain
 * TypeScript, always available) and `wasm` (AssemblyScript with SIMD). Inputs are never
 * modified except by `paint` and `paintCounting`; outputs are fresh arrays owned by the caller.
 */
export interface Kernels {
  readonly name: "js" | "wasm";
  /** Counts (and, with `withBoxes`, inclusive bounding boxes) of every label in `data`. */
  scan(data: LabelArray, dims: Dims, withBoxes: boolean): ScanResult;
  /**
   * Indices of the first and the last non-zero voxel of `data`, or null when every voxel is
   * background. Reads from both ends and stops at the first label from each.
   */
  occupied(data: LabelArray): [number, number] | null;
  /**
   * `scan` with boxes of `data` and `encodeRows` of each of its slabs of `slabRows` rows
   * (the last may be shorter), in one pass: what a save needs, header statistics and
   * voxel streams, for one read of the voxels.
   */
  scanEncode(data: LabelArray, dims: Dims, slabRows: number): ScanEncoded;
  /** Counts of the labels of `data` under the non-zero voxels of `region`. */
  countUnder(data: LabelArray, region: Uint8Array): ScanResult;
  /**
   * 0/1 mask of `data === label` (or `!==` with `invert`), written into `out` when given
   * (at least `data.length` bytes; it is returned), else into a fresh array. With
   * `accumulate`, the mask is OR-ed into `out` (required): voxels already 1 stay 1, so a
   * union over the layers of a mask is one call per layer into one output.
   */
  equals(data: LabelArray, label: number, invert: boolean, out?: Uint8Array, accumulate?: boolean): Uint8Array;
  /**
   * 0/1 mask of the voxels whose label is in `labels` (any number of labels); `out` and
   * `accumulate` as in `equals`.
   */
  select(data: LabelArray, labels: readonly number[], out?: Uint8Array, accumulate?: boolean): Uint8Array;
  /**
   * 0/1 of the union of `parts` (layers of one mask, each over the voxels it names) over
   * `length` voxels, 0 where no part hits; `out` as in `equals`. One pass: the parts are
   * read chunk by chunk side by side and OR-ed in scratch memory, so the output is written
   * once (a union across layers costs one read of each part, not a pass per layer over the
   * output). INVALID_ARGUMENT for parts outside `length` or an `out` that does not fit.
   */
  selectLayers(parts: readonly LayerSelection[], length: number, out?: Uint8Array): Uint8Array;
  /** Whether `label` occurs in `data` (stops at the first hit). */
  contains(data: LabelArray, label: number): boolean;
  /**
   * Writes `label` into `data` where `region` is non-zero (with `keep`, only where `data`
   * is 0). Returns the number of voxels written.
   */
  paint(data: LabelArray, region: Uint8Array, label: number, keep: boolean): number;
  /**
   * `countUnder(data, region)` and then `paint(data, region, label, keep)`, in one pass:
   * the labels the region covered before it was painted, and the voxels written.
   */
  paintCounting(data: LabelArray, region: Uint8Array, label: number, keep: boolean): { under: ScanResult; painted: number };
  /** Voxels non-zero in both binary masks within the inclusive `box` of a `dims` volume. */
  countOverlap(a: Uint8Array, b: Uint8Array, dims: Dims, box: Box6): number;
  /**
   * The native codec's "rle-rows" transform of `rows` rows of `nx` labels (a z-slab):
   * rows equal to the row above become one byte, other rows become runs (values and
   * varint lengths in separate streams). Deterministic: both backends give the same bytes.
   */
  encodeRows(data: LabelArray, rows: number, nx: number): Uint8Array;
  /**
   * Inverse of `encodeRows` into `out` (at least rows * nx labels). Bounds-checked against
   * `rows`/`nx`; labels above `maxLabel` are refused. Returns false for a malformed stream
   * (`out` may then be partly written). With `zeroed`, `out` is known to be all background
   * (fresh memory) and background need not be written: a sparse mask then touches only the
   * pages that hold labels.
   */
  decodeRows(stream: Uint8Array, rows: number, nx: number, maxLabel: number, out: LabelArray, zeroed?: boolean): boolean;
  /** The largest value in `data` (0 when it is empty). */
  largest(data: LabelArray): number;
  /**
   * The inverse of numpy.packbits (big bit order), the Python library's layout of bool
   * masks: `out[i]` = bit 7 - i % 8 of `packed[i >> 3]`, for every voxel of `out`.
   * `packed` holds at least ceil(out.length / 8) bytes, else INVALID_ARGUMENT. With
   * `zeroed`, `out` is known to be all background (fresh memory), which need not be written.
   */
  unpackBits(packed: Uint8Array, out: Uint8Array, zeroed?: boolean): void;
  /**
   * numpy.packbits (big bit order) of `data`, the inverse of `unpackBits`: bit 7 - i % 8 of
   * byte i >> 3 is set where `data[i]` is non-zero; the pad bits of a last partial byte are
   * zero. Written into `out` when given (at least ceil(data.length / 8) bytes, else
   * INVALID_ARGUMENT; it is returned), else into a fresh array of exactly that length.
   */
  packBits(data: Uint8Array, out?: Uint8Array): Uint8Array;
  /**
   * The runs of set bits among `count` bits of `packed` from bit `start`, least significant
   * bit first (DICOM's order, PS3.5 8.1.1): [begin, end) pairs relative to `start`, in
   * order. `packed` holds at least ceil((start + count) / 8) bytes, else INVALID_ARGUMENT.
   * A DICOM SEG's BINARY frames are painted from these.
   */
  bitRuns(packed: Uint8Array, start: number, count: number): Int32Array;
}

/** Numbers per component in `RunComponents.stats`. */
export const COMPONENT_STATS = 11;

/** A label volume's runs along x and their connected components (`ComponentKernels.runComponents`). */
export interface RunComponents {
  /** Four numbers per run, in scan order: row (z * ny + y), first x, end x (exclusive), label. */
  runs: Uint32Array;
  /** Each run's component: 0..count-1 in the order of each component's first voxel (x fastest). */
  component: Uint32Array;
  count: number;
  /**
   * COMPONENT_STATS numbers per component: voxels; the sums of z, y and x over its voxels;
   * min z, y, x; max z, y, x; its label.
   */
  stats: Float64Array;
}

/**
 * One label's surface in voxel coordinates (x, y, z; a voxel's centre at whole numbers).
 * Triangles face out of the label (counter-clockwise seen from outside, for a grid whose
 * axes are right-handed).
 */
export interface RawSurface {
  /** x, y, z per vertex. */
  positions: Float32Array;
  /**
   * Per vertex, who else has it: the same number in two labels' surfaces is the same point
   * (where the labels touch). At least 0: a vertex where no other label is, this surface's
   * alone; -1: a vertex at the middle of a pinched edge (its own); below -1: a vertex where
   * other labels meet, which their surfaces may share.
   */
  keys: Float64Array;
  /** Three vertex indices per triangle. */
  indices: Uint32Array;
  /** Per vertex at the middle of a pinched edge: it and the two vertices it lies between. */
  mids: Uint32Array;
}
