import { bitDepthFor, labelArrayType, labelView, type LabelArray } from "../bitdepth.js";
import { getKernels } from "../kernels/index.js";

// Label volumes arrive stored as any integer or float type (NIfTI datatypes, NRRD types);
// medmask holds them in the smallest unsigned type that fits. Voxels are read as a typed
// array of their stored type, checked in one pass (for integers the largest-value kernel)
// and narrowed by a native `set`: per-voxel DataView reads took seconds on CT-sized volumes.
// Only values to scale, or in the other byte order, are read one by one.

/** The integer typed arrays a label volume may be stored in. */
export type StoredIntegers = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;

/** Their constructors. */
export type StoredIntegerType =
  | Int8ArrayConstructor
  | Uint8ArrayConstructor
  | Int16ArrayConstructor
  | Uint16ArrayConstructor
  | Int32ArrayConstructor
  | Uint32ArrayConstructor;

/** The constructors of the float typed arrays a label volume may be stored in. */
export type StoredFloatType = Float32ArrayConstructor | Float64ArrayConstructor;

/** The error for voxel `i` holding `v`, which is not a label (in the format's own words). */
export type NotALabel = (i: number, v: number) => Error;

/** The smallest label array type that holds `max`. */
export const labelArrayFor = (max: number): Uint8ArrayConstructor | Uint16ArrayConstructor | Uint32ArrayConstructor => labelArrayType(bitDepthFor(max));

/**
 * `count` voxels of `Type` from byte `at` of `buffer`, in the platform's byte order: a view
 * when `at` is a multiple of the type's size, else copied once into a buffer of their own
 * (formats need not align their voxels). `copied` says which.
 */
export function storedView<T extends StoredIntegerType | StoredFloatType>(Type: T, buffer: ArrayBuffer, at: number, count: number): { stored: InstanceType<T>; copied: boolean } {
  if (at % Type.BYTES_PER_ELEMENT === 0) return { stored: new Type(buffer, at, count) as InstanceType<T>, copied: false };
  return { stored: new Type(buffer.slice(at, at + count * Type.BYTES_PER_ELEMENT)) as InstanceType<T>, copied: true };
}

/**
 * Stored integer voxels as the smallest label array that holds them; negative voxels are
 * `notALabel`. With `owned` (the reader's own memory, which no one else sees), voxels
 * already of that type are returned as they are instead of copied. Every uint8 is a label
 * and uint8 is the smallest type: no range pass (most of the time a TotalSegmentator mask
 * took to read).
 */
export function integerLabels(stored: StoredIntegers, owned: boolean, notALabel: NotALabel): LabelArray {
  if (stored instanceof Uint8Array) return owned ? stored : stored.slice();
  // The same bytes as unsigned: a negative value reads as more than the signed type's
  // largest, and without negatives signed voxels are their unsigned selves (an int16 volume
  // is then used as the Uint16Array it is, without a conversion).
  const size = stored.BYTES_PER_ELEMENT as 1 | 2 | 4;
  const { length } = stored;
  const unsigned = labelView(size, stored.buffer, stored.byteOffset, length);
  const max = getKernels().largest(unsigned);
  const signed = stored instanceof Int8Array || stored instanceof Int16Array || stored instanceof Int32Array;
  if (signed && max >= 2 ** (8 * size - 1)) {
    const i = stored.findIndex((v) => v < 0);
    throw notALabel(i, stored[i]!);
  }
  const Out = labelArrayFor(max);
  if (unsigned instanceof Out) return owned ? unsigned : unsigned.slice();
  const out = new Out(length);
  out.set(unsigned);
  return out;
}

/**
 * Stored floats as the smallest label array that holds them; each must be an integer from
 * 0 to 2^32 - 1, else `notALabel`. One pass checks them, and a native `set` converts them
 * (not value by value through a DataView, which is many times slower on a CT-sized volume).
 */
export function floatLabels(stored: Float32Array | Float64Array, notALabel: NotALabel): LabelArray {
  let max = 0;
  for (let i = 0; i < stored.length; i++) {
    const v = stored[i]!;
    if (!(v >= 0 && v <= 0xffffffff && Number.isInteger(v))) throw notALabel(i, v);
    if (v > max) max = v;
  }
  const out = new (labelArrayFor(max))(stored.length);
  out.set(stored);
  return out;
}

/**
 * Voxels read one at a time (scaled or foreign-endian values) as the smallest label
 * array that holds them; each must be an integer from 0 to 2^32 - 1, else `notALabel`.
 */
export function valueLabels(count: number, value: (i: number) => number, notALabel: NotALabel): LabelArray {
  let max = 0;
  for (let i = 0; i < count; i++) {
    const v = value(i);
    if (!(v >= 0 && v <= 0xffffffff && Number.isInteger(v))) throw notALabel(i, v);
    if (v > max) max = v;
  }
  const out = new (labelArrayFor(max))(count);
  for (let i = 0; i < count; i++) out[i] = value(i);
  return out;
}
