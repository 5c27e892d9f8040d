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
import { describeValue, FileError, GeometryError, InputError, LabelError, OverlapError, ResourceError } from "./errors.js";
import { getKernels, isResident, residentLabels, residentMaskBuffer, type Dims, type LayerSelection, type ScanResult } from "./kernels/index.js";
import { occupiedSlices, scanOccupied } from "./kernels/occupied.js";
import { LabelMapping, checkName, isLabelMapping, type MappingInit } from "./mapping.js";
import { toRegion, type RegionLike } from "./region.js";
import { Space, type SpaceInit, type Vec3 } from "./space.js";
import { fallbackName, statsFromScan, type LabelStat } from "./stats.js";
import { checkMetadata, checkMetadataRecord, hasMetadata, type LabelMetadata } from "./label-metadata.js";
import { flattenLayers, layersOf, mergeScans } from "./layers.js";
import type { SaveOptions } from "./formats/encode-options.js";
import type { DecodeOptions } from "./formats/decode-target.js";

/**
 * What `addLabel` does where the new region covers voxels that already have a label:
 * "overwrite" them, "keep" them, "error" (nothing changes), or "layer": keep both, the new
 * label in the first layer where it overlaps nothing (a new layer where none does).
 */
export type OverlapPolicy = "overwrite" | "keep" | "error" | "layer";
const POLICIES: readonly OverlapPolicy[] = ["overwrite", "keep", "error", "layer"];

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
  /** The layer the new label was painted into (0 unless `onOverlap: "layer"` needed another). */
  layer: number;
}

/** Options of `addLabel`. */
export interface AddLabelOptions {
  /** Default "overwrite" (as in Python); see `OverlapPolicy`. */
  onOverlap?: OverlapPolicy;
  /** The new label's colour and codes (see `LabelMetadata`). */
  metadata?: LabelMetadata;
}

function overlapError(label: number, name: string, counts: readonly OverlapCount[]): OverlapError {
  const overlapped = counts.reduce((sum, o) => sum + o.voxels, 0);
  const which = counts.map((o) => `${o.name} (${o.voxels})`).join(", ");
  return new OverlapError("OVERLAP", `Label ${label} ("${name}") overlaps ${overlapped} labelled voxels: ${which}. Nothing was changed.`);
}

/**
 * A name a mask's queries take: its literal names (offered by autocompletion), `idx_<label>`
 * for labels found only in the data, and any other string, checked at run time
 * (UNKNOWN_NAME): a name from a user or a file is a `string`, and a name `addLabel` added is
 * one the literal type does not know.
 */
export type MaskName<N extends string> = N | `idx_${number}` | (string & {});

/** Options of the `SegmentationMask` constructor. */
export interface MaskOptions {
  /** 1 for binary masks stored in a Uint8Array; otherwise taken from the array type. */
  bitDepth?: BitDepth;
  /**
   * The mapping is known to name every label in the data (a decoder whose file lists its
   * labels, checked by CRC), so the scan for unnamed labels is skipped. Default false.
   */
  mappingComplete?: boolean;
  /** Per-label metadata (colour, codes) by name; names must be in the mapping. */
  metadata?: Readonly<Record<string, LabelMetadata>>;
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

/** Slices z0..z1 and rows y0..y1 (inclusive) that hold a label: [z0, z1, y0, y1]. */
type Rows = [number, number, number, number];

/** 0/1 of `data` in `labels` (one label: the equality kernel), OR-ed into `out` with `accumulate`. */
function selectIn(data: LabelArray, labels: readonly number[], out: Uint8Array | undefined, accumulate: boolean): Uint8Array {
  const kernels = getKernels();
  return labels.length === 1 ? kernels.equals(data, labels[0]!, false, out, accumulate) : kernels.select(data, labels, out, accumulate);
}

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

/** Voxels a label lost to the labels painted over it when a mask's layers were flattened. */
export interface FlattenLoss {
  name: string;
  label: number;
  /** Voxels lost (now another label's). */
  voxels: number;
  /** Voxels it keeps; 0 when flattening emptied it. */
  kept: number;
}

/**
 * `out` when it fits the volume and shares no byte with the mask's voxels; INVALID_ARGUMENT
 * otherwise (never a partial write: a query into `seg.data` would overwrite the mask).
 */
function checkOut(out: Uint8Array | undefined, layers: readonly LabelArray[]): Uint8Array | undefined {
  if (out === undefined) return undefined;
  const voxels = layers[0]!.length;
  if (!(out instanceof Uint8Array) || out.length !== voxels) {
    throw new InputError("INVALID_ARGUMENT", `out must be a Uint8Array of ${voxels} bytes (one per voxel), got ${describeValue(out)}.`);
  }
  const overlaps = (a: ArrayBufferView, b: ArrayBufferView) => a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
  if (layers.some((layer) => overlaps(out, layer))) {
    throw new InputError("INVALID_ARGUMENT", "out shares memory with the mask's own voxels, which the query would overwrite; pass a buffer of its own (seg.maskBuffer() is one).");
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
 * Key of an internal method: the layers' voxels for the library's own encoders, which only
 * read them (the public `layers` getter assumes the caller writes and drops what the mask
 * knows about its voxels).
 */
export const voxelLayers: unique symbol = Symbol("medmask.voxelLayers");

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
  /** The label volumes (one, unless labels overlap); null after dispose. */
  #layers: LabelArray[] | null;
  #mapping: LabelMapping<string>;
  /** Whether every label in the data has a name yet (naming waits for the first scan). */
  #named = false;
  /**
   * The layer of each label outside layer 0, when known (always for one layer: none; for
   * several, found by the first scan and kept while only this class writes the voxels).
   */
  #layerOf: Map<number, number> | null;
  /**
   * Slices and rows (`Rows`) that hold each label outside layer 0 (a superset: painting over
   * a label leaves its range as it was), known and kept with `#layerOf`. Passes over a
   * further layer read only the rows of the labels asked for: most further layers are nearly
   * empty.
   */
  #labelZ: Map<number, Rows> | null;
  /**
   * Labels known to be in the data, kept while only this class writes the voxels (masks from
   * `lazyInit` filled by `addLabel`); any read of `data` by the caller drops it, because the
   * caller may write. It spares addLabel a whole-volume search per label.
   */
  #present: Set<number> | null = null;
  /** The buffer `maskBuffer()` returns (a resident volume's own, beside its voxels). */
  #maskBuffer: Uint8Array | null = null;
  /** Colour and codes by name (only names that have some). */
  #metadata: Map<string, LabelMetadata>;

  /**
   * Wraps `data` (not copied): one label volume, or a list of layers (volumes of one type and
   * length whose labels are unique across them, so that labels may overlap). Labels in the
   * data but not in `mapping` are named `idx_<label>`. Throws SHAPE_MISMATCH when a layer's
   * length is not the product of `space.shape`, LABEL_OUT_OF_RANGE when a label does not fit
   * the bit depth, DUPLICATE_LABEL (on first use) when a label occurs in two layers.
   */
  constructor(data: LabelArray | readonly LabelArray[], mapping?: MappingInit<N>, space?: Space | SpaceInit, options: MaskOptions = {}) {
    const layers = layersOf(data);
    const first = layers[0]!;
    this.bitDepth = bitDepthOf(first, options.bitDepth);
    // Up front: past 4 GiB of voxel bytes every pass would fail on its byte view.
    checkVoxelCount(first.length, first.BYTES_PER_ELEMENT as 1 | 2 | 4);
    this.space = toSpace(space, first.length);
    if (first.length !== this.space.voxelCount) {
      throw new GeometryError(
        "SHAPE_MISMATCH",
        `Mask data has ${first.length} voxels but the space shape ${JSON.stringify(this.space.shape)} holds ${this.space.voxelCount}.`,
      );
    }
    this.#layers = layers;
    this.#layerOf = layers.length === 1 ? new Map() : null;
    this.#labelZ = layers.length === 1 ? new Map() : null;
    // Copied, so addLabel never edits a mapping the caller still holds.
    this.#mapping = isLabelMapping(mapping) ? mapping.clone() : new LabelMapping(mapping as MappingInit<string>);
    for (const label of this.#mapping.labels()) checkLabelInRange(label, this.bitDepth);
    this.#metadata = checkMetadataRecord(options.metadata);
    for (const name of this.#metadata.keys()) {
      if (!this.#mapping.hasName(name)) throw new LabelError("UNKNOWN_NAME", `Metadata is given for "${name}", which the mapping does not name.`);
    }
    // Naming labels that the mapping lacks needs a pass over the data; it is done on first
    // use (or by the first labelStats/presentLabels scan), so building a mask costs nothing.
    // Bit depth 1 is checked now: a value above 1 must fail here, not later.
    this.#named = options.mappingComplete === true && layers.length === 1;
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

  /**
   * The label voxels (C order, `shape` order). Throws DISPOSED after `dispose()`, and
   * LAYERED for a mask of several layers (one volume cannot hold its overlaps: use `layers`,
   * or `flatten()` for one volume where later layers win).
   */
  get data(): LabelArray {
    const layers = this.#voxelLayers();
    if (layers.length > 1) {
      throw new InputError("LAYERED", `This mask has ${layers.length} layers (labels that overlap); data is one volume. Use seg.layers, or seg.flatten().data to paint them into one (overlaps lost).`);
    }
    this.#present = null; // the caller may write
    return layers[0]!;
  }

  /**
   * Every layer's voxels (one array for an ordinary mask): labels are unique across them.
   * The caller may write them (what the mask knew about its voxels is dropped).
   */
  get layers(): readonly LabelArray[] {
    const layers = this.#voxelLayers();
    this.#present = null;
    if (layers.length > 1) this.#layerOf = this.#labelZ = null;
    return [...layers];
  }

  /** How many layers the mask has: 1 unless labels overlap. */
  get layerCount(): number {
    return this.#voxelLayers().length;
  }

  #voxelLayers(): LabelArray[] {
    if (!this.#layers) throw new ResourceError("DISPOSED", "This SegmentationMask was disposed; its data is gone.");
    return this.#layers;
  }

  /** The layers for the library's readers (see `voxelLayers`). */
  [voxelLayers](): readonly LabelArray[] {
    return this.#voxelLayers();
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
    return this.#layers === null;
  }

  /**
   * One scan of every layer (each layer's labels, merged); learns each label's layer, and
   * from the boxes of the further layers (always scanned with boxes: they are sparse) the
   * slices of their labels.
   */
  #scan(withBoxes: boolean): ScanResult {
    const layers = this.#voxelLayers();
    const kernels = getKernels();
    if (layers.length === 1) return scanOccupied(kernels, layers[0]!, this.space.shape, withBoxes);
    const scans = layers.map((layer, l) => scanOccupied(kernels, layer, this.space.shape, withBoxes || l > 0, l > 0 ? this.#layerSlices(l) : undefined));
    const further = scans.slice(1);
    return this.#merge(withBoxes ? scans : scans.map((scan, l) => (l > 0 ? { ...scan, boxes: new Int32Array(0) } : scan)), further);
  }

  /**
   * The merged scan of every layer's `scans`; learns each label's layer, and the slices of
   * the further layers' labels from `boxed` (their scans with boxes).
   */
  #merge(scans: ScanResult[], boxed: ScanResult[] = scans.slice(1)): ScanResult {
    const { scan, layerOf } = mergeScans(scans);
    this.#layerOf = new Map([...layerOf].filter(([, layer]) => layer > 0));
    const labelZ = new Map<number, Rows>();
    for (const s of boxed) {
      s.labels.forEach((label, i) => {
        if (label !== 0) labelZ.set(label, [s.boxes[i * 6]!, s.boxes[i * 6 + 3]!, s.boxes[i * 6 + 1]!, s.boxes[i * 6 + 4]!]);
      });
    }
    this.#labelZ = labelZ;
    return scan;
  }

  /**
   * The slices of layer `l` (> 0) that hold its labels, when known (null: none); undefined
   * when not known (a search finds them).
   */
  #layerSlices(l: number): [number, number] | null | undefined {
    if (!this.#labelZ || !this.#layerOf) return undefined;
    return this.#slicesOf(this.#labelsIn(l));
  }

  /** The labels of further layer `l` (from the known `#layerOf`). */
  #labelsIn(l: number): number[] {
    return [...this.#layerOf!].filter(([, layer]) => layer === l).map(([label]) => label);
  }

  /** The slices (a superset) holding `labels` of further layers; null when none has voxels. */
  #slicesOf(labels: readonly number[]): [number, number] | null {
    const rows = this.#rowsOf(labels);
    return rows && [rows[0], rows[1]];
  }

  /** The slices and rows (a superset) holding `labels` of further layers; null when none has voxels. */
  #rowsOf(labels: readonly number[]): Rows | null {
    let z0 = Infinity, z1 = -1, y0 = Infinity, y1 = -1;
    for (const label of labels) {
      const rows = this.#labelZ!.get(label);
      if (!rows) continue;
      z0 = Math.min(z0, rows[0]);
      z1 = Math.max(z1, rows[1]);
      y0 = Math.min(y0, rows[2]);
      y1 = Math.max(y1, rows[3]);
    }
    return z1 < 0 ? null : [z0, z1, y0, y1];
  }

  /**
   * The selections of `labels` of `data` over `rows`: one range of whole slices, or, where
   * the rows are a part of each slice, a range per slice (sharing `labels`, so the kernels
   * build their tables once).
   */
  #selections(data: LabelArray, labels: readonly number[], rows: Rows, invert: boolean): LayerSelection[] {
    const [, ny, nx] = this.space.shape;
    const [z0, z1, y0, y1] = rows;
    if (y0 === 0 && y1 === ny - 1) return [{ data, labels, invert, ...this.#voxelRange([z0, z1]) }];
    const parts: LayerSelection[] = [];
    for (let z = z0; z <= z1; z++) parts.push({ data, labels, invert, from: (z * ny + y0) * nx, to: (z * ny + y1 + 1) * nx });
    return parts;
  }

  /** Every slice and row. */
  #allRows(): Rows {
    return [0, this.space.shape[0] - 1, 0, this.space.shape[1] - 1];
  }

  /** The layer of each label outside layer 0 (a scan, the first time on a layered mask). */
  #layersOfLabels(): Map<number, number> {
    if (!this.#layerOf) this.#nameFrom(this.#scan(false));
    return this.#layerOf!;
  }

  /**
   * The layer that holds `name` (a name, or a label): 0 for an ordinary mask and for labels
   * without voxels. UNKNOWN_NAME / UNKNOWN_LABEL for one the mask does not have.
   * @example seg.layerOf("ribs") // 1
   */
  layerOf(name: MaskName<N> | number): number {
    const label = typeof name === "number" ? (this.#checkQueryLabels([name]), name) : (this.#ensureNamed(), this.#mapping.get(name));
    return this.#layersOfLabels().get(label) ?? 0;
  }

  #ensureNamed(): void {
    if (!this.#named) this.#nameFrom(this.#scan(false));
  }

  /**
   * The colour and codes of `name` (an empty object when it has none). UNKNOWN_NAME for a
   * name the mask does not have.
   * @example seg.metadata("liver").color // [0.86, 0.55, 0.39]
   */
  metadata(name: MaskName<N>): LabelMetadata {
    this.#ensureNamed();
    this.#mapping.get(name); // UNKNOWN_NAME
    return { ...(this.#metadata.get(name) ?? {}) };
  }

  /**
   * Sets (replaces) the colour and codes of `name`; `{}` clears them. INVALID_ARGUMENT for a
   * colour that is not three numbers in [0, 1], a code that is not three strings, or keys it
   * does not know; UNKNOWN_NAME for a name the mask does not have.
   * @example seg.setMetadata("liver", { color: [0.86, 0.55, 0.39], type: ["SCT", "10200004", "Liver"] });
   */
  setMetadata(name: MaskName<N>, metadata: LabelMetadata): void {
    this.#ensureNamed();
    this.#mapping.get(name);
    const checked = checkMetadata(metadata, name);
    if (hasMetadata(checked)) this.#metadata.set(name, checked);
    else this.#metadata.delete(name);
  }

  /** Every name's metadata that has some, in label order: `{ liver: { color: [...] } }`. */
  allMetadata(): Record<string, LabelMetadata> {
    this.#ensureNamed();
    const out: Record<string, LabelMetadata> = Object.create(null) as Record<string, LabelMetadata>; // a name may be "__proto__"
    for (const [name] of this.#mapping.items()) {
      const meta = this.#metadata.get(name);
      if (meta) out[name] = { ...meta };
    }
    return out;
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
    const unique = [...new Set(labels)];
    const layers = this.#voxelLayers();
    const length = layers[0]!.length;
    const target = checkOut(out, layers);
    if (unique.length === 0) return target ? target.fill(0) : new Uint8Array(length);
    if (layers.length === 1) return selectIn(layers[0]!, unique, target, false);
    // One pass per layer that holds a label asked for, all into one output.
    const layerOf = this.#layersOfLabels();
    const byLayer = new Map<number, number[]>();
    for (const label of unique) {
      if (label === 0) continue;
      const l = layerOf.get(label) ?? 0;
      byLayer.set(l, [...(byLayer.get(l) ?? []), label]);
    }
    const groups = [...byLayer].sort((a, b) => a[0] - b[0]);
    if (unique.includes(0)) {
      // Background of a layered mask (no label in any layer), and the labels asked besides.
      const result = this.#union(target);
      for (let i = 0; i < length; i++) result[i] = result[i]! ^ 1;
      for (const [l, group] of groups) this.#orSlices(layers[l]!, l === 0 ? [0, this.space.shape[0] - 1] : this.#slicesOf(group), result, (part, out) => selectIn(part, group, out, true));
      return result;
    }
    // One pass: each layer that holds a label asked for, a further layer only in the slices
    // of those labels, side by side into one output.
    // Every label asked for in layer 0: the one-layer query.
    if (groups.length === 1 && groups[0]![0] === 0) return selectIn(layers[0]!, groups[0]![1], target, false);
    const parts = groups.flatMap(([l, group]): LayerSelection[] => {
      const rows = l === 0 ? this.#allRows() : this.#rowsOf(group);
      return rows ? this.#selections(layers[l]!, group, rows, false) : [];
    });
    return getKernels().selectLayers(parts, length, target);
  }

  /** Voxels [from, to) of slices `range`. */
  #voxelRange(range: readonly [number, number]): { from: number; to: number } {
    const slice = this.space.shape[1] * this.space.shape[2];
    return { from: range[0] * slice, to: (range[1] + 1) * slice };
  }

  /** `or(part, out)` over slices `range` of `layer` and of `out` (nothing when null). */
  #orSlices(layer: LabelArray, range: [number, number] | null, out: Uint8Array, or: (part: LabelArray, out: Uint8Array) => void): void {
    if (!range) return;
    const { from, to } = this.#voxelRange(range);
    or(layer.subarray(from, to) as LabelArray, out.subarray(from, to));
  }

  /** 0/1 of every labelled voxel in any layer, into `out` when given. */
  #union(out: Uint8Array | undefined): Uint8Array {
    const layers = this.#voxelLayers();
    const kernels = getKernels();
    if (layers.length === 1) return kernels.equals(layers[0]!, 0, true, out);
    this.#layersOfLabels();
    const background = [0];
    const parts = layers.flatMap((data, l): LayerSelection[] => {
      const rows = l === 0 ? this.#allRows() : this.#rowsOf(this.#labelsIn(l));
      return rows ? this.#selections(data, background, rows, true) : [];
    });
    return kernels.selectLayers(parts, layers[0]!.length, out);
  }

  /**
   * Binary mask (0/1) of every labelled (non-zero) voxel, in any layer; `out` as in
   * `getBinaryMaskByNames`.
   * @example const body = seg.toBinary();
   */
  toBinary(options: BinaryMaskOptions = {}): Uint8Array {
    checkOptions(options, ["out"], "toBinary");
    return this.#union(checkOut(options.out, this.#voxelLayers()));
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
    const known = this.#voxelLayers().map((_, l) => (l > 0 ? this.#layerSlices(l) : undefined));
    const all = this[statsPass]((data, dims, l) => ({ scan: scanOccupied(getKernels(), data, dims, true, known[l]), extra: null })).stats;
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
  [statsPass]<T>(pass: (data: LabelArray, dims: Dims, layer: number) => { scan: ScanResult; extra: T }): { stats: LabelStat[]; extra: T[] } {
    const layers = this.#voxelLayers();
    const results = layers.map((data, layer) => pass(data, this.space.shape, layer));
    const scan = layers.length === 1 ? results[0]!.scan : this.#merge(results.map((r) => r.scan));
    if (!this.#named) this.#nameFrom(scan);
    return { stats: statsFromScan(scan, this.#mapping, this.space), extra: results.map((r) => r.extra) };
  }

  /**
   * Paints `region` with a new `label` called `name`. Throws DUPLICATE_LABEL when the label
   * is mapped or already in the data, DUPLICATE_NAME for a mapped name. Where the region
   * covers other labels, `onOverlap` decides: "overwrite" (default, as in Python), "keep"
   * the existing labels, "error" (throws OVERLAP and leaves the mask untouched), or "layer"
   * (every voxel kept: the label goes into the first layer where it overlaps nothing, a new
   * layer where none does). `metadata` sets the label's colour and codes.
   * @example seg.addLabel(region, 1, "liver", { onOverlap: "error" }); seg.addLabel(ribs, 9, "ribs", { onOverlap: "layer" });
   */
  addLabel<M extends string>(region: RegionLike, label: number, name: M, options: AddLabelOptions = {}): AddLabelResult {
    checkOptions(options, ["onOverlap", "metadata"], "addLabel");
    const policy = options.onOverlap ?? "overwrite";
    if (!POLICIES.includes(policy)) {
      throw new InputError("INVALID_ARGUMENT", `onOverlap must be "overwrite", "keep", "error" or "layer", got ${describeValue(policy)}.`);
    }
    checkLabelInRange(label, this.bitDepth);
    this.#ensureNamed();
    const layers = this.#voxelLayers();
    const kernels = getKernels();
    if (this.#mapping.hasLabel(label) || (this.#present ? this.#present.has(label) : layers.some((layer) => kernels.contains(layer, label)))) {
      throw new LabelError("DUPLICATE_LABEL", `Label ${label} already exists in the mask array.`);
    }
    checkName(name);
    if (this.#mapping.hasName(name)) {
      throw new LabelError("DUPLICATE_NAME", `Name "${name}" already exists (label ${this.#mapping.get(name)}); choose another name.`);
    }
    const metadata = options.metadata === undefined ? undefined : checkMetadata(options.metadata, name);
    const layerOf = this.#layersOfLabels();
    const inside = toRegion(region, layers[0]!.length);
    // Only the z-slices the region touches take part (organs span a fraction of a scan).
    const range = occupiedSlices(kernels, inside, this.space.shape);
    const named = (result: AddLabelResult): AddLabelResult => {
      this.#mapping.set(name, label);
      if (metadata && hasMetadata(metadata)) this.#metadata.set(name, metadata);
      if (result.voxels > 0) {
        this.#present?.add(label);
        if (result.layer > 0) {
          layerOf.set(label, result.layer);
          this.#labelZ?.set(label, [range![0], range![1], 0, this.space.shape[1] - 1]);
        }
      }
      return result;
    };
    if (!range) return named({ voxels: 0, overlapped: 0, overlappedLabels: [], overlapCounts: [], layer: 0 });
    const slice = this.space.shape[1] * this.space.shape[2];
    const from = range[0] * slice, to = (range[1] + 1) * slice;
    const parts = layers.map((layer) => layer.subarray(from, to) as LabelArray);
    const partRegion = inside.subarray(from, to);
    const describe = (under: ScanResult[]): OverlapCount[] => {
      const counts: OverlapCount[] = [];
      under.forEach((u) =>
        u.labels.forEach((l, i) => {
          if (l !== 0) counts.push({ label: l, name: this.#mapping.hasLabel(l) ? this.#mapping.inverse(l) : fallbackName(l), voxels: u.counts[i]! });
        }),
      );
      return counts.sort((a, b) => a.label - b.label);
    };
    const outcome = (overlapCounts: OverlapCount[], voxels: number, layer: number): AddLabelResult => ({
      voxels,
      overlapped: overlapCounts.reduce((sum, o) => sum + o.voxels, 0),
      overlappedLabels: overlapCounts.map((o) => o.label),
      overlapCounts,
      layer,
    });
    if (layers.length === 1 && policy !== "layer") {
      // When an overlap must stop the paint, count first; otherwise count while painting
      // (one read of the slices instead of two).
      const keep = policy === "keep";
      const counted = policy === "error" ? null : kernels.paintCounting(parts[0]!, partRegion, label, keep);
      const overlapCounts = describe([counted?.under ?? kernels.countUnder(parts[0]!, partRegion)]);
      if (overlapCounts.length > 0 && policy === "error") throw overlapError(label, name, overlapCounts);
      const painted = counted?.painted ?? kernels.paint(parts[0]!, partRegion, label, keep);
      return named(outcome(overlapCounts, painted, 0));
    }
    const under = parts.map((part) => kernels.countUnder(part, partRegion));
    const overlapCounts = describe(under);
    const clear = (u: ScanResult) => u.labels.every((l) => l === 0);
    if (policy === "error" && overlapCounts.length > 0) throw overlapError(label, name, overlapCounts);
    if (policy === "layer") {
      let layer = under.findIndex(clear);
      if (layer < 0) {
        layer = layers.length;
        const added = allocLabels(this.bitDepth, layers[0]!.length);
        layers.push(added);
        parts.push(added.subarray(from, to) as LabelArray);
      }
      return named(outcome(overlapCounts, kernels.paint(parts[layer]!, partRegion, label, false), layer));
    }
    if (policy === "overwrite") {
      // The region's voxels leave every other layer, and take the label in layer 0.
      for (let l = 1; l < parts.length; l++) if (!clear(under[l]!)) kernels.paint(parts[l]!, partRegion, 0, false);
      return named(outcome(overlapCounts, kernels.paint(parts[0]!, partRegion, label, false), 0));
    }
    // keep: only voxels that are background in every layer.
    const free = partRegion.slice();
    for (let l = 1; l < parts.length; l++) {
      if (clear(under[l]!)) continue;
      const part = parts[l]!;
      for (let i = 0; i < free.length; i++) if (part[i] !== 0) free[i] = 0;
    }
    return named(outcome(overlapCounts, kernels.paint(parts[0]!, free, label, true), 0));
  }

  /**
   * The layers painted into one ordinary (one-layer) mask, with the same mapping and
   * metadata: where labels overlap, the later layer's wins, so the covered voxels of the
   * others are lost (`covered` says how many; `lost` which labels lost them, each with the
   * voxels it keeps: 0 for a label flattening emptied). A one-layer mask is copied.
   * @example const { mask, lost } = seg.flatten(); for (const l of lost) console.warn(`${l.name}: ${l.voxels} voxels lost`);
   */
  flatten(): { mask: SegmentationMask<N>; covered: number; lost: FlattenLoss[] } {
    const layers = this.#voxelLayers();
    const { data, covered } = flattenLayers(layers);
    const mask = this.#sameWith([data]);
    if (layers.length === 1 || covered === 0) return { mask, covered, lost: [] };
    const after = new Map(mask.labelStats().map((s) => [s.label, s.voxels]));
    const lost = this.labelStats().flatMap((s): FlattenLoss[] => {
      const kept = after.get(s.label) ?? 0;
      return kept < s.voxels ? [{ name: s.name, label: s.label, voxels: s.voxels - kept, kept }] : [];
    });
    return { mask, covered, lost };
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
    const layers = this.#voxelLayers();
    const { layers: copies } = residentLabels(layers[0]!.BYTES_PER_ELEMENT as 1 | 2 | 4, layers[0]!.length, layers.length);
    layers.forEach((layer, l) => copies[l]!.set(layer));
    return this.#sameWith(copies);
  }

  /** A mask of these labels, names, metadata and space over `layers` (copies of this one's). */
  #sameWith(layers: LabelArray[]): SegmentationMask<N> {
    const mask = new SegmentationMask<N>(layers, this.mapping.clone() as LabelMapping<N>, this.space, { bitDepth: this.bitDepth, mappingComplete: true, metadata: this.allMetadata() });
    if (layers.length > 1 && this.#layerOf && this.#labelZ) {
      mask.#layerOf = new Map(this.#layerOf);
      mask.#labelZ = new Map(this.#labelZ);
    }
    mask.#named = true;
    return mask;
  }

  /** Whether the voxels live in WASM memory of their own (`toResident`). */
  get resident(): boolean {
    return isResident(this.#voxelLayers()[0]!);
  }

  /**
   * A Uint8Array of one byte per voxel kept with this mask, for binary masks written with
   * `{ out }` (the same array each call, so the next query overwrites it). On a resident
   * mask it lies beside the voxels, so a query into it copies nothing at all.
   * @example seg.getBinaryMaskByNames("liver", { out: seg.maskBuffer() });
   */
  maskBuffer(): Uint8Array {
    const voxels = this.#voxelLayers()[0]!;
    this.#maskBuffer ??= residentMaskBuffer(voxels) ?? new Uint8Array(voxels.length);
    return this.#maskBuffer;
  }

  /** A deep copy (data and mapping copied, space shared: it is immutable). */
  clone(): SegmentationMask<N> {
    return this.#sameWith(this.#voxelLayers().map((layer) => layer.slice() as LabelArray));
  }

  /**
   * Saves this mask as a native medmask file, atomically (Node); an existing file is
   * FILE_EXISTS unless `{ overwrite: true }`.
   * @example await seg.save("case.msk");
   */
  save(path: string, options?: SaveOptions): Promise<void> {
    return filesOrThrow("seg.save").save(this as SegmentationMask<string>, path, options);
  }

  /**
   * Loads a native or Python medmask file (Node); `out` as in `decodeMask`.
   * @example const seg = await SegmentationMask.load("case.msk");
   */
  static load(path: string, options?: DecodeOptions): Promise<SegmentationMask<string>> {
    return filesOrThrow("SegmentationMask.load").load(path, options);
  }

  /**
   * Releases the voxels; later use throws DISPOSED. Works with `using` where supported.
   */
  dispose(): void {
    this.#layers = null;
    this.#maskBuffer = null;
  }
}

/** What `seg.save` and `SegmentationMask.load` call: `saveMask` and `loadMask`. */
export interface MaskFiles {
  save(seg: SegmentationMask<string>, path: string, options?: SaveOptions): Promise<void>;
  load(path: string, options?: DecodeOptions): Promise<SegmentationMask<string>>;
}

// The data type imports no file format: src/files.ts registers itself here when it is
// loaded (every entry loads it), so a bundle of the mask alone carries no codec.
let maskFiles: MaskFiles | null = null;

/** Called by src/files.ts: the functions behind `seg.save` and `SegmentationMask.load`. */
export function registerMaskFiles(files: MaskFiles): void {
  maskFiles = files;
}

function filesOrThrow(call: string): MaskFiles {
  if (maskFiles) return maskFiles;
  throw new FileError("NO_FILE_SYSTEM", `${call} works on files (Node), and this build has no file layer loaded: use encodeMask / decodeMask for bytes, or import saveMask / loadMask from "medmask".`);
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
