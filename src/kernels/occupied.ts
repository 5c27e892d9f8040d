import type { LabelArray } from "../bitdepth.js";
import type { Dims, Kernels, ScanResult } from "./types.js";
import { isResident } from "./wasm-instance.js";
import { zeroSearch } from "./zero-search.js";

// Most masks are background in most slices (a TotalSegmentator organ fills a few percent of
// the scan). Every pass that reads a whole mask (scans, the encoder) therefore first finds
// the first and last labelled voxel from both ends (`Kernels.occupied`, a plain OR of the
// background) and runs only over the z-slices between them; the background outside is
// accounted here, once, for every backend.

/** The box of background, which scans do not compute (see `ScanResult.boxes`). */
const NO_BOX = Int32Array.of(-1, -1, -1, -1, -1, -1);

/** The z-slices [z0, z1] that hold any non-zero voxel, or null when all is background. */
export function occupiedSlices(kernels: Kernels, data: LabelArray, dims: Dims): [number, number] | null {
  const ends = dims[0] * dims[1] * dims[2] === 0 ? null : occupiedEnds(kernels, data);
  if (!ends) return null;
  const slice = dims[1] * dims[2];
  return [Math.floor(ends[0] / slice), Math.floor(ends[1] / slice)];
}

/**
 * `kernels.occupied(data)`, searched in place by the platform when it registered a search
 * (Node) and the voxels are not in WASM memory, where the kernels read them in place.
 */
export function occupiedEnds(kernels: Kernels, data: LabelArray): [number, number] | null {
  const search = zeroSearch();
  if (!search || isResident(data)) return kernels.occupied(data);
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const leading = search.leadingZeros(bytes);
  if (leading === bytes.length) return null;
  const last = bytes.length - 1 - search.trailingZeros(bytes.subarray(leading));
  const size = data.BYTES_PER_ELEMENT;
  return [Math.floor(leading / size), Math.floor(last / size)];
}

/** A pass over the occupied slices: its scan of them, and whatever else it produced. */
export interface OccupiedPass<T> {
  /** The pass's scan widened to the whole volume (boxes in whole-volume z). */
  scan: ScanResult;
  /** What the pass returned besides its scan; null when the volume is all background. */
  extra: T | null;
  /** The slices the pass ran over, or null when all is background. */
  slices: [number, number] | null;
}

/**
 * Runs `pass` over the occupied z-slices of `data` only, and returns its scan as if it had
 * read the whole volume: the same counts and boxes as a full scan (background is counted
 * outside the range; it never has a box). `known`: slices known to hold every label (a
 * superset is fine; null when all is background), so the search for them is skipped.
 */
export function overOccupied<T>(
  kernels: Kernels,
  data: LabelArray,
  dims: Dims,
  withBoxes: boolean,
  pass: (part: LabelArray, partDims: Dims) => { scan: ScanResult; extra: T },
  known?: [number, number] | null,
): OccupiedPass<T> {
  const total = dims[0] * dims[1] * dims[2];
  const slices = known !== undefined ? known : occupiedSlices(kernels, data, dims);
  if (!slices) {
    const scan: ScanResult =
      total === 0
        ? { labels: new Uint32Array(0), counts: new Float64Array(0), boxes: new Int32Array(0) }
        : { labels: Uint32Array.of(0), counts: Float64Array.of(total), boxes: withBoxes ? NO_BOX.slice() : new Int32Array(0) };
    return { scan, extra: null, slices };
  }
  const [z0, z1] = slices;
  const slice = dims[1] * dims[2];
  const part = data.subarray(z0 * slice, (z1 + 1) * slice) as LabelArray;
  const { scan, extra } = pass(part, [z1 - z0 + 1, dims[1], dims[2]]);
  return { scan: widen(scan, z0, total - part.length, withBoxes), extra, slices };
}

/** The scan of slices from `z0` on, as the scan of a volume with `outside` more background voxels. */
function widen(result: ScanResult, z0: number, outside: number, withBoxes: boolean): ScanResult {
  if (withBoxes && z0 > 0) {
    for (let i = 0; i < result.labels.length; i++) {
      if (result.labels[i] === 0) continue;
      result.boxes[i * 6] = result.boxes[i * 6]! + z0;
      result.boxes[i * 6 + 3] = result.boxes[i * 6 + 3]! + z0;
    }
  }
  if (outside === 0) return result;
  const zero = result.labels.indexOf(0);
  if (zero >= 0) {
    result.counts[zero] = result.counts[zero]! + outside;
    return result;
  }
  // Background only outside the range: it comes first in C order when z0 > 0.
  const labels = z0 > 0 ? [0, ...result.labels] : [...result.labels, 0];
  const counts = z0 > 0 ? [outside, ...result.counts] : [...result.counts, outside];
  const box = [...NO_BOX];
  const boxes = withBoxes ? (z0 > 0 ? [...box, ...result.boxes] : [...result.boxes, ...box]) : [];
  return { labels: Uint32Array.from(labels), counts: Float64Array.from(counts), boxes: Int32Array.from(boxes) };
}

/**
 * `kernels.scan` restricted to the occupied slices; counts and boxes are the same as a full
 * scan's.
 */
export function scanOccupied(kernels: Kernels, data: LabelArray, dims: Dims, withBoxes: boolean, known?: [number, number] | null): ScanResult {
  return overOccupied(kernels, data, dims, withBoxes, (part, partDims) => ({ scan: kernels.scan(part, partDims, withBoxes), extra: null }), known).scan;
}
