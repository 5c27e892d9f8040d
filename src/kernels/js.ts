import type { LabelArray } from "../bitdepth.js";
import type { Box6, Dims, Kernels, ScanResult } from "./types.js";

// The pure-JS backend: the same algorithms as assembly/, written as well as plain
// JavaScript allows (run-by-run scans, lookup tables), so the bench compares fair builds.

/** Label -> accumulator slot; dense arrays for 8/16-bit labels, a Map for 32-bit ones. */
class LabelTable {
  readonly order: number[] = [];
  private readonly dense: Int32Array | null;
  private readonly sparse = new Map<number, number>();
  counts: number[] = [];
  boxes: number[] = [];

  constructor(bitsPerLabel: number) {
    this.dense = bitsPerLabel <= 16 ? new Int32Array(1 << bitsPerLabel).fill(-1) : null;
  }

  /** Slot of `label`, or -1 - newSlot when it was just created. */
  slot(label: number): number {
    let s = this.dense ? this.dense[label]! : (this.sparse.get(label) ?? -1);
    if (s >= 0) return s;
    s = this.order.length;
    this.order.push(label);
    this.counts.push(0);
    if (this.dense) this.dense[label] = s;
    else this.sparse.set(label, s);
    return -1 - s;
  }

  result(withBoxes: boolean): ScanResult {
    return {
      labels: Uint32Array.from(this.order),
      counts: Float64Array.from(this.counts),
      boxes: withBoxes ? Int32Array.from(this.boxes) : new Int32Array(0),
    };
  }
}

const bitsOf = (data: LabelArray): number => data.BYTES_PER_ELEMENT * 8;

function scan(data: LabelArray, dims: Dims, withBoxes: boolean): ScanResult {
  const [nz, ny, nx] = dims;
  const table = new LabelTable(bitsOf(data));
  const { counts, boxes } = table;
  let row = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++, row += nx) {
      const end = row + nx;
      let p = row;
      while (p < end) {
        const v = data[p]!;
        const x0 = p - row;
        p++;
        while (p < end && data[p] === v) p++;
        let s = table.slot(v);
        const isNew = s < 0;
        if (isNew) s = -1 - s;
        counts[s] = counts[s]! + (p - row - x0);
        if (!withBoxes) continue;
        const x1 = p - row - 1;
        const b = s * 6;
        if (isNew) {
          boxes.push(z, y, x0, z, y, x1);
        } else {
          if (y < boxes[b + 1]!) boxes[b + 1] = y;
          if (x0 < boxes[b + 2]!) boxes[b + 2] = x0;
          boxes[b + 3] = z;
          if (y > boxes[b + 4]!) boxes[b + 4] = y;
          if (x1 > boxes[b + 5]!) boxes[b + 5] = x1;
        }
      }
    }
  }
  return table.result(withBoxes);
}

function countUnder(data: LabelArray, region: Uint8Array): ScanResult {
  const table = new LabelTable(bitsOf(data));
  const { counts } = table;
  for (let i = 0; i < region.length; i++) {
    if (region[i] === 0) continue;
    let s = table.slot(data[i]!);
    if (s < 0) s = -1 - s;
    counts[s] = counts[s]! + 1;
  }
  return table.result(false);
}

function equals(data: LabelArray, label: number, invert: boolean): Uint8Array {
  const out = new Uint8Array(data.length);
  const hit = invert ? 0 : 1;
  for (let i = 0; i < data.length; i++) out[i] = data[i] === label ? hit : 1 - hit;
  return out;
}

function select(data: LabelArray, labels: readonly number[]): Uint8Array {
  const out = new Uint8Array(data.length);
  if (data.BYTES_PER_ELEMENT <= 2) {
    const lut = new Uint8Array(1 << bitsOf(data));
    for (const l of labels) if (l >= 0 && l < lut.length) lut[l] = 1;
    for (let i = 0; i < data.length; i++) out[i] = lut[data[i]!]!;
    return out;
  }
  // 32-bit labels: one set lookup per run of equal labels.
  const set = new Set(labels);
  let p = 0;
  while (p < data.length) {
    const v = data[p]!;
    const start = p++;
    while (p < data.length && data[p] === v) p++;
    if (set.has(v)) out.fill(1, start, p);
  }
  return out;
}

function paint(data: LabelArray, region: Uint8Array, label: number, keep: boolean): number {
  let painted = 0;
  for (let i = 0; i < region.length; i++) {
    if (region[i] === 0 || (keep && data[i] !== 0)) continue;
    data[i] = label;
    painted++;
  }
  return painted;
}

function countOverlap(a: Uint8Array, b: Uint8Array, dims: Dims, box: Box6): number {
  const [, ny, nx] = dims;
  const [z0, y0, x0, z1, y1, x1] = box;
  let total = 0;
  for (let z = z0; z <= z1; z++) {
    for (let y = y0; y <= y1; y++) {
      const row = (z * ny + y) * nx;
      for (let i = row + x0; i <= row + x1; i++) if (a[i] !== 0 && b[i] !== 0) total++;
    }
  }
  return total;
}

/** The pure-JS kernels: always available, and the reference the WASM kernels must equal. */
export const jsKernels: Kernels = {
  name: "js",
  scan,
  countUnder,
  equals,
  select,
  paint,
  countOverlap,
  release() {},
};
