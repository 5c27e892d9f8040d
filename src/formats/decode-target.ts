import { allocLabels, arrayTypeName, bytesPerVoxel, labelArrayType, type BitDepth, type LabelArray } from "../bitdepth.js";
import { InputError, describeValue } from "../errors.js";
import { residentLabels } from "../kernels/index.js";
import { checkFits, maxBytesOf, type LimitOptions } from "../limits.js";

/** TOO_LARGE, before anything is allocated, for a volume of new memory over `maxBytes`. */
export function checkVolume(bitDepth: BitDepth, length: number, options: LimitOptions): void {
  checkFits(length * bytesPerVoxel(bitDepth), maxBytesOf(options), `This mask (${length} voxels of ${bytesPerVoxel(bitDepth)} bytes)`);
}

/** Options of the decoders (`decodeMask`, `loadMask`, `MaskArchive.load`). */
export interface DecodeOptions extends LimitOptions {
  /**
   * Decode into this array instead of new memory: the file's label type (Uint8Array for
   * bit depths 1 and 8, Uint16Array, Uint32Array) with one element per voxel, else
   * INVALID_ARGUMENT before anything is written. The mask returned wraps it, so reuse it
   * for the next decode only when done with that mask. A batch that decodes many volumes
   * one after another reuses one buffer and skips the fresh pages a new volume costs (most
   * of a CT-sized decode). A corrupt file (checksum) leaves it untouched; after other
   * decode errors its contents are unspecified.
   */
  out?: LabelArray;
  /**
   * Decode straight into WASM memory of the mask's own, as `toResident()` would leave it,
   * without a second copy (for a viewer that loads a volume to query it many times).
   */
  resident?: boolean;
}

/**
 * The decoders' own options: `DecodeOptions`, and a pool of buffers by bit depth that
 * successive decodes share (`MaskArchive.entries({ reuse: true })`): a decode takes the buffer
 * of its file's type, or allocates one and leaves it in the pool.
 */
export interface TargetOptions extends DecodeOptions {
  pool?: Map<BitDepth, LabelArray>;
}

/**
 * Whether a decode goes into new memory of its own (no `out`, pool or resident volume):
 * `decodeTarget` would allocate it, so a decoder whose output is already new memory of the
 * volume's size may keep that instead (the Python reader keeps zstd's output).
 */
export function intoNewMemory(options: TargetOptions): boolean {
  return options.out === undefined && options.pool === undefined && options.resident !== true;
}

/**
 * Where a decoder writes `length` voxels of `bitDepth`: new memory (TOO_LARGE up front over
 * `maxBytes`, OUT_OF_MEMORY when the platform cannot hold it), the caller's `out` (INVALID_ARGUMENT, before anything is written, when its
 * type or length does not fit or it overlaps `source`, the bytes being decoded), a new
 * resident volume, or the pool's buffer of `bitDepth` (allocated on first use); `zeroed`
 * when it is known to hold only zeros (fresh memory), so background need not be written.
 */
export function decodeTarget(bitDepth: BitDepth, length: number, options: TargetOptions, source: Uint8Array): { data: LabelArray; zeroed: boolean } {
  if (options.out === undefined) checkVolume(bitDepth, length, options);
  if (options.resident === true) {
    if (options.out !== undefined) throw new InputError("INVALID_ARGUMENT", "Pass either out or resident, not both.");
    return { data: residentLabels(bytesPerVoxel(bitDepth), length).data, zeroed: true };
  }
  const out = options.out ?? options.pool?.get(bitDepth);
  if (out === undefined) {
    const data = allocLabels(bitDepth, length);
    options.pool?.set(bitDepth, data);
    return { data, zeroed: true };
  }
  // The caller's array, checked before anything is written.
  const fits = out instanceof labelArrayType(bitDepth) && out.length === length;
  if (!fits) {
    throw new InputError("INVALID_ARGUMENT", `out must be a ${arrayTypeName(bitDepth)} of ${length} voxels (bit depth ${bitDepth}), got ${describeValue(out)}.`);
  }
  const overlaps = out.buffer === source.buffer && out.byteOffset < source.byteOffset + source.byteLength && source.byteOffset < out.byteOffset + out.byteLength;
  if (overlaps) throw new InputError("INVALID_ARGUMENT", "out overlaps the bytes being decoded; pass a separate array.");
  return { data: out, zeroed: false };
}

/**
 * `decodeTarget` for a file of `layerCount` layers: one layer goes where `decodeTarget` says;
 * several go to new memory (TOO_LARGE over `maxBytes` for all of them), or one resident
 * memory with `resident`; `out` holds one volume, so a layered file with `out` is
 * INVALID_ARGUMENT (a pool gives its buffer to layer 0).
 */
export function decodeLayersTarget(bitDepth: BitDepth, length: number, layerCount: number, options: TargetOptions, source: Uint8Array): { layers: LabelArray[]; zeroed: boolean[] } {
  if (layerCount === 1) {
    const { data, zeroed } = decodeTarget(bitDepth, length, options, source);
    return { layers: [data], zeroed: [zeroed] };
  }
  if (options.out !== undefined) throw new InputError("INVALID_ARGUMENT", `This mask has ${layerCount} layers; out holds one volume. Decode without out.`);
  checkFits(length * bytesPerVoxel(bitDepth) * layerCount, maxBytesOf(options), `This mask (${layerCount} layers of ${length} voxels of ${bytesPerVoxel(bitDepth)} bytes)`);
  if (options.resident === true) return { layers: residentLabels(bytesPerVoxel(bitDepth), length, layerCount).layers, zeroed: Array(layerCount).fill(true) };
  const first = decodeTarget(bitDepth, length, { ...options }, source);
  const rest = Array.from({ length: layerCount - 1 }, () => allocLabels(bitDepth, length));
  return { layers: [first.data, ...rest], zeroed: [first.zeroed, ...rest.map(() => true)] };
}
