// Naive, obviously-correct versions of every kernel: the oracle for both backends.
import type { Box6, Dims, LabelArray, ScanResult } from "../../src/index.js";

export function refScan(data: LabelArray, dims: Dims, withBoxes: boolean): ScanResult {
  const [nz, ny, nx] = dims;
  const order: number[] = [];
  const stats = new Map<number, { count: number; box: number[] }>();
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const v = data[(z * ny + y) * nx + x]!;
        let s = stats.get(v);
        if (!s) {
          s = { count: 0, box: [z, y, x, z, y, x] };
          stats.set(v, s);
          order.push(v);
        }
        s.count++;
        s.box = [Math.min(s.box[0]!, z), Math.min(s.box[1]!, y), Math.min(s.box[2]!, x), Math.max(s.box[3]!, z), Math.max(s.box[4]!, y), Math.max(s.box[5]!, x)];
      }
  return {
    labels: Uint32Array.from(order),
    counts: Float64Array.from(order.map((l) => stats.get(l)!.count)),
    // Background has no box (no mapping names label 0).
    boxes: withBoxes ? Int32Array.from(order.flatMap((l) => (l === 0 ? [-1, -1, -1, -1, -1, -1] : stats.get(l)!.box))) : new Int32Array(0),
  };
}

export function refCountUnder(data: LabelArray, region: Uint8Array): ScanResult {
  const order: number[] = [];
  const counts = new Map<number, number>();
  for (let i = 0; i < data.length; i++) {
    if (!region[i]) continue;
    const v = data[i]!;
    if (!counts.has(v)) order.push(v);
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return { labels: Uint32Array.from(order), counts: Float64Array.from(order.map((l) => counts.get(l)!)), boxes: new Int32Array(0) };
}

export function refSelect(data: LabelArray, labels: readonly number[]): Uint8Array {
  const set = new Set(labels);
  return Uint8Array.from(data, (v) => (set.has(v) ? 1 : 0));
}

export function refEquals(data: LabelArray, label: number, invert: boolean): Uint8Array {
  return Uint8Array.from(data, (v) => ((v === label) !== invert ? 1 : 0));
}

export function refPaint(data: LabelArray, region: Uint8Array, label: number, keep: boolean): { data: LabelArray; painted: number } {
  const out = data.slice() as LabelArray;
  let painted = 0;
  for (let i = 0; i < out.length; i++) {
    if (region[i] && (!keep || out[i] === 0)) {
      out[i] = label;
      painted++;
    }
  }
  return { data: out, painted };
}

export function refCountOverlap(a: Uint8Array, b: Uint8Array, dims: Dims, box: Box6): number {
  const [, ny, nx] = dims;
  let n = 0;
  for (let z = box[0]; z <= box[3]; z++)
    for (let y = box[1]; y <= box[4]; y++)
      for (let x = box[2]; x <= box[5]; x++) {
        const i = (z * ny + y) * nx + x;
        if (a[i] && b[i]) n++;
      }
  return n;
}

/** The rle-rows transform written as plainly as possible (see assembly/codec.ts). */
export function refEncodeRows(data: LabelArray, rows: number, nx: number): Uint8Array {
  const size = data.BYTES_PER_ELEMENT;
  const ops: number[] = [], values: number[] = [], lengths: number[] = [];
  const varint = (out: number[], v: number) => {
    do {
      out.push((v % 128) | (v >= 128 ? 128 : 0));
      v = Math.floor(v / 128);
    } while (v > 0);
  };
  for (let r = 0; r < rows; r++) {
    const row = Array.from(data.subarray(r * nx, r * nx + nx));
    const above = r === 0 ? new Array<number>(nx).fill(0) : Array.from(data.subarray((r - 1) * nx, r * nx));
    if (row.every((v, i) => v === above[i])) {
      ops.push(0);
      continue;
    }
    const runs: Array<[number, number]> = [];
    for (const v of row) {
      if (runs.length > 0 && runs[runs.length - 1]![0] === v) runs[runs.length - 1]![1]++;
      else runs.push([v, 1]);
    }
    varint(ops, runs.length);
    runs.forEach(([v, n], i) => {
      for (let b = 0; b < size; b++) values.push(Math.floor(v / 2 ** (8 * b)) % 256);
      if (i < runs.length - 1) varint(lengths, n);
    });
  }
  const head = [rows, nx, ops.length, values.length, lengths.length].flatMap((n) => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24]);
  return Uint8Array.from([...head, ...ops, ...values, ...lengths]);
}

/** Whether `label` occurs in `data`, voxel by voxel. */
export function refContains(data: LabelArray, label: number): boolean {
  for (let i = 0; i < data.length; i++) if (data[i] === label) return true;
  return false;
}

/** First and last non-zero voxel, voxel by voxel; null when all are background. */
export function refOccupied(data: LabelArray): [number, number] | null {
  let first = -1, last = -1;
  for (let i = 0; i < data.length; i++) {
    if (data[i] === 0) continue;
    if (first < 0) first = i;
    last = i;
  }
  return first < 0 ? null : [first, last];
}

/** numpy.unpackbits (big bit order) of the first `count` voxels, one bit at a time. */
/** numpy.packbits, big bit order: voxel i is bit 7 - i % 8 of byte i / 8, set when non-zero. */
export function refPackBits(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(data.length / 8));
  for (let i = 0; i < data.length; i++) if (data[i] !== 0) out[Math.floor(i / 8)]! |= 128 >> i % 8;
  return out;
}

export function refUnpackBits(packed: Uint8Array, count: number): Uint8Array {
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) out[i] = packed[Math.floor(i / 8)]! & (128 >> i % 8) ? 1 : 0;
  return out;
}

/** Runs of set bits, least significant bit first, as [begin, end) pairs relative to `start`: one bit at a time. */
export function refBitRuns(packed: Uint8Array, start: number, count: number): Int32Array {
  const runs: number[] = [];
  for (let i = 0; i < count; i++) {
    const b = start + i;
    const set = (packed[b >> 3]! >> (b & 7)) & 1;
    if (set && (runs.length % 2 === 0)) runs.push(i);
    if (!set && runs.length % 2 === 1) runs.push(i);
  }
  if (runs.length % 2 === 1) runs.push(count);
  return Int32Array.from(runs);
}
