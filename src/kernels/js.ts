import { LITTLE_ENDIAN, type LabelArray } from "../bitdepth.js";
import { checkAccumulateOut, checkBitRange, checkLayerSelections, checkPacked, checkSlabRows, packedOut } from "./checks.js";
import { RLE_HEAD } from "./rle-rows.js";
import type { Box6, Dims, Kernels, LayerSelection, ScanEncoded, ScanResult } from "./types.js";

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

/** Index of the first (or, with `fromEnd`, last) non-zero byte of `bytes`, or -1. */
function firstNonZero(bytes: Uint8Array, fromEnd: boolean): number {
  const start = (4 - (bytes.byteOffset % 4)) % 4;
  const words = Math.max(0, Math.floor((bytes.length - start) / 4));
  // Whole aligned words only; a view too short for one has none (and no offset to align).
  const w = words > 0 ? new Int32Array(bytes.buffer, bytes.byteOffset + start, words) : new Int32Array(0);
  const tailStart = start + words * 4;
  const byteRange = (from: number, to: number): number => {
    if (fromEnd) {
      for (let i = to - 1; i >= from; i--) if (bytes[i] !== 0) return i;
    } else {
      for (let i = from; i < to; i++) if (bytes[i] !== 0) return i;
    }
    return -1;
  };
  const edges = fromEnd ? [[tailStart, bytes.length]] : [[0, Math.min(start, bytes.length)]];
  for (const [a, b] of edges) {
    const hit = byteRange(a!, b!);
    if (hit >= 0) return hit;
  }
  if (fromEnd) {
    let i = words - 1;
    for (; i >= 7; i -= 8) if (w[i]! | w[i - 1]! | w[i - 2]! | w[i - 3]! | w[i - 4]! | w[i - 5]! | w[i - 6]! | w[i - 7]!) break;
    for (; i >= 0; i--) if (w[i] !== 0) return byteRange(start + i * 4, start + i * 4 + 4);
    return byteRange(0, Math.min(start, bytes.length));
  }
  let i = 0;
  for (; i + 8 <= words; i += 8) if (w[i]! | w[i + 1]! | w[i + 2]! | w[i + 3]! | w[i + 4]! | w[i + 5]! | w[i + 6]! | w[i + 7]!) break;
  for (; i < words; i++) if (w[i] !== 0) return byteRange(start + i * 4, start + i * 4 + 4);
  return byteRange(tailStart, bytes.length);
}

/**
 * First and last non-zero voxel, by OR-ing 32-bit words from each end: background is most
 * of a mask, and this reads it several times faster than the run loops of `scan`.
 */
function occupied(data: LabelArray): [number, number] | null {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const first = firstNonZero(bytes, false);
  if (first < 0) return null;
  const size = data.BYTES_PER_ELEMENT;
  return [Math.floor(first / size), Math.floor(firstNonZero(bytes, true) / size)];
}

/**
 * One pass of runs over the whole volume: a run may cross rows and slices (a row boundary
 * is not a run boundary), so the table is touched once per run. A run that crosses a row
 * covers every x; one that crosses a slice covers every y. (assembly/scan.ts cuts labelled
 * runs at row ends instead: its per-run cost is a few instructions, so the row search a
 * crossing run needs weighs there; here the voxel loop dominates and the two are even.)
 */
function scan(data: LabelArray, dims: Dims, withBoxes: boolean): ScanResult {
  const [, ny, nx] = dims;
  const table = new LabelTable(bitsOf(data));
  const { counts, boxes } = table;
  const length = data.length;
  // Row cursor: runs come in order, so coordinates follow by stepping rows forward.
  let rowStart = 0, y = 0, z = 0;
  const seek = (index: number): void => {
    while (index - rowStart >= nx) {
      rowStart += nx;
      if (++y === ny) {
        y = 0;
        z++;
      }
    }
  };
  let p = 0;
  while (p < length) {
    const v = data[p]!;
    const first = p++;
    while (p < length && data[p] === v) p++;
    let s = table.slot(v);
    const isNew = s < 0;
    if (isNew) s = -1 - s;
    counts[s] = counts[s]! + (p - first);
    if (!withBoxes) continue;
    if (isNew) boxes.push(-1, -1, -1, -1, -1, -1);
    if (v === 0) continue; // background gets no box
    seek(first);
    const z0 = z, r0 = rowStart;
    let y0 = y, x0 = first - r0;
    seek(p - 1);
    let y1 = y, x1 = p - 1 - rowStart;
    if (r0 !== rowStart) {
      x0 = 0;
      x1 = nx - 1;
      if (z0 !== z) {
        y0 = 0;
        y1 = ny - 1;
      }
    }
    const b = s * 6;
    if (isNew) {
      boxes[b] = z0; boxes[b + 1] = y0; boxes[b + 2] = x0;
      boxes[b + 3] = z; boxes[b + 4] = y1; boxes[b + 5] = x1;
    } else {
      // z never decreases in C order: its minimum is the first one seen.
      if (y0 < boxes[b + 1]!) boxes[b + 1] = y0;
      if (x0 < boxes[b + 2]!) boxes[b + 2] = x0;
      boxes[b + 3] = z;
      if (y1 > boxes[b + 4]!) boxes[b + 4] = y1;
      if (x1 > boxes[b + 5]!) boxes[b + 5] = x1;
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

function equals(data: LabelArray, label: number, invert: boolean, into?: Uint8Array, accumulate = false): Uint8Array {
  const out = accumulate ? checkAccumulateOut(into, data.length) : into ?? new Uint8Array(data.length);
  let i = 0;
  if (data instanceof Uint8Array && label >= 0 && label <= 255) i = equalsWords(data, label, invert, out, accumulate);
  if (accumulate) {
    for (; i < data.length; i++) if ((data[i] === label) !== invert) out[i] = 1;
    return out;
  }
  const hit = invert ? 0 : 1;
  for (; i < data.length; i++) out[i] = data[i] === label ? hit : 1 - hit;
  return out;
}

/**
 * 32-bit word views of `data` and `out` after their first `head` bytes, for the 8-bit
 * kernels that work four voxels at a time; null when the two are not equally aligned (or
 * too short for a word). The caller does bytes [0, head) and [end, length) one by one.
 */
function wordViews(data: Uint8Array, out: Uint8Array): { head: number; end: number; src: Uint32Array; dst: Uint32Array } | null {
  const head = (4 - (data.byteOffset & 3)) & 3;
  if ((out.byteOffset & 3) !== (data.byteOffset & 3) || data.length < head + 4) return null;
  const words = (data.length - head) >> 2;
  return {
    head,
    end: head + words * 4,
    src: new Uint32Array(data.buffer, data.byteOffset + head, words),
    dst: new Uint32Array(out.buffer, out.byteOffset + head, words),
  };
}

/**
 * 8-bit `equals` four voxels at a time on 32-bit words (SWAR: the per-byte zero test of
 * x = word ^ label-in-every-byte leaves a 1 in each byte where the label matched). Returns
 * how many voxels it did; the caller finishes the rest.
 */
function equalsWords(data: Uint8Array, label: number, invert: boolean, out: Uint8Array, accumulate: boolean): number {
  const views = wordViews(data, out);
  if (!views) return 0;
  const { head, end, src, dst } = views;
  for (let i = 0; i < head; i++) out[i] = (data[i] === label) !== invert ? 1 : accumulate ? out[i]! : 0;
  const splat = Math.imul(label, 0x01010101);
  const flip = invert ? 0x01010101 : 0;
  for (let w = 0; w < src.length; w++) {
    const x = src[w]! ^ splat;
    // High bit of each byte set iff that byte of x is zero (exact, no carries across bytes).
    const zero = ~(((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x | 0x7f7f7f7f);
    const hits = ((zero >>> 7) & 0x01010101) ^ flip;
    dst[w] = accumulate ? dst[w]! | hits : hits;
  }
  return end;
}

/**
 * 8-bit union through `lut` on 32-bit words: one load and one store per four voxels, and
 * all-background words (most of a mask) without lookups. Returns how many voxels it did;
 * the caller finishes the rest.
 */
function selectWords(data: Uint8Array, lut: Uint8Array, out: Uint8Array, accumulate: boolean): number {
  const views = wordViews(data, out);
  if (!views) return 0;
  const { head, end, src, dst } = views;
  for (let i = 0; i < head; i++) out[i] = accumulate ? out[i]! | lut[data[i]!]! : lut[data[i]!]!;
  const background = Math.imul(lut[0]!, 0x01010101);
  for (let w = 0; w < src.length; w++) {
    const x = src[w]!;
    const hits = x === 0 ? background : lut[x & 0xff]! | (lut[(x >>> 8) & 0xff]! << 8) | (lut[(x >>> 16) & 0xff]! << 16) | (lut[x >>> 24]! << 24);
    dst[w] = accumulate ? dst[w]! | hits : hits;
  }
  return end;
}

function select(data: LabelArray, labels: readonly number[], into?: Uint8Array, accumulate = false): Uint8Array {
  const out = accumulate ? checkAccumulateOut(into, data.length) : into ?? new Uint8Array(data.length);
  if (data.BYTES_PER_ELEMENT <= 2) {
    const lut = new Uint8Array(1 << bitsOf(data));
    for (const l of labels) if (l >= 0 && l < lut.length) lut[l] = 1;
    let i = data instanceof Uint8Array ? selectWords(data, lut, out, accumulate) : 0;
    if (accumulate) for (; i < data.length; i++) out[i] = out[i]! | lut[data[i]!]!;
    else for (; i < data.length; i++) out[i] = lut[data[i]!]!;
    return out;
  }
  // 32-bit labels: one set lookup per run of equal labels.
  const set = new Set(labels);
  if (!accumulate) out.fill(0, 0, data.length);
  let p = 0;
  while (p < data.length) {
    const v = data[p]!;
    const start = p++;
    while (p < data.length && data[p] === v) p++;
    if (set.has(v)) out.fill(1, start, p);
  }
  return out;
}

function selectLayers(parts: readonly LayerSelection[], length: number, into?: Uint8Array): Uint8Array {
  checkLayerSelections(parts, length, into);
  const out = into ?? new Uint8Array(length);
  // The first part written whole when it covers every voxel, the others OR-ed in.
  const whole = parts[0] !== undefined && parts[0].from === 0 && parts[0].to === length;
  if (!whole) out.fill(0, 0, length);
  parts.forEach((p, i) => {
    const data = p.data.subarray(p.from, p.to) as LabelArray, part = out.subarray(p.from, p.to);
    const accumulate = !(whole && i === 0);
    if (p.invert) equals(data, p.labels[0]!, true, part, accumulate);
    else select(data, p.labels, part, accumulate);
  });
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

function paintCounting(data: LabelArray, region: Uint8Array, label: number, keep: boolean): { under: ScanResult; painted: number } {
  const table = new LabelTable(bitsOf(data));
  const { counts } = table;
  let painted = 0;
  for (let i = 0; i < region.length; i++) {
    if (region[i] === 0) continue;
    const before = data[i]!;
    let s = table.slot(before);
    if (s < 0) s = -1 - s;
    counts[s] = counts[s]! + 1;
    if (keep && before !== 0) continue;
    data[i] = label;
    painted++;
  }
  return { under: table.result(false), painted };
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

/** Growable byte buffer for the codec's streams. */
class ByteStream {
  bytes: Uint8Array;
  length = 0;
  constructor(capacity: number) {
    this.bytes = new Uint8Array(Math.max(16, capacity));
  }
  private ensure(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const next = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n));
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }
  varint(v: number): void {
    this.ensure(5);
    while (v >= 0x80) {
      this.bytes[this.length++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.bytes[this.length++] = v;
  }
  value(v: number, size: number): void {
    this.ensure(size);
    for (let k = 0; k < size; k++) this.bytes[this.length++] = (v >>> (8 * k)) & 0xff;
  }
  byte(v: number): void {
    this.ensure(1);
    this.bytes[this.length++] = v;
  }
}

function rowEqualsPrevious(data: LabelArray, row: number, nx: number): boolean {
  const start = row * nx;
  if (row === 0) {
    for (let i = start; i < start + nx; i++) if (data[i] !== 0) return false;
    return true;
  }
  for (let i = start; i < start + nx; i++) if (data[i] !== data[i - nx]) return false;
  return true;
}

/** The "rle-rows" transform (see assembly/codec.ts for the layout). */
function encodeRows(data: LabelArray, rows: number, nx: number): Uint8Array {
  const size = data.BYTES_PER_ELEMENT;
  const ops = new ByteStream(rows);
  const values = new ByteStream(rows * size);
  const lengths = new ByteStream(rows);
  for (let r = 0; r < rows; r++) {
    if (rowEqualsPrevious(data, r, nx)) {
      ops.byte(0);
      continue;
    }
    const end = (r + 1) * nx;
    let p = r * nx;
    let k = 0;
    while (p < end) {
      const v = data[p]!;
      const start = p++;
      while (p < end && data[p] === v) p++;
      values.value(v, size);
      k++;
      if (p < end) lengths.varint(p - start);
    }
    ops.varint(k);
  }
  const out = new Uint8Array(RLE_HEAD + ops.length + values.length + lengths.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, rows, true);
  view.setUint32(4, nx, true);
  view.setUint32(8, ops.length, true);
  view.setUint32(12, values.length, true);
  view.setUint32(16, lengths.length, true);
  out.set(ops.bytes.subarray(0, ops.length), RLE_HEAD);
  out.set(values.bytes.subarray(0, values.length), RLE_HEAD + ops.length);
  out.set(lengths.bytes.subarray(0, lengths.length), RLE_HEAD + ops.length + values.length);
  return out;
}

/** Inverse of `encodeRows`, bounds-checked; false for any malformed stream. */
function decodeRows(src: Uint8Array, rows: number, nx: number, maxLabel: number, out: LabelArray, zeroed = false): boolean {
  if (src.length < RLE_HEAD || out.length < rows * nx) return false;
  const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
  if (view.getUint32(0, true) !== rows || view.getUint32(4, true) !== nx) return false;
  const no = view.getUint32(8, true), nv = view.getUint32(12, true), nl = view.getUint32(16, true);
  if (RLE_HEAD + no + nv + nl !== src.length) return false;
  const size = out.BYTES_PER_ELEMENT;
  let po = RLE_HEAD;
  const oe = po + no;
  let pv = oe;
  const ve = pv + nv;
  let pl = ve;
  const le = pl + nl;
  // The varint's end goes to `next` (no tuple per varint: decoding allocates nothing).
  let next = 0;
  const varint = (end: number, at: number): number => {
    let v = 0;
    for (let shift = 0; ; shift += 7) {
      if (at >= end || shift > 28) return -1;
      const b = src[at++]!;
      if (shift === 28 && b > 15) return -1;
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) {
        next = at;
        return v;
      }
    }
  };
  let aboveLabelled = false;
  for (let r = 0; r < rows; r++) {
    const row = r * nx;
    const k = varint(oe, po);
    if (k < 0) return false;
    po = next;
    if (k === 0) {
      // A background row over zeroed memory is already there.
      if (!zeroed || (r > 0 && aboveLabelled)) {
        if (r === 0) out.fill(0, row, row + nx);
        else out.copyWithin(row, row - nx, row);
      }
      continue;
    }
    if (k > nx) return false;
    let x = 0;
    aboveLabelled = false;
    for (let i = 0; i < k; i++) {
      if (pv + size > ve) return false;
      let v = 0;
      for (let b = 0; b < size; b++) v += src[pv + b]! * 2 ** (8 * b);
      pv += size;
      if (v > maxLabel) return false;
      let n: number;
      if (i + 1 === k) {
        n = nx - x;
        if (n === 0) return false;
      } else {
        n = varint(le, pl);
        if (n <= 0 || n > nx - x - 1) return false;
        pl = next;
      }
      if (v !== 0 || !zeroed) out.fill(v, row + x, row + x + n);
      aboveLabelled ||= v !== 0;
      x += n;
    }
  }
  return po === oe && pv === ve && pl === le;
}

/** The scan and the slabs' streams: in plain JS the two passes gain nothing from fusing. */
function scanEncode(data: LabelArray, dims: Dims, slabRows: number): ScanEncoded {
  checkSlabRows(slabRows);
  const rows = dims[0] * dims[1], nx = dims[2];
  const streams: Uint8Array[] = [];
  for (let r = 0; r < rows; r += slabRows) {
    const end = Math.min(rows, r + slabRows);
    streams.push(encodeRows(data.subarray(r * nx, end * nx) as LabelArray, end - r, nx));
  }
  return { scan: scan(data, dims, true), streams };
}

/** `Kernels.largest`: a plain loop (the WASM build compares 64 bytes a step). */
function largest(data: LabelArray): number {
  let max = 0;
  for (let i = 0; i < data.length; i++) if (data[i]! > max) max = data[i]!;
  return max;
}

/**
 * Each byte's eight voxels as two 32-bit words, built through bytes so they hold the
 * voxels in memory order whatever the platform's byte order.
 */
const UNPACKED = (() => {
  const bytes = new Uint8Array(256 * 8);
  for (let b = 0; b < 256; b++) for (let k = 0; k < 8; k++) bytes[b * 8 + k] = (b >> (7 - k)) & 1;
  return new Uint32Array(bytes.buffer);
})();

/**
 * `Kernels.unpackBits`: two table lookups and two word stores per packed byte, not a shift
 * and a store per voxel (`npm run bench files`, the Python archive rows on the js backend);
 * background bytes over zeroed memory are skipped. An `out` not on a 4-byte boundary goes voxel by voxel.
 */
function unpackBits(packed: Uint8Array, out: Uint8Array, zeroed = false): void {
  checkPacked(packed, out);
  const full = out.length >> 3;
  let done = 0;
  if ((out.byteOffset & 3) === 0) {
    const words = new Uint32Array(out.buffer, out.byteOffset, full * 2);
    for (let j = 0; j < full; j++) {
      const b = packed[j]!;
      if (zeroed && b === 0) continue;
      words[2 * j] = UNPACKED[2 * b]!;
      words[2 * j + 1] = UNPACKED[2 * b + 1]!;
    }
    done = full * 8;
  }
  for (let i = done; i < out.length; i++) out[i] = (packed[i >> 3]! >> (7 - (i & 7))) & 1;
}

/**
 * `Kernels.bitRuns`: bytes equal to the bit before them (empty ones outside a run, full ones
 * inside) are skipped with one compare; other bytes bit by bit.
 */
function bitRuns(packed: Uint8Array, start: number, count: number): Int32Array {
  checkBitRange(packed, start, count);
  const edges: number[] = [];
  const end = start + count;
  let inside = false;
  let bit = start;
  while (bit < end) {
    if ((bit & 7) === 0 && bit + 8 <= end) {
      const same = inside ? 0xff : 0;
      let byte = bit >>> 3;
      const last = end >>> 3;
      while (byte < last && packed[byte] === same) byte++;
      bit = byte << 3;
      if (bit + 8 > end) continue;
    }
    const v = packed[bit >>> 3]!;
    const stop = Math.min(end, (bit | 7) + 1);
    for (; bit < stop; bit++) {
      const set = ((v >>> (bit & 7)) & 1) === 1;
      if (set !== inside) {
        edges.push(bit - start);
        inside = set;
      }
    }
  }
  if (inside) edges.push(count);
  return Int32Array.from(edges);
}

/** Bit 0 of each byte of `w` set where that byte is non-zero. */
const nonZeroBytes = (w: number): number => {
  let t = w | (w >>> 4);
  t |= t >>> 2;
  t |= t >>> 1;
  return t & 0x01010101;
};
/**
 * Moves bit 0 of bytes 0-3 of a word (voxels 0-3) to bits 31-28, in that order: each
 * product lands on its own bit, so nothing carries.
 */
const GATHER = (1 << 31) | (1 << 22) | (1 << 13) | (1 << 4);

/**
 * `Kernels.packBits`: eight voxels read as two 32-bit words and gathered by a multiply,
 * not a branch per voxel. Words are read through a DataView-free Uint32Array, so the bytes'
 * order within a word is the platform's (little endian: voxel 0 in the low byte); an input
 * not on a 4-byte boundary, or a big-endian platform, goes voxel by voxel.
 */
function packBits(data: Uint8Array, given?: Uint8Array): Uint8Array {
  const out = packedOut(data, given);
  const full = data.length >> 3;
  let done = 0;
  if ((data.byteOffset & 3) === 0 && LITTLE_ENDIAN) {
    const words = new Uint32Array(data.buffer, data.byteOffset, full * 2);
    for (let j = 0; j < full; j++) {
      const hi = Math.imul(nonZeroBytes(words[2 * j]!), GATHER) >>> 28;
      const lo = Math.imul(nonZeroBytes(words[2 * j + 1]!), GATHER) >>> 28;
      out[j] = (hi << 4) | lo;
    }
    done = full;
  }
  for (let j = done; j < Math.ceil(data.length / 8); j++) {
    let b = 0;
    for (let k = 0, i = j * 8; k < 8 && i < data.length; k++, i++) if (data[i] !== 0) b |= 128 >> k;
    out[j] = b;
  }
  return out;
}

/** The pure-JS kernels: always available, and the reference the WASM kernels must equal. */
export const jsKernels: Kernels = {
  name: "js",
  occupied,
  // The engine's own loop over the typed array (no JS per element).
  contains: (data, label) => data.includes(label),
  scan,
  scanEncode,
  countUnder,
  equals,
  select,
  selectLayers,
  paint,
  paintCounting,
  countOverlap,
  encodeRows,
  decodeRows,
  unpackBits,
  packBits,
  bitRuns,
  largest,
};
