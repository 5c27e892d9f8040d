import { FormatError, InputError, describeValue } from "../errors.js";
import { checkOptions } from "../options.js";
import type { SegmentationMask } from "../mask.js";
import { bytesOfBlob, checkBytes, isBlob, magicOf } from "../sources/bytes.js";
import { encodeNative, type EncodeOptions, type MaskInfo } from "./native/native.js";
import { encodePythonMask } from "./python/write.js";
import { PYTHON_MASK_MAGIC } from "./python/read.js";
import { initZstdDecoder } from "../codecs/zstd.js";
import type { DecodeOptions, TargetOptions } from "./decode-target.js";
import { formatOf, unknownFormat } from "./registry.js";

export type { DecodeOptions } from "./decode-target.js";

/**
 * Encodes a mask in the native medmask format (docs/FORMAT.md), or with `{ format: "python" }`
 * as the Python library's `.msk` (where Node's zlib has no zstd, `await initZstd()` first).
 * @example const bytes = encodeMask(seg, { codec: "rle-rows-deflate", level: 6 });
 * @example await initZstd(); const forPython = encodeMask(seg, { format: "python" });
 */
export function encodeMask(seg: SegmentationMask<string>, options: EncodeOptions = {}): Uint8Array {
  checkOptions(options, ["format", "codec", "level", "slabDepth", "flatten"], "encodeMask");
  const { format = "native", flatten, ...rest } = options ?? {};
  if (format === "native") return encodeNative(flatten === true && seg.layerCount > 1 ? seg.flatten().mask : seg, rest);
  if (format !== "python") throw new InputError("INVALID_ARGUMENT", `Unknown format ${describeValue(format)}; use "native" or "python".`);
  if (rest.codec !== undefined || rest.slabDepth !== undefined) {
    throw new InputError("INVALID_ARGUMENT", "The Python format has one codec (zstd) and no slabs: codec and slabDepth do not apply; level is the zstd level.");
  }
  return encodePythonMask(seg, { level: rest.level, flatten });
}

/**
 * Decodes a single-mask file of any format, told apart by its content: the native format,
 * the Python library's `.msk`, NIfTI (`.nii` / `.nii.gz`, names from the file itself) and
 * 3D Slicer's `.seg.nrrd` and DICOM SEG (`.dcm`). `out` and `pool` apply to the native and Python formats (the
 * others are decoded into new memory); `resident` to all. A string (a path) is
 * INVALID_ARGUMENT: `loadMask` takes paths.
 * @example const seg = decodeMask(bytes);
 * @example for (const bytes of files) stats(decodeMask(bytes, { out: buffer })); // one buffer for all
 * @example const live = decodeMask(bytes, { resident: true }); // voxels in WASM memory of their own
 * @example const seg = await decodeMask(fileFromAPicker); // a Blob or File: read, then decoded
 */
export function decodeMask(bytes: Uint8Array, options?: DecodeOptions): SegmentationMask<string>;
export function decodeMask(blob: Blob, options?: DecodeOptions): Promise<SegmentationMask<string>>;
/** Either: bytes give the result, a Blob a Promise of it (`await` takes both). */
export function decodeMask(input: Uint8Array | Blob, options?: DecodeOptions): SegmentationMask<string> | Promise<SegmentationMask<string>>;
export function decodeMask(input: Uint8Array | Blob, options: DecodeOptions = {}): SegmentationMask<string> | Promise<SegmentationMask<string>> {
  if (isBlob(input)) return bytesOfBlob(input).then(async (bytes) => {
    // The WebAssembly zstd where the platform has none: a Python file decodes at its speed.
    if (magicOf(bytes) === PYTHON_MASK_MAGIC) await initZstdDecoder();
    return decodeMask(bytes, options);
  });
  return decodeBytes(input, options);
}

function decodeBytes(bytes: Uint8Array, options: DecodeOptions): SegmentationMask<string> {
  checkOptions(options, ["out", "resident", "maxBytes", "pool"], "decodeMask");
  checkBytes(bytes, "decodeMask");
  const format = formatOf(bytes);
  if (!format) throw unknownFormat(bytes);
  if (format.inPlace) return format.decode(bytes, options);
  if (options.out !== undefined || (options as TargetOptions).pool !== undefined) {
    throw new InputError("INVALID_ARGUMENT", `out decodes medmask and Python medmask files in place; this is a ${format.name} file, decoded into new memory. Decode it without out.`);
  }
  return residentIf(format.decode(bytes, { maxBytes: options.maxBytes }), options.resident === true);
}

/** `mask`, moved into WASM memory of its own when `resident` (its new memory released). */
export function residentIf(mask: SegmentationMask<string>, resident: boolean): SegmentationMask<string> {
  if (!resident) return mask;
  const live = mask.toResident();
  mask.dispose();
  return live;
}

/**
 * What a mask file says about itself (space, mapping, bit depth, per-label statistics for
 * native files) without decoding any voxel.
 */
export function readMaskInfo(bytes: Uint8Array): MaskInfo {
  const format = formatOf(bytes);
  if (format?.info) return format.info(bytes);
  if (format) throw new FormatError("BAD_FORMAT", `readMaskInfo reads the headers of medmask and Python medmask files; this is a ${format.name} file: decode it (decodeMask) for its space, mapping and statistics.`);
  throw unknownFormat(bytes);
}
