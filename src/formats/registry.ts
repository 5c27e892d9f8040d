// The single-mask formats, one descriptor each, in the order their content is tried: what
// decodeMask, loadMask and the command line iterate instead of each keeping its own list.
// gzip is a container, not a format: its first bytes are inflated and their content decides,
// so a FreeSurfer .mgz or a .gipl.gz is read as one, not taken for a broken NIfTI.
import { FormatError } from "../errors.js";
import type { SegmentationMask } from "../mask.js";
import { gunzipHead } from "../codecs/gzip.js";
import { looksLikeDicom } from "../dicom/parse.js";
import { magicOf } from "../sources/bytes.js";
import type { DecodeOptions } from "./decode-target.js";
import { decodeDicomSeg } from "./dicom-seg/decode.js";
import { ARCHIVE_MAGIC } from "./native/archive-layout.js";
import { NATIVE_MAGIC, decodeNative, nativeInfo, type MaskInfo } from "./native/native.js";
import { decodeGipl, looksLikeGipl } from "./gipl/gipl.js";
import { decodeMetaImage, looksLikeMetaImage } from "./metaimage/metaimage.js";
import { decodeMgh, looksLikeMgh } from "./mgh/mgh.js";
import { decodeNrrd } from "./nrrd/nrrd.js";
import { decodeNifti } from "./nifti/decode.js";
import { isGzip } from "./nifti/read.js";
import { PYTHON_ARCHIVE_MAGIC, PYTHON_MASK_MAGIC, decodePythonMask, pythonMaskInfo } from "./python/read.js";
import { decodeSegNrrd } from "./seg-nrrd/seg-nrrd.js";

/** One single-mask format: how it is recognised and read. */
export interface FormatDescriptor {
  readonly id: "native" | "python" | "nifti" | "mgh" | "seg-nrrd" | "nrrd" | "metaimage" | "gipl" | "dicom-seg";
  /** What messages call it. */
  readonly name: string;
  /** File name endings, lower case, longest first. */
  readonly extensions: readonly string[];
  /** Whether a file starting with `head` (its first bytes, inflated when gzip) is this format. */
  sniff(head: Uint8Array): boolean;
  /** The mask of a whole file. */
  decode(bytes: Uint8Array, options: DecodeOptions): SegmentationMask<string>;
  /** Whether `decode` takes `out` and `pool` (decoding into memory the caller gives). */
  readonly inPlace: boolean;
  /** Whether the format is also read as a gzip stream of itself (.nii.gz, .mgz). */
  readonly gzipped?: boolean;
  /** What the file says about itself without decoding a voxel, where its header holds it. */
  info?(bytes: Uint8Array): MaskInfo;
}

/** The bytes of a file's head the formats need to tell themselves apart (DICOM's preamble and magic). */
export const SNIFF_BYTES = 352;

/** A NIfTI-1 header: sizeof_hdr 348, either byte order. */
function niftiHeader(head: Uint8Array): boolean {
  if (head.length < 348) return false;
  const view = new DataView(head.buffer, head.byteOffset, 4);
  return view.getInt32(0, true) === 348 || view.getInt32(0, false) === 348;
}

export const FORMATS: readonly FormatDescriptor[] = [
  { id: "native", name: "medmask mask", extensions: [".msk"], sniff: (h) => magicOf(h) === NATIVE_MAGIC, decode: (b, o) => decodeNative(b, undefined, o), inPlace: true, info: nativeInfo },
  { id: "python", name: "Python medmask mask", extensions: [".msk"], sniff: (h) => magicOf(h) === PYTHON_MASK_MAGIC, decode: (b, o) => decodePythonMask(b, o), inPlace: true, info: pythonMaskInfo },
  { id: "seg-nrrd", name: "3D Slicer .seg.nrrd", extensions: [".seg.nrrd"], sniff: (h) => magicOf(h) === "NRRD", decode: (b, o) => decodeSegNrrd(b, { maxBytes: o.maxBytes }).mask, inPlace: false },
  // Read by content as a .seg.nrrd (the same reader: a plain file has no segments); its own
  // entry names the extension, which writers take to mean a plain label map.
  { id: "nrrd", name: "NRRD", extensions: [".nrrd"], sniff: (h) => magicOf(h) === "NRRD", decode: (b, o) => decodeNrrd(b, { maxBytes: o.maxBytes }), inPlace: false },
  { id: "metaimage", name: "MetaImage", extensions: [".mha", ".mhd"], sniff: looksLikeMetaImage, decode: (b, o) => decodeMetaImage(b, { maxBytes: o.maxBytes }), inPlace: false },
  { id: "nifti", name: "NIfTI", extensions: [".nii.gz", ".nii"], sniff: niftiHeader, decode: (b, o) => decodeNifti(b, { maxBytes: o.maxBytes }), inPlace: false, gzipped: true },
  { id: "mgh", name: "FreeSurfer MGH", extensions: [".mgz", ".mgh"], sniff: looksLikeMgh, decode: (b, o) => decodeMgh(b, { maxBytes: o.maxBytes }), inPlace: false, gzipped: true },
  { id: "gipl", name: "GIPL", extensions: [".gipl.gz", ".gipl"], sniff: looksLikeGipl, decode: (b, o) => decodeGipl(b, { maxBytes: o.maxBytes }), inPlace: false, gzipped: true },
  { id: "dicom-seg", name: "DICOM SEG", extensions: [".dcm"], sniff: looksLikeDicom, decode: (b, o) => decodeDicomSeg(b, { maxBytes: o.maxBytes }).mask, inPlace: false },
];

/** The first bytes of a file as the formats see them: inflated when it is gzip. */
export function headOf(bytes: Uint8Array): Uint8Array {
  return isGzip(bytes) ? gunzipHead(bytes, SNIFF_BYTES) : bytes.subarray(0, SNIFF_BYTES);
}

/** The format of a file, by its content (`bytes`: the whole file, or at least its first SNIFF_BYTES). */
export function formatOf(bytes: Uint8Array): FormatDescriptor | null {
  const head = headOf(bytes);
  if (isGzip(bytes)) {
    // What the stream holds decides (.nii.gz, .mgz). A stream that inflates to less than
    // any header is a broken one, and NIfTI's reader says how (truncated, corrupt).
    const inside = FORMATS.find((f) => f.gzipped && f.sniff(head));
    return inside ?? (head.length < 284 ? FORMATS.find((f) => f.id === "nifti")! : null);
  }
  return FORMATS.find((f) => f.sniff(head)) ?? null;
}

/** The format a file name says (its extension), or null. */
export function formatOfName(name: string): FormatDescriptor | null {
  const lower = name.toLowerCase();
  return FORMATS.find((f) => f.extensions.some((e) => lower.endsWith(e))) ?? null;
}

/**
 * A BrainVoyager mask's geometry when `bytes` are one (a 14-byte header of little-endian
 * uint16: resolution, then the start and end of x, y and z on the 256^3 VMR grid, and one byte
 * per voxel after it, as many as those spans hold), else null.
 */
function brainVoyagerMask(bytes: Uint8Array): string | null {
  if (bytes.length < 15) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, 14);
  const resolution = view.getUint16(0, true), span = [2, 6, 10].map((at) => (view.getUint16(at + 2, true) - view.getUint16(at, true)) / resolution);
  const whole = resolution >= 1 && resolution <= 8 && span.every((n) => Number.isInteger(n) && n > 0 && n <= 256);
  return whole && 14 + span[0]! * span[1]! * span[2]! === bytes.length ? `${span.join("x")} voxels at ${resolution} mm` : null;
}

/** What a file that no format takes is, said so the user knows what would open it. */
export function unknownFormat(bytes: Uint8Array): FormatError {
  if (bytes.length < 4) return new FormatError("TRUNCATED", `${bytes.length} bytes cannot be a mask file.`);
  const magic = magicOf(bytes);
  if (magic === ARCHIVE_MAGIC || magic === PYTHON_ARCHIVE_MAGIC) return new FormatError("BAD_FORMAT", "This is a mask archive (many masks), not a single mask; open it with MaskArchive.");
  const supported = `medmask reads its own files ("${NATIVE_MAGIC}"), Python medmask's ("${PYTHON_MASK_MAGIC}"), NIfTI (.nii, .nii.gz), FreeSurfer MGH (.mgh, .mgz), MetaImage (.mha, .mhd), GIPL (.gipl, .gipl.gz), NRRD and 3D Slicer .seg.nrrd, and DICOM SEG`;
  const brainVoyager = brainVoyagerMask(bytes);
  if (brainVoyager) return new FormatError("BAD_FORMAT", `This is a BrainVoyager mask (.msk: ${brainVoyager}), not medmask's .msk; medmask does not read BrainVoyager files: export it as NIfTI from BrainVoyager (or read it with nibabel's BrainVoyager reader), then open that.`);
  if (isGzip(bytes)) {
    const head = headOf(bytes);
    return new FormatError("BAD_FORMAT", `This is a gzip stream whose content is not a mask file medmask knows (${JSON.stringify(magicOf(head))}...); ${supported}.`);
  }
  return new FormatError("BAD_FORMAT", `Not a mask file: it starts with ${JSON.stringify(magic)}; ${supported}.`);
}
