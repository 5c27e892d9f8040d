import { GeometryError, InputError, describeValue } from "./errors.js";
import { getKernels, type Box6, type Dims } from "./kernels/index.js";
import { scanOccupied } from "./kernels/occupied.js";
import { SegmentationMask } from "./mask.js";
import { SAME_GRID_TOLERANCE, type Space } from "./space.js";

/** A binary mask (non-zero = inside) or a SegmentationMask (any label = inside). */
export type OverlapInput = Uint8Array | SegmentationMask<string>;

/** Named masks: an object, a Map, or `[name, mask]` entries. */
export type NamedMasks = Readonly<Record<string, OverlapInput>> | Iterable<readonly [string, OverlapInput]>;

/** Two masks that share voxels. */
export interface Overlap {
  a: string;
  b: string;
  /** Voxels inside both. */
  voxels: number;
}

interface Prepared {
  name: string;
  binary: Uint8Array;
  box: Box6;
}

function entriesOf(masks: NamedMasks): Array<readonly [string, OverlapInput]> {
  if (typeof (masks as Iterable<unknown>)[Symbol.iterator] === "function") return [...(masks as Iterable<readonly [string, OverlapInput]>)];
  if (typeof masks === "object" && masks !== null) return Object.entries(masks);
  throw new InputError("INVALID_ARGUMENT", "findOverlaps takes named masks: an object, a Map or [name, mask] entries.");
}

/**
 * Every pair of masks that overlap, with the number of shared voxels, in input order.
 * Bounding boxes prune the pairs, so only boxes that intersect are counted voxel by voxel.
 * @example findOverlaps({ liver, spleen }) // [{ a: "liver", b: "spleen", voxels: 12 }]
 * @param options.shape the (z, y, x) shape of plain Uint8Array masks (default: flat)
 */
export function findOverlaps(masks: NamedMasks, options: { shape?: readonly number[] } = {}): Overlap[] {
  const kernels = getKernels();
  const entries = entriesOf(masks);
  let dims: Dims | null = options.shape ? [options.shape[0]!, options.shape[1]!, options.shape[2]!] : null;
  const prepared: Prepared[] = [];
  let first: { name: string; space: Space } | null = null;
  for (const [name, mask] of entries) {
    const isSeg = mask instanceof SegmentationMask;
    // Voxels of two grids are not the same places: counting index by index would be wrong.
    if (isSeg) {
      first ??= { name, space: mask.space };
      if (!first.space.equals(mask.space, SAME_GRID_TOLERANCE)) {
        throw new GeometryError("SPACE_MISMATCH", `Masks "${first.name}" and "${name}" lie on different grids (their spaces differ), so their voxels are not the same places; resample one onto the other's space first.`);
      }
    }
    const binary = isSeg ? mask.toBinary() : mask;
    if (!(binary instanceof Uint8Array)) {
      throw new InputError("INVALID_DATA", `Mask ${describeValue(name)} must be a Uint8Array or a SegmentationMask.`);
    }
    dims ??= isSeg ? mask.shape : [1, 1, binary.length];
    if (binary.length !== dims[0] * dims[1] * dims[2]) {
      throw new GeometryError("SHAPE_MISMATCH", `Mask "${name}" has ${binary.length} voxels; expected ${dims.join("x")} like the others.`);
    }
    const scan = scanOccupied(kernels, binary, dims, true);
    let box: number[] | null = null;
    scan.labels.forEach((label, i) => {
      if (label === 0) return;
      const b = scan.boxes.subarray(i * 6, i * 6 + 6);
      box = box ? box.map((v, k) => (k < 3 ? Math.min(v, b[k]!) : Math.max(v, b[k]!))) : [...b];
    });
    if (box) prepared.push({ name, binary, box: box as unknown as Box6 });
  }
  const found: Overlap[] = [];
  for (let i = 0; i < prepared.length; i++) {
    for (let j = i + 1; j < prepared.length; j++) {
      const a = prepared[i]!, b = prepared[j]!;
      const box = [0, 1, 2, 3, 4, 5].map((k) => (k < 3 ? Math.max(a.box[k]!, b.box[k]!) : Math.min(a.box[k]!, b.box[k]!)));
      if (box[0]! > box[3]! || box[1]! > box[4]! || box[2]! > box[5]!) continue;
      const voxels = kernels.countOverlap(a.binary, b.binary, dims!, box as unknown as Box6);
      if (voxels > 0) found.push({ a: a.name, b: b.name, voxels });
    }
  }
  return found;
}
