import {
  allocLabels,
  bitDepthOf,
  bytesPerVoxel,
  checkBitDepth,
  checkLabelInRange,
  checkLabelValue,
  checkVoxelCount,
  maxLabel,
  type BitDepth,
  type LabelArray,
} from "./bitdepth.js";
import { checkOptions } from "./options.js";
import { GeometryError, InputError, LabelError, OverlapError, ResourceError, describeValue } from "./errors.js";
import { getKernels, isResident, residentLabels, residentMaskBuffer, type Dims, type ScanResult } from "./kernels/index.js";
import { occupiedSlices, scanOccupied } from "./kernels/occupied.js";
import { LabelMapping, checkName, isLabelMapping, type MappingInit } from "./mapping.js";
import { toRegion, type RegionLike } from "./region.js";
import { Space, type SpaceInit, type Vec3 } from "./space.js";
import { fallbackName, statsFromScan, type LabelStat } from "./stats.js";
import { loadMask, saveMask, type SaveOptions } from "./files.js";
import type { DecodeOptions } from "./format/mask-file.js";

/** What `addLabel` does where the new region covers voxels that already have a label. */
export type OverlapPolicy = "overwrite" | "keep" | "error";

/** Voxels of one existing label covered by a new region. */
export interface OverlapCount {
  label: number;
  name: string;
  voxels: number;
}

/** What `addLabel` did. */
export interface AddLabelResult {
  /** Voxels that carry the new label after the call. */
  voxels: number;
  /** Region voxels that already had another label. */
  overlapped: number;
  /** The labels that were overlapped, ascending. */
  overlappedLabels: number[];
  /** Per overlapped label, how many of its voxels the region covered. */
  overlapCounts: OverlapCount[];
}

/** Names a mask knows: its mapping's, plus `idx_<label>` for labels found only in the data. */
export type MaskName<N extends string> = N | `idx_${number}`;

/** Options of the `SegmentationMask` constructor. */
export interface MaskOptions {
  /** 1 for binary masks stored in a Uint8Array; otherwise taken from the array type. */
  bitDepth?: BitDepth;
  /**
   * The mapping is known to name every label in the data (a decoder whose file lists its
   * labels, checked by CRC), so the scan for unnamed labels is skipped. Default false.
   */
  mappingComplete?: boolean;
}

/** Options of `SegmentationMask.lazyInit`: a space, or just a shape. */
export type LazyInitOptions<N extends string = string> = ({ space: Space | SpaceInit } | { shape: readonly number[] }) & {
  mapping?: MappingInit<N>;
  /**
   * Make the voxels resident (as `toResident()` would leave them) from the start, so every
   * `addLabel` paints them in place and no copy is needed after: for a mask built to be
   * queried many times (a viewer). OUT_OF_MEMORY above 1 GiB of voxels; WASM_UNAVAILABLE
   * where WASM cannot load.
   */
  resident?: boolean;
};

function toSpace(space: Space | SpaceInit | undefined, length: number): Space {
  if (space instanceof Space) return space;
  if (space !== undefined) return new Space(space);
  if (length === 0) throw new GeometryError("INVALID_SHAPE", "An empty array needs a Space with a positive shape.");
  return new Space({ shape: [1, 1, length] });
}

/** Options of the binary-mask queries. */
export interface BinaryMaskOptions {
  /** Where to write the mask: a Uint8Array of exactly one byte per voxel (it is returned). */
  out?: Uint8Array;
}

/** `out` when it fits the volume; INVALID_ARGUMENT otherwise (never a partial write). */
function checkOut(out: Uint8Array | undefined, voxels: number): Uint8Array | undefined {
  if (out === undefined) return undefined;
  if (!(out instanceof Uint8Array) || out.length !== voxels) {
    throw new InputError("INVALID_ARGUMENT", `out must be a Uint8Array of ${voxels} bytes (one per voxel), got ${describeValue(out)}.`);
  }
  return out;
}

/**
 * Key of an internal method (not exported by the package): label statistics computed by a
 * pass the library supplies instead of the plain scan. The encoder scans and encodes in one
 * pass, so a save reads the voxels once.
 */
export const statsPass: unique symbol = Symbol("medmask.statsPass");

/**
 * A label volume that carries its own name <-> label mapping and geometry, so code asks
 * for "liver", never for 1. Data is C-order in `space.shape` order (z, y, x), x fastest.
 * @example
 * const seg = new SegmentationMask(data, { liver: 1, spleen: 2 }, new Space({ shape: [1, 3, 4] }));
 * seg.getBinaryMaskByNames(["liver", "spleen"]); // Uint8Array of 0/1
 */
export class SegmentationMask<N extends string = string> {
  readonly space: Space;
  readonly bitDepth: BitDepth;
  #data: LabelArray | null;
  #mapping: LabelMapping<string>;
  /** Whether every label in the data has a name yet (naming waits for the first scan). */
  #named = false;
  /**
   * Labels known to be in the data, kept while only this class writes the voxels (masks from
   * `lazyInit` filled by `addLabel`); any read of `data` by the caller drops it, because the
   * caller may write. It spares addLabel a whole-volume search per label.
   */
  #present: Set<number> | null = null;
  /** The buffer `maskBuffer()` returns (a resident volume's own, beside its voxels). */
  #maskBuffer: Uint8Array | null = null;

  /**
   * Wraps `data` (not copied). Labels in the data but not in `mapping` are named
   * `idx_<label>`. Throws SHAPE_MISMATCH when `data.length` is not the product of
   * `space.shape`, LABEL_OUT_OF_RANGE when a label does not fit the bit depth.
   */
  constructor(data: LabelArray, mapping?: MappingInit<N>, space?: Space | SpaceInit, options: MaskOptions = {}) {
    this.bitDepth = bitDepthOf(data, options.bitDepth);
    // Up front: past 4 GiB of voxel bytes every pass would fail on its byte view.
    checkVoxelCount(data.length, data.BYTES_PER_ELEMENT as 1 | 2 | 4);
    this.space = toSpace(space, data.length);
    if (data.length !== this.space.voxelCount) {
      throw new GeometryError(
        "SHAPE_MISMATCH",
        `Mask data has ${data.length} voxels but the space shape ${JSON.stringify(this.space.shape)} holds ${this.space.voxelCount}.`,
      );
    }
    this.#data = data;
    // Copied, so addLabel never edits a mapping the caller still holds.
    this.#mapping = isLabelMapping(mapping) ? mapping.clone() : new LabelMapping(mapping as MappingInit<string>);
    for (const label of this.#mapping.labels()) checkLabelInRange(label, this.bitDepth);
    // Naming labels that the mapping lacks needs a pass over the data; it is done on first
    // use (or by the first labelStats/presentLabels scan), so building a mask costs nothing.
    // Bit depth 1 is checked now: a value above 1 must fail here, not later.
    this.#named = options.mappingComplete === true;
    if (this.bitDepth === 1 && !this.#named) this.#nameFrom(this.#scan(false));
  }

  /**
   * An all-background mask to fill with `addLabel` (`resident: true`: in WASM memory of its own).
   * @example const seg = SegmentationMask.lazyInit(8, { shape: [2, 2, 2] });
   */
  static lazyInit<N extends string = string>(bitDepth: BitDepth, options: LazyInitOptions<N>): SegmentationMask<N> {
    const depth = checkBitDepth(bitDepth);
    const space = "space" in options && options.space !== undefined ? toSpace(options.space, 0) : new Space({ shape: (options as { shape: number[] }).shape });
    // Both are zeroed: all background, nothing to name.
    const data = options.resident === true ? residentLabels(bytesPerVoxel(depth), space.voxelCount).data : allocLabels(depth, space.voxelCount);
    const mask = new SegmentationMask<N>(data, options.mapping, space, { bitDepth: depth, mappingComplete: true });
    mask.#present = new Set();
    return mask;
  }

  /** The label voxels (C order, `shape` order). Throws DISPOSED after `dispose()`. */
  get data(): LabelArray {
    this.#present = null; // the caller may write
    return this.#voxels();
  }

  #voxels(): LabelArray {
    if (!this.#data) throw new ResourceError("DISPOSED", "This SegmentationMask was disposed; its data is gone.");
    return this.#data;
  }

  /** The name <-> label mapping (every label in the data has a name). */
  get mapping(): LabelMapping<N> {
    this.#ensureNamed();
    return this.#mapping as LabelMapping<N>;
  }

  /** The array shape (z, y, x): `space.shape`. */
  get shape(): Vec3 {
    return this.space.shape;
  }

  /** Whether `dispose()` was called. */
  get disposed(): boolean {
    return this.#data === null;
  }

  #scan(withBoxes: boolean): ScanResult {
    return scanOccupied(getKernels(), this.#voxels(), this.space.shape, withBoxes);
  }

  #ensureNamed(): void {
    if (!this.#named) this.#nameFrom(this.#scan(false));
  }

  /** Names every label of `scan` that the mapping lacks `idx_<label>`. */
  #nameFrom(scan: ScanResult): void {
    for (const label of scan.labels) {
      if (label === 0 || this.#mapping.hasLabel(label)) continue;
      checkLabelInRange(label, this.bitDepth);
      let name = fallbackName(label);
      for (let k = 2; this.#mapping.hasName(name); k++) name = `${fallbackName(label)}_${k}`;
      this.#mapping.set(name, label);
    }
    this.#named = true;
  }

  /** Checks query labels: integers, in range, and mapped (0, the background, is allowed). */
  #checkQueryLabels(labels: readonly number[]): void {
    this.#ensureNamed();
    for (const label of labels) {
      if (label === 0) continue;
      checkLabelValue(label);
      if (label > maxLabel(this.bitDepth)) checkLabelInRange(label, this.bitDepth);
      if (!this.#mapping.hasLabel(label)) this.#mapping.inverse(label); // throws UNKNOWN_LABEL
    }
  }

  /**
   * Binary mask (0/1) of one name or of the union of several names. With `out` (a
   * Uint8Array of one byte per voxel) the mask is written there and `out` is returned: a
   * loop over many queries then reuses one buffer instead of allocating (and page-faulting)
   * a new volume each time.
   * @example seg.getBinaryMaskByNames("liver"); seg.getBinaryMaskByNames(["liver", "spleen"], { out: buffer });
   */
  getBinaryMaskByNames(names: MaskName<N> | readonly MaskName<N>[], options: BinaryMaskOptions = {}): Uint8Array {
    checkOptions(options, ["out"], "getBinaryMaskByNames");
    const list = typeof names === "string" ? [names] : [...names];
    this.#ensureNamed();
    return this.#select(list.map((name) => this.#mapping.get(name)), options.out);
  }

  /**
   * Binary mask (0/1) of one label or of the union of several labels; `out` as in
   * `getBinaryMaskByNames`.
   * @example seg.getBinaryMaskByLabels([1, 2]);
   */
  getBinaryMaskByLabels(labels: number | readonly number[], options: BinaryMaskOptions = {}): Uint8Array {
    checkOptions(options, ["out"], "getBinaryMaskByLabels");
    const list = typeof labels === "number" ? [labels] : [...labels];
    this.#checkQueryLabels(list);
    return this.#select(list, options.out);
  }

  #select(labels: number[], out: Uint8Array | undefined): Uint8Array {
    const kernels = getKernels();
    const unique = [...new Set(labels)];
    const voxels = this.#voxels();
    const target = checkOut(out, voxels.length);
    if (unique.length === 0) return target ? target.fill(0) : new Uint8Array(voxels.length);
    if (unique.length === 1) return kernels.equals(voxels, unique[0]!, false, target);
    return kernels.select(voxels, unique, target);
  }

  /**
   * Binary mask (0/1) of every labelled (non-zero) voxel; `out` as in `getBinaryMaskByNames`.
   * @example const body = seg.toBinary();
   */
  toBinary(options: BinaryMaskOptions = {}): Uint8Array {
    checkOptions(options, ["out"], "toBinary");
    const voxels = this.#voxels();
    return getKernels().equals(voxels, 0, true, checkOut(options.out, voxels.length));
  }

  /** Labels that occur in the data (background excluded), ascending. */
  presentLabels(): number[] {
    const scan = this.#scan(false);
    if (!this.#named) this.#nameFrom(scan);
    return [...scan.labels].filter((l) => l !== 0).sort((a, b) => a - b);
  }

  /**
   * Voxel count, volume (mm^3 and mL) and inclusive bounding box of every mapped label, in
   * one pass over the data; labels without voxels have `voxels: 0` and `bbox: null`. Given
   * `names` (one or a list), only those, in that order (UNKNOWN_NAME for a name not mapped).
   * @example seg.labelStats("liver")[0].volumeMl; seg.labelStats(["liver", "spleen"]);
   */
  labelStats(names?: MaskName<N> | readonly MaskName<N>[]): LabelStat[] {
    const list = names === undefined ? null : typeof names === "string" ? [names] : Array.isArray(names) ? [...(names as readonly string[])] : null;
    if (names !== undefined && (list === null || list.some((n) => typeof n !== "string"))) {
      throw new InputError("INVALID_ARGUMENT", `labelStats takes a name or a list of names, got ${describeValue(names)}.`);
    }
    const all = this[statsPass]((data, dims) => ({ scan: scanOccupied(getKernels(), data, dims, true), extra: null })).stats;
    if (list === null) return all;
    const byLabel = new Map(all.map((s) => [s.label, s]));
    return list.map((name) => byLabel.get(this.#mapping.get(name))!);
  }

  /**
   * Every label's statistics, in label order (one pass over the data):
   * `for (const { name, volumeMl } of seg) ...`.
   */
  *[Symbol.iterator](): IterableIterator<LabelStat> {
    yield* this.labelStats();
  }

  /**
   * `labelStats()` with the voxels read by `pass`, which returns the scan with boxes and
   * anything else it made in the same read (see `statsPass`).
   */
  [statsPass]<T>(pass: (data: LabelArray, dims: Dims) => { scan: ScanResult; extra: T }): { stats: LabelStat[]; extra: T } {
    const { scan, extra } = pass(this.#voxels(), this.space.shape);
    if (!this.#named) this.#nameFrom(scan);
    return { stats: statsFromScan(scan, this.#mapping, this.space), extra };
  }

  /**
   * Paints `region` with a new `label` called `name`. Throws DUPLICATE_LABEL when the label
   * is mapped or already in the data, DUPLICATE_NAME for a mapped name. Where the region
   * covers other labels, `onOverlap` decides: "overwrite" (default, as in Python), "keep"
   * the existing labels, or "error" (throws OVERLAP and leaves the mask untouched).
   * @example seg.addLabel(region, 1, "liver", { onOverlap: "error" })
   */
  addLabel<M extends string>(
    region: RegionLike,
    label: number,
    name: M,
    options: { onOverlap?: OverlapPolicy } = {},
  ): AddLabelResult {
    checkOptions(options, ["onOverlap"], "addLabel");
    const policy = options.onOverlap ?? "overwrite";
    if (policy !== "overwrite" && policy !== "keep" && policy !== "error") {
      throw new InputError("INVALID_ARGUMENT", `onOverlap must be "overwrite", "keep" or "error", got ${describeValue(policy)}.`);
    }
    checkLabelInRange(label, this.bitDepth);
    this.#ensureNamed();
    const voxels = this.#voxels();
    if (this.#mapping.hasLabel(label) || (this.#present ? this.#present.has(label) : getKernels().contains(voxels, label))) {
      throw new LabelError("DUPLICATE_LABEL", `Label ${label} already exists in the mask array.`);
    }
    checkName(name);
    if (this.#mapping.hasName(name)) {
      throw new LabelError("DUPLICATE_NAME", `Name "${name}" already exists (label ${this.#mapping.get(name)}); choose another name.`);
    }
    const inside = toRegion(region, voxels.length);
    const kernels = getKernels();
    // Only the z-slices the region touches take part (organs span a fraction of a scan).
    const range = occupiedSlices(kernels, inside, this.space.shape);
    if (!range) {
      this.#mapping.set(name, label);
      return { voxels: 0, overlapped: 0, overlappedLabels: [], overlapCounts: [] };
    }
    const slice = this.space.shape[1] * this.space.shape[2];
    const from = range[0] * slice, to = (range[1] + 1) * slice;
    const part = voxels.subarray(from, to) as LabelArray;
    const partRegion = inside.subarray(from, to);
    // When an overlap must stop the paint, count first; otherwise count while painting
    // (one read of the slices instead of two).
    const keep = policy === "keep";
    const counted = policy === "error" ? null : kernels.paintCounting(part, partRegion, label, keep);
    const under = counted?.under ?? kernels.countUnder(part, partRegion);
    const overlapCounts: OverlapCount[] = [];
    under.labels.forEach((l, i) => {
      if (l !== 0) overlapCounts.push({ label: l, name: this.#mapping.hasLabel(l) ? this.#mapping.inverse(l) : fallbackName(l), voxels: under.counts[i]! });
    });
    overlapCounts.sort((a, b) => a.label - b.label);
    const overlapped = overlapCounts.reduce((sum, o) => sum + o.voxels, 0);
    if (overlapped > 0 && policy === "error") {
      const which = overlapCounts.map((o) => `${o.name} (${o.voxels})`).join(", ");
      throw new OverlapError("OVERLAP", `Label ${label} ("${name}") overlaps ${overlapped} labelled voxels: ${which}. Nothing was changed.`);
    }
    const painted = counted?.painted ?? kernels.paint(part, partRegion, label, keep);
    this.#mapping.set(name, label);
    if (painted > 0) this.#present?.add(label);
    return { voxels: painted, overlapped, overlappedLabels: overlapCounts.map((o) => o.label), overlapCounts };
  }

  /**
   * A copy of this mask whose voxels live in WASM memory of their own, where the WASM
   * kernels read (and `addLabel` paints) them in place: no copy crosses into WASM per
   * query, and a binary mask written into `maskBuffer()` crosses none out either. For a
   * volume queried many times (a viewer, an interactive session); batch jobs that touch
   * each mask once gain nothing over the default streaming. Its `data` is a view of that
   * memory, valid for as long as it is referenced (the memory never grows or moves).
   * OUT_OF_MEMORY above 1 GiB of voxels; WASM_UNAVAILABLE where WASM cannot load.
   * @example const live = seg.toResident(); live.getBinaryMaskByNames("liver", { out: live.maskBuffer() });
   */
  toResident(): SegmentationMask<N> {
    const voxels = this.#voxels();
    const { data } = residentLabels(voxels.BYTES_PER_ELEMENT as 1 | 2 | 4, voxels.length);
    data.set(voxels);
    return new SegmentationMask<N>(data, this.mapping.clone() as LabelMapping<N>, this.space, { bitDepth: this.bitDepth, mappingComplete: true });
  }

  /** Whether the voxels live in WASM memory of their own (`toResident`). */
  get resident(): boolean {
    return isResident(this.#voxels());
  }

  /**
   * A Uint8Array of one byte per voxel kept with this mask, for binary masks written with
   * `{ out }` (the same array each call, so the next query overwrites it). On a resident
   * mask it lies beside the voxels, so a query into it copies nothing at all.
   * @example seg.getBinaryMaskByNames("liver", { out: seg.maskBuffer() });
   */
  maskBuffer(): Uint8Array {
    const voxels = this.#voxels();
    this.#maskBuffer ??= residentMaskBuffer(voxels) ?? new Uint8Array(voxels.length);
    return this.#maskBuffer;
  }

  /** A deep copy (data and mapping copied, space shared: it is immutable). */
  clone(): SegmentationMask<N> {
    return new SegmentationMask<N>(this.#voxels().slice() as LabelArray, this.mapping.clone() as LabelMapping<N>, this.space, { bitDepth: this.bitDepth, mappingComplete: true });
  }

  /**
   * Saves this mask as a native medmask file, atomically (Node).
   * @example await seg.save("case.msk");
   */
  save(path: string, options?: SaveOptions): Promise<void> {
    return saveMask(this as SegmentationMask<string>, path, options);
  }

  /**
   * Loads a native or Python medmask file (Node); `out` as in `decodeMask`.
   * @example const seg = await SegmentationMask.load("case.msk");
   */
  static load(path: string, options?: DecodeOptions): Promise<SegmentationMask<string>> {
    return loadMask(path, options);
  }

  /**
   * Releases the voxels; later use throws DISPOSED. Works with `using` where supported.
   */
  dispose(): void {
    this.#data = null;
    this.#maskBuffer = null;
  }
}

// `using seg = ...` support where the runtime defines Symbol.dispose.
const disposeSymbol = (Symbol as { dispose?: symbol }).dispose;
if (disposeSymbol) {
  Object.defineProperty(SegmentationMask.prototype, disposeSymbol, {
    value(this: SegmentationMask) {
      this.dispose();
    },
  });
}
