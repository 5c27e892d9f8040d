import { InputError, LabelError, ResourceError, describeValue } from "./errors.js";

/** Bits per label: 1 (stored one byte per voxel, values 0/1), 8, 16 or 32. */
export type BitDepth = 1 | 8 | 16 | 32;

/** The typed arrays that hold label volumes. */
export type LabelArray = Uint8Array | Uint16Array | Uint32Array;

/** Largest label a bit depth can hold. */
export function maxLabel(bitDepth: BitDepth): number {
  return bitDepth === 32 ? 0xffffffff : 2 ** bitDepth - 1;
}

/**
 * The smallest label bit depth (8, 16 or 32) that holds labels up to `top`.
 * @example bitDepthFor(117); // 8
 */
export function bitDepthFor(top: number): 8 | 16 | 32 {
  return top <= 0xff ? 8 : top <= 0xffff ? 16 : 32;
}

/** Bytes per voxel in memory for a bit depth (bit depth 1 uses one byte per voxel). */
export function bytesPerVoxel(bitDepth: BitDepth): 1 | 2 | 4 {
  return bitDepth === 32 ? 4 : bitDepth === 16 ? 2 : 1;
}

/** The typed array that holds labels of a bit depth (bit depth 1: a byte per voxel). */
export function labelArrayType(bitDepth: BitDepth): Uint8ArrayConstructor | Uint16ArrayConstructor | Uint32ArrayConstructor {
  return bitDepth === 32 ? Uint32Array : bitDepth === 16 ? Uint16Array : Uint8Array;
}

/** The label array of `length` voxels of `bytes` bytes each, over `buffer` from `byteOffset`. */
export function labelView(bytes: 1 | 2 | 4, buffer: ArrayBufferLike, byteOffset: number, length: number): LabelArray {
  return new (labelArrayType((bytes * 8) as BitDepth))(buffer as ArrayBuffer, byteOffset, length);
}

/** Whether this platform stores multi-byte numbers low byte first (every platform medmask runs on today). */
export const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** Most elements a typed array may have (V8 in Node 20 and Chromium: 2^32). */
export const MAX_VOXELS = 2 ** 32;

/**
 * Most bytes a volume may have: every pass views its voxels as bytes (the kernels' streams,
 * the encoders), and a Uint8Array holds at most 2^32 elements, so uint16 volumes stop at
 * 2^31 voxels and uint32 ones at 2^30.
 */
export const MAX_VOLUME_BYTES = 2 ** 32;

/** OUT_OF_MEMORY when no typed array here can hold `length` voxels (of `bytes` bytes each). */
export function checkVoxelCount(length: number, bytes: 1 | 2 | 4 = 1): void {
  if (length > MAX_VOXELS) {
    throw new ResourceError("OUT_OF_MEMORY", `${length} voxels exceed the ${MAX_VOXELS} a typed array can hold here; process the volume in slabs.`);
  }
  if (length * bytes > MAX_VOLUME_BYTES) {
    throw new ResourceError("OUT_OF_MEMORY", `${length} voxels of ${bytes} bytes are ${((length * bytes) / 2 ** 30).toFixed(1)} GiB, over the 4 GiB of voxel bytes medmask can view here (a byte view holds at most 2^32); process the volume in slabs, or use labels of fewer bits.`);
  }
}

/**
 * The labels of `bitDepth` in `bytes` (whole voxels, in the platform's byte order), as a
 * view when `bytes` sits on a voxel boundary, else copied into a new array.
 */
export function labelsOf(bitDepth: BitDepth, bytes: Uint8Array): LabelArray {
  const size = bytesPerVoxel(bitDepth);
  if (bytes.byteOffset % size === 0) return labelView(size, bytes.buffer, bytes.byteOffset, bytes.byteLength / size);
  const labels = allocLabels(bitDepth, bytes.byteLength / size);
  new Uint8Array(labels.buffer, labels.byteOffset, labels.byteLength).set(bytes);
  return labels;
}

/**
 * A zero-filled label array of `length` voxels for `bitDepth`; OUT_OF_MEMORY (checked up
 * front, never a crash) when the runtime cannot hold it.
 */
export function allocLabels(bitDepth: BitDepth, length: number): LabelArray {
  const bytes = length * bytesPerVoxel(bitDepth);
  checkVoxelCount(length, bytesPerVoxel(bitDepth));
  try {
    return new (labelArrayType(bitDepth))(length);
  } catch (cause) {
    throw new ResourceError("OUT_OF_MEMORY", `Cannot allocate ${(bytes / 2 ** 30).toFixed(1)} GiB for ${length} voxels here; use a machine with more memory or process the volume in slabs.`, { cause });
  }
}

/** A zero-filled label array of `length` voxels of the same type as `data` (as `allocLabels`). */
export function labelsLike(data: LabelArray, length: number): LabelArray {
  return allocLabels((data.BYTES_PER_ELEMENT * 8) as 8 | 16 | 32, length);
}

/** Checks that `bitDepth` is one medmask supports. */
export function checkBitDepth(bitDepth: unknown): BitDepth {
  if (bitDepth === 1 || bitDepth === 8 || bitDepth === 16 || bitDepth === 32) return bitDepth;
  throw new InputError("INVALID_ARGUMENT", `Bit depth ${describeValue(bitDepth)} is not supported; use 1, 8, 16 or 32.`);
}

/**
 * The bit depth a typed array stands for; Uint8Array is 8 unless `requested` is 1.
 * Throws INVALID_DATA when the array type does not match the requested bit depth.
 */
export function bitDepthOf(data: unknown, requested?: BitDepth): BitDepth {
  const natural: BitDepth | undefined =
    data instanceof Uint8Array ? 8 : data instanceof Uint16Array ? 16 : data instanceof Uint32Array ? 32 : undefined;
  if (natural === undefined) {
    const type = data === null ? "null" : typeof data === "object" ? (data.constructor?.name ?? "object") : typeof data;
    throw new InputError(
      "INVALID_DATA",
      `Mask data must be a Uint8Array, Uint16Array or Uint32Array, got ${type}; convert it first, e.g. Uint16Array.from(values).`,
    );
  }
  if (requested === undefined) return natural;
  const depth = checkBitDepth(requested);
  if (bytesPerVoxel(depth) !== bytesPerVoxel(natural)) {
    throw new InputError(
      "INVALID_DATA",
      `Bit depth ${depth} needs a ${arrayTypeName(depth)}, got a ${data!.constructor.name}.`,
    );
  }
  return depth;
}

/** Checks that `label` is an integer in 1..maxLabel(bitDepth). */
export function checkLabelInRange(label: number, bitDepth: BitDepth): void {
  checkLabelValue(label);
  if (label > maxLabel(bitDepth)) {
    throw new LabelError(
      "LABEL_OUT_OF_RANGE",
      `Label ${label} does not fit bit depth ${bitDepth} (largest label ${maxLabel(bitDepth)}); use a larger bit depth.`,
    );
  }
}

/** Checks that `label` is an integer 0 < label < 2^32. */
export function checkLabelValue(label: unknown): asserts label is number {
  if (typeof label !== "number" || !Number.isInteger(label)) {
    throw new LabelError("INVALID_LABEL", `Label ${describeValue(label)} is not an integer; labels are integers from 1 to 4294967295.`);
  }
  if (label <= 0 || label > 0xffffffff) {
    throw new LabelError(
      "LABEL_OUT_OF_RANGE",
      `Label ${label} is out of range; labels are integers from 1 to 4294967295 (0 is the background).`,
    );
  }
}

/** The typed array that holds voxels of `bitDepth` (bit depth 1 uses bytes). */
export function arrayTypeName(bitDepth: BitDepth): string {
  return labelArrayType(bitDepth).name;
}

/** The dtype names of bit depths, as medmask and the Python library (numpy) write them. */
export type Dtype = "bool" | "uint8" | "uint16" | "uint32";
const DTYPE_OF: Record<BitDepth, Dtype> = { 1: "bool", 8: "uint8", 16: "uint16", 32: "uint32" };
const DEPTH_OF: Record<Dtype, BitDepth> = { bool: 1, uint8: 8, uint16: 16, uint32: 32 };

/** The dtype name of a bit depth (`bool` for 1). */
export function dtypeOf(bitDepth: BitDepth): Dtype {
  return DTYPE_OF[bitDepth];
}

/** The bit depth of a dtype name, or null for any other value. */
export function depthOfDtype(dtype: unknown): BitDepth | null {
  return typeof dtype === "string" && Object.hasOwn(DEPTH_OF, dtype) ? DEPTH_OF[dtype as Dtype] : null;
}
