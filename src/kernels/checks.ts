import type { LabelArray } from "../bitdepth.js";
import { InputError, describeValue } from "../errors.js";
import type { LayerSelection } from "./types.js";

// Argument checks both kernel backends make before they write anything.

/**
 * The `out` of an accumulating `equals`/`select`: required (it holds the layers before) and
 * at least one byte per voxel, else INVALID_ARGUMENT.
 */
export function checkAccumulateOut(out: Uint8Array | undefined, voxels: number): Uint8Array {
  if (!(out instanceof Uint8Array) || out.length < voxels) {
    throw new InputError("INVALID_ARGUMENT", `accumulate needs an out of at least ${voxels} bytes to OR into, got ${describeValue(out)}.`);
  }
  return out;
}

/** The bits of `bitRuns`: whole numbers, inside `packed`; INVALID_ARGUMENT before anything is read. */
export function checkBitRange(packed: Uint8Array, start: number, count: number): void {
  const ok = packed instanceof Uint8Array && Number.isSafeInteger(start) && Number.isSafeInteger(count) && start >= 0 && count >= 0 && Math.ceil((start + count) / 8) <= packed.length;
  if (!ok) throw new InputError("INVALID_ARGUMENT", `bitRuns needs ${describeValue(count)} bits from bit ${describeValue(start)} inside ${describeValue(packed)}.`);
}

/** The parts of `selectLayers`: ranges inside `length` and their data, and an `out` of at least `length` bytes. */
export function checkLayerSelections(parts: readonly LayerSelection[], length: number, out: Uint8Array | undefined): void {
  if (!Number.isSafeInteger(length) || length < 0) throw new InputError("INVALID_ARGUMENT", `selectLayers needs a voxel count, got ${describeValue(length)}.`);
  for (const p of parts) {
    const ok = Number.isSafeInteger(p.from) && Number.isSafeInteger(p.to) && 0 <= p.from && p.from <= p.to && p.to <= length && p.to <= p.data.length && (!p.invert || p.labels.length === 1);
    if (!ok) throw new InputError("INVALID_ARGUMENT", `A layer selection of voxels ${p.from}..${p.to} does not fit ${length} voxels and its layer of ${p.data.length} (an inverted one takes one label).`);
  }
  if (out !== undefined && (!(out instanceof Uint8Array) || out.length < length)) {
    throw new InputError("INVALID_ARGUMENT", `out must be a Uint8Array of at least ${length} bytes, got ${describeValue(out)}.`);
  }
}

/** Refuses a slab of no rows (or a fraction), which would never end: both backends check it. */
export function checkSlabRows(slabRows: number): void {
  if (!Number.isInteger(slabRows) || slabRows < 1) throw new InputError("INVALID_ARGUMENT", `slabRows must be a positive integer, got ${describeValue(slabRows)}.`);
}

/** Refuses packed bits too few for `out`: both backends check it before writing. */
export function checkPacked(packed: Uint8Array, out: Uint8Array): void {
  const need = Math.ceil(out.length / 8);
  if (packed.length < need) throw new InputError("INVALID_ARGUMENT", `${out.length} voxels need ${need} packed bytes, got ${packed.length}.`);
}

/** The output of `Kernels.packBits`: `out` checked, or a fresh array of the packed length. */
export function packedOut(data: Uint8Array, out?: Uint8Array): Uint8Array {
  const need = Math.ceil(data.length / 8);
  if (out === undefined) return new Uint8Array(need);
  if (out.length < need) throw new InputError("INVALID_ARGUMENT", `${data.length} voxels pack into ${need} bytes, the output has ${out.length}.`);
  return out;
}

/** The volumes of `surfaceDistances`: two Uint8Arrays of dims' voxels, positive finite spacing. */
export function checkDistanceVolumes(a: Uint8Array, b: Uint8Array, dims: readonly number[], spacing: readonly number[]): void {
  const voxels = dims.length === 3 && dims.every((d) => Number.isSafeInteger(d) && d >= 1) ? dims[0]! * dims[1]! * dims[2]! : NaN;
  if (!(a instanceof Uint8Array) || !(b instanceof Uint8Array) || a.length !== voxels || b.length !== voxels) {
    throw new InputError("INVALID_ARGUMENT", `surfaceDistances needs two Uint8Arrays of ${describeValue(dims)} voxels, got ${describeValue(a)} and ${describeValue(b)}.`);
  }
  if (spacing.length !== 3 || !spacing.every((s) => Number.isFinite(s) && s > 0)) throw new InputError("INVALID_ARGUMENT", `surfaceDistances needs three positive spacings, got ${describeValue(spacing)}.`);
}

/** The volume of `runComponents`: a label array of dims' voxels, connectivity 6, 18 or 26, a label (0: every label). */
export function checkComponents(data: LabelArray, dims: readonly number[], connectivity: number, label: number, what = "runComponents"): void {
  const voxels = dims.length === 3 && dims.every((d) => Number.isSafeInteger(d) && d >= 1) ? dims[0]! * dims[1]! * dims[2]! : NaN;
  if (!(data instanceof Uint8Array || data instanceof Uint16Array || data instanceof Uint32Array) || data.length !== voxels) throw new InputError("INVALID_ARGUMENT", `${what} needs a label array of ${describeValue(dims)} voxels, got ${describeValue(data)}.`);
  if (connectivity !== 6 && connectivity !== 18 && connectivity !== 26) throw new InputError("INVALID_ARGUMENT", `connectivity is 6, 18 or 26, got ${describeValue(connectivity)}.`);
  if (!(Number.isSafeInteger(label) && label >= 0)) throw new InputError("INVALID_ARGUMENT", `${what} takes a label (a whole number, 0 for every label), got ${describeValue(label)}.`);
}

/** The arguments of `dilateRuns` / `erodeRuns`: a label array of dims' voxels, a label, element rows (dz, dy, hx >= 0) and a box inside dims. */
export function checkMorphology(data: LabelArray, dims: readonly number[], label: number, element: Int32Array, box: readonly number[]): void {
  checkComponents(data, dims, 26, label, "dilateRuns / erodeRuns");
  if (!(element instanceof Int32Array) || element.length === 0 || element.length % 3 !== 0 || !element.every((v, i) => i % 3 !== 2 || v >= 0) || !element.some((v, i) => i % 3 === 0 && v === 0 && element[i + 1] === 0)) {
    throw new InputError("INVALID_ARGUMENT", `the element is (dz, dy, hx) rows in an Int32Array, (0, 0) among them, got ${describeValue(element)}.`);
  }
  checkCrop(data, dims, box, undefined);
}

/** The box of `cropLabel`: inside `dims`, `data` of `dims` voxels, an `out` of at least the box's; its voxel count. */
export function checkCrop(data: { length: number }, dims: readonly number[], box: readonly number[], out: Uint8Array | undefined): number {
  const [nz, ny, nx] = dims as [number, number, number];
  const [z0, y0, x0, z1, y1, x1] = box as [number, number, number, number, number, number];
  const whole = [z0, y0, x0, z1, y1, x1].every(Number.isSafeInteger);
  const inside = whole && 0 <= z0 && z0 <= z1 && z1 < nz && 0 <= y0 && y0 <= y1 && y1 < ny && 0 <= x0 && x0 <= x1 && x1 < nx && data.length === nz * ny * nx;
  const voxels = inside ? (z1 - z0 + 1) * (y1 - y0 + 1) * (x1 - x0 + 1) : NaN;
  if (!inside || (out !== undefined && (!(out instanceof Uint8Array) || out.length < voxels))) {
    throw new InputError("INVALID_ARGUMENT", `cropLabel needs a box inside ${describeValue(dims)} of a volume that size, and an out of its voxels; got box ${describeValue(box)}, ${describeValue(data)} and ${describeValue(out)}.`);
  }
  return voxels;
}

/** `permuteAxes`'s arguments: a volume of `dims`, an order of 0, 1, 2 and three flips. */
export function checkPermuteAxes(data: { length: number }, dims: readonly number[], order: readonly number[], flips: readonly boolean[]): void {
  const ok = dims.length === 3 && dims.every((n) => Number.isSafeInteger(n) && n > 0) && data.length === dims[0]! * dims[1]! * dims[2]! && order.length === 3 && [0, 1, 2].every((a) => order.includes(a)) && flips.length === 3;
  if (!ok) throw new InputError("INVALID_ARGUMENT", `permuteAxes needs a volume of ${describeValue(dims)}, an order of the axes 0, 1, 2 and three flips; got ${describeValue(data)}, ${describeValue(order)} and ${describeValue(flips)}.`);
}

/** `resample`'s arguments: a volume of `dims`, output dims, a finite 3x4 map and a method. */
export function checkResample(data: { length: number }, dims: readonly number[], outDims: readonly number[], map: readonly number[], method: string): void {
  const dimsOk = (d: readonly number[]): boolean => d.length === 3 && d.every((n) => Number.isSafeInteger(n) && n > 0);
  const ok = dimsOk(dims) && dimsOk(outDims) && data.length === dims[0]! * dims[1]! * dims[2]! && map.length === 12 && map.every(Number.isFinite) && (method === "nearest" || method === "label-linear");
  if (!ok) throw new InputError("INVALID_ARGUMENT", `resample needs a volume of ${describeValue(dims)}, output dims, a 3x4 map of 12 finite numbers and "nearest" or "label-linear"; got ${describeValue(data)}, ${describeValue(outDims)}, ${describeValue(map)} and ${describeValue(method)}.`);
}

/** `reverseRows`'s arguments: a label array and a row length that divides its length. */
export function checkReverseRows(data: { length: number }, rowLength: number): void {
  if (!(Number.isSafeInteger(rowLength) && rowLength > 0 && data.length % rowLength === 0)) {
    throw new InputError("INVALID_ARGUMENT", `reverseRows needs a row length that divides the volume's ${data.length} voxels, got ${describeValue(rowLength)}.`);
  }
}

/** The arguments of `surfaces`: a label array of dims' voxels, labels (> 0) and a box inside dims for each. */
export function checkSurfaces(data: LabelArray, dims: readonly number[], labels: readonly number[], boxes: readonly (readonly number[])[]): void {
  checkComponents(data, dims, 26, 0, "surfaces");
  if (!Array.isArray(labels) || !Array.isArray(boxes) || labels.length !== boxes.length || !labels.every((l) => Number.isSafeInteger(l) && l > 0)) {
    throw new InputError("INVALID_ARGUMENT", `surfaces takes labels (whole numbers above 0) and a box for each, got ${describeValue(labels)} and ${describeValue(boxes)}.`);
  }
  for (const box of boxes) checkCrop(data, dims, box, undefined);
}
