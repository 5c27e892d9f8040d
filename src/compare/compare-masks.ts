// compareMasks: two masks of one grid, label by label (paired by name or by number): overlap
// (Dice, Jaccard, volumes) and surface distances (Hausdorff, HD at a percentile, ASSD,
// normalised surface Dice), as MONAI computes them (SPEC section 15).
import { GeometryError, InputError, describeValue } from "../errors.js";
import { getKernels } from "../kernels/index.js";
import { distanceKernels } from "../kernels/distance.js";
import type { Box6, Dims } from "../kernels/types.js";
import { SegmentationMask } from "../mask.js";
import { checkOptions } from "../options.js";
import { SAME_GRID_TOLERANCE } from "../space.js";
import type { LabelStat } from "../stats.js";
import { percentileOf } from "./percentile.js";

/** Options of `compareMasks`. */
export interface CompareOptions {
  /** Only these names (default: every name of either mask). */
  names?: readonly string[];
  /** Pair labels by name (default; different numbering compares right) or by number. */
  match?: "name" | "label";
  /** The percentile of `hd95` (default 95). */
  percentile?: number;
  /** The tolerance of `nsd`, in mm (default 1). */
  toleranceMm?: number;
}

/** One label compared: A is the first mask (the reference, say), B the second. */
export interface CompareRow {
  name: string;
  /** The label in each mask; null where that mask has no such name (or label). */
  labelA: number | null;
  labelB: number | null;
  voxelsA: number;
  voxelsB: number;
  /** Voxels in both. */
  intersection: number;
  dice: number;
  jaccard: number;
  /** Volume of B minus volume of A, in mL. */
  volumeDifferenceMl: number;
  /** The largest of both directed surface distances (mm). */
  hausdorff: number;
  /** The larger of the two directed distances' `percentile` (mm). */
  hd95: number;
  /** Average symmetric surface distance (mm): both directed sets' sum over their count. */
  assd: number;
  /** Normalised surface Dice: the share of both surfaces within `toleranceMm` of the other. */
  nsd: number;
  /** Which side holds no voxel of the label: null (neither), "a", "b" or "both". */
  empty: null | "a" | "b" | "both";
}

const OPTIONS = ["names", "match", "percentile", "toleranceMm"] as const;

interface Side {
  label: number | null;
  stat: LabelStat | null;
}

function checkCompareOptions(options: CompareOptions): Required<Omit<CompareOptions, "names">> & { names?: readonly string[] } {
  checkOptions(options, OPTIONS, "compareMasks");
  const { names, match = "name", percentile = 95, toleranceMm = 1 } = options;
  if (match !== "name" && match !== "label") throw new InputError("INVALID_ARGUMENT", `match is "name" or "label", got ${describeValue(match)}.`);
  if (!(typeof percentile === "number" && percentile >= 0 && percentile <= 100)) throw new InputError("INVALID_ARGUMENT", `percentile must be a number from 0 to 100, got ${describeValue(percentile)}.`);
  if (!(typeof toleranceMm === "number" && toleranceMm >= 0 && Number.isFinite(toleranceMm))) throw new InputError("INVALID_ARGUMENT", `toleranceMm must be a finite number of mm, at least 0, got ${describeValue(toleranceMm)}.`);
  if (names !== undefined && !(Array.isArray(names) && names.every((n) => typeof n === "string"))) throw new InputError("INVALID_ARGUMENT", `names must be an array of label names, got ${describeValue(names)}.`);
  return { names, match, percentile, toleranceMm };
}

/** The pairs to compare: [row name, label in a, label in b]. */
function pairs(a: SegmentationMask<string>, b: SegmentationMask<string>, match: "name" | "label", names: readonly string[] | undefined): Array<[string, number | null, number | null]> {
  if (match === "name") {
    const all = names ?? [...new Set([...a.mapping.names(), ...b.mapping.names()])];
    const unknown = all.filter((n) => !a.mapping.hasName(n) && !b.mapping.hasName(n));
    // Spelled wrong in both is the caller's mistake, not a row of two empties.
    if (unknown.length > 0) a.mapping.get(unknown[0]!);
    return all.map((n) => [n, a.mapping.hasName(n) ? a.mapping.get(n) : null, b.mapping.hasName(n) ? b.mapping.get(n) : null]);
  }
  const labels = [...new Set([...a.mapping.labels(), ...b.mapping.labels()])].sort((x, y) => x - y);
  const rows = labels.map((l): [string, number | null, number | null] => [a.mapping.hasLabel(l) ? a.mapping.inverse(l) : b.mapping.inverse(l), a.mapping.hasLabel(l) ? l : null, b.mapping.hasLabel(l) ? l : null]);
  return names ? rows.filter(([n]) => names.includes(n)) : rows;
}

/**
 * Compares two masks of one grid label by label: per label, voxel counts, intersection,
 * Dice, Jaccard, the volume difference (B - A, mL) and surface distances (mm), paired by name
 * by default so that masks numbered differently compare right; a name in one mask only is a
 * row with the other side empty. Definitions as MONAI's: a label's surface is its voxels with
 * a 6-neighbour outside it (the grid's edge counts as outside); distances are exact Euclidean
 * distances between voxel centres through the spacing; `hd95` is the larger of the two
 * directed sets' percentile (numpy's linear interpolation). One side empty: dice and jaccard
 * 0, distances Infinity, nsd 0; both empty: every metric NaN. SHAPE_MISMATCH / SPACE_MISMATCH
 * for masks of different grids (resample first). Layered masks compare label by label.
 * @example compareMasks(truth, prediction).map((r) => [r.name, r.dice, r.hd95])
 */
export function compareMasks(a: SegmentationMask<string>, b: SegmentationMask<string>, options: CompareOptions = {}): CompareRow[] {
  if (!(a instanceof SegmentationMask) || !(b instanceof SegmentationMask)) throw new InputError("INVALID_ARGUMENT", "compareMasks takes two SegmentationMasks.");
  const { names, match, percentile, toleranceMm } = checkCompareOptions(options);
  if (a.shape.some((n, i) => n !== b.shape[i])) throw new GeometryError("SHAPE_MISMATCH", `The masks' shapes differ (${a.shape.join("x")} and ${b.shape.join("x")}); resample one onto the other's space first.`);
  if (!a.space.equals(b.space, SAME_GRID_TOLERANCE)) throw new GeometryError("SPACE_MISMATCH", "The masks lie on different grids (their spacing, origin or orientation differ); resample one onto the other's space first.");
  const statsA = new Map(a.labelStats().map((s) => [s.label, s]));
  const statsB = new Map(b.labelStats().map((s) => [s.label, s]));
  const spacing = a.space.spacing as unknown as readonly [number, number, number];
  const voxelMl = a.space.voxelVolume / 1000;
  const kernels = getKernels();
  const distance = distanceKernels(kernels);
  // One buffer pair, grown to the largest box: memory follows the largest organ, not their number.
  let bufA = new Uint8Array(0), bufB = new Uint8Array(0);
  return pairs(a, b, match, names).map(([name, labelA, labelB]) => {
    const A: Side = { label: labelA, stat: labelA === null ? null : (statsA.get(labelA) ?? null) };
    const B: Side = { label: labelB, stat: labelB === null ? null : (statsB.get(labelB) ?? null) };
    const voxelsA = A.stat?.voxels ?? 0, voxelsB = B.stat?.voxels ?? 0;
    const row = { name, labelA, labelB, voxelsA, voxelsB, volumeDifferenceMl: (voxelsB - voxelsA) * voxelMl };
    if (voxelsA === 0 || voxelsB === 0) {
      const empty = voxelsA === 0 && voxelsB === 0 ? "both" : voxelsA === 0 ? "a" : "b";
      const none = empty === "both" ? NaN : 0;
      const far = empty === "both" ? NaN : Infinity;
      return { ...row, intersection: 0, dice: none, jaccard: none, hausdorff: far, hd95: far, assd: far, nsd: none, empty };
    }
    // The union of both boxes holds every surface voxel of either, so distances in it are exact.
    const ba = A.stat!.bbox!, bb = B.stat!.bbox!;
    const box = [0, 1, 2].map((k) => Math.min(ba.min[k]!, bb.min[k]!)).concat([0, 1, 2].map((k) => Math.max(ba.max[k]!, bb.max[k]!))) as unknown as Box6;
    const dims: Dims = [box[3]! - box[0]! + 1, box[4]! - box[1]! + 1, box[5]! - box[2]! + 1];
    const n = dims[0] * dims[1] * dims[2];
    if (bufA.length < n) [bufA, bufB] = [new Uint8Array(n), new Uint8Array(n)];
    const inA = bufA.subarray(0, n), inB = bufB.subarray(0, n);
    distance.cropLabel(a.layers[a.layerOf(labelA!)]!, labelA!, a.shape, box, inA);
    distance.cropLabel(b.layers[b.layerOf(labelB!)]!, labelB!, b.shape, box, inB);
    const intersection = kernels.countOverlap(inA, inB, dims, [0, 0, 0, dims[0] - 1, dims[1] - 1, dims[2] - 1]);
    const { ab, ba: back } = distance.surfaceDistances(inA, inB, dims, spacing);
    let max = 0, sum = 0, within = 0;
    for (const set of [ab, back]) {
      for (let i = 0; i < set.length; i++) {
        const d = set[i]!;
        if (d > max) max = d;
        sum += d;
        if (d <= toleranceMm) within++;
      }
    }
    const count = ab.length + back.length;
    return {
      ...row,
      intersection,
      dice: (2 * intersection) / (voxelsA + voxelsB),
      jaccard: intersection / (voxelsA + voxelsB - intersection),
      hausdorff: max,
      hd95: Math.max(percentileOf(ab, percentile), percentileOf(back, percentile)),
      assd: sum / count,
      nsd: within / count,
      empty: null,
    };
  });
}
