import { FormatError, InputError, describeValue } from "../errors.js";
import { checkOptions } from "../options.js";
import type { SegmentationMask } from "../mask.js";
import { bytesOfBlob, checkBytes, isBlob, magicOf } from "./bytes.js";
import { NATIVE_MAGIC, decodeNative, encodeNative, nativeInfo, type EncodeOptions, type MaskInfo } from "./native.js";
import { encodePythonMask } from "./python-write.js";
import { PYTHON_ARCHIVE_MAGIC, PYTHON_MASK_MAGIC, decodePythonMask, pythonMaskInfo } from "./python.js";
import { initZstd } from "./zstd.js";
import { ARCHIVE_MAGIC } from "./archive-layout.js";
import { decodeNifti, looksLikeNifti } from "../io/nifti-decode.js";
import { decodeSegNrrd } from "../io/seg-nrrd.js";
import { looksLikeDicom } from "../io/dicom-parse.js";
import { decodeDicomSeg } from "../io/dicom-seg-decode.js";
import type { DecodeOptions, TargetOptions } from "./decode-target.js";

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

function unknownMagic(bytes: Uint8Array): FormatError {
  const magic = magicOf(bytes);
  if (magic === ARCHIVE_MAGIC || magic === PYTHON_ARCHIVE_MAGIC) {
    return new FormatError("BAD_FORMAT", "This is a mask archive (many masks), not a single mask; open it with MaskArchive.");
  }
  if (bytes.length < 4) return new FormatError("TRUNCATED", `${bytes.length} bytes cannot be a mask file.`);
  return new FormatError("BAD_FORMAT", `Not a mask file: it starts with ${JSON.stringify(magic)}; medmask reads its own files ("${NATIVE_MAGIC}"), Python medmask's ("${PYTHON_MASK_MAGIC}"), NIfTI, 3D Slicer .seg.nrrd and DICOM SEG.`);
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
export function decodeMask(input: Uint8Array | Blob, options: DecodeOptions = {}): SegmentationMask<string> | Promise<SegmentationMask<string>> {
  if (isBlob(input)) return bytesOfBlob(input).then(async (bytes) => {
    // The WebAssembly zstd where the platform has none: a Python file decodes at its speed.
    if (magicOf(bytes) === PYTHON_MASK_MAGIC) await initZstd();
    return decodeMask(bytes, options);
  });
  return decodeBytes(input, options);
}

function decodeBytes(bytes: Uint8Array, options: DecodeOptions): SegmentationMask<string> {
  checkOptions(options, ["out", "resident", "maxBytes", "pool"], "decodeMask");
  checkBytes(bytes, "decodeMask");
  const magic = magicOf(bytes);
  if (magic === NATIVE_MAGIC) return decodeNative(bytes, undefined, options);
  if (magic === PYTHON_MASK_MAGIC) return decodePythonMask(bytes, options);
  const other =
    magic === "NRRD"
      ? () => decodeSegNrrd(bytes, { maxBytes: options.maxBytes }).mask
      : looksLikeNifti(bytes)
        ? () => decodeNifti(bytes, { maxBytes: options.maxBytes })
        : looksLikeDicom(bytes)
          ? () => decodeDicomSeg(bytes, { maxBytes: options.maxBytes }).mask
          : null;
  if (!other) throw unknownMagic(bytes);
  if (options.out !== undefined || (options as TargetOptions).pool !== undefined) {
    throw new InputError("INVALID_ARGUMENT", `out decodes medmask and Python medmask files in place; this is a ${magic === "NRRD" ? ".seg.nrrd" : looksLikeNifti(bytes) ? "NIfTI" : "DICOM SEG"} file, decoded into new memory. Decode it without out.`);
  }
  return residentIf(other(), options.resident === true);
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
  const magic = magicOf(bytes);
  if (magic === NATIVE_MAGIC) return nativeInfo(bytes);
  if (magic === PYTHON_MASK_MAGIC) return pythonMaskInfo(bytes);
  throw unknownMagic(bytes);
}
