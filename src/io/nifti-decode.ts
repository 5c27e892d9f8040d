import type { LimitOptions } from "../limits.js";
import { SegmentationMask } from "../mask.js";
import { parseLabelsJson } from "./labels-json.js";
import { isGzip, readNifti, type NiftiVolume } from "./nifti.js";
import { readNiftiBlob } from "./nifti-blob.js";

/**
 * Whether `bytes` look like a NIfTI-1 file: gzip (a `.nii.gz`), or a header that starts with
 * its size, 348, in either byte order.
 */
export function looksLikeNifti(bytes: Uint8Array): boolean {
  if (isGzip(bytes)) return true;
  if (bytes.length < 348) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, 4);
  return view.getInt32(0, true) === 348 || view.getInt32(0, false) === 348;
}

/**
 * A NIfTI file's bytes as a SegmentationMask, named by the names it carries itself
 * (`encodeNifti`'s header extension, with their metadata); other labels are `idx_<label>`.
 * For the names sidecar beside a file on disk, use `loadNifti` (Node) or `loadMask`.
 * @example const seg = decodeNifti(bytes);
 * @example const seg = await decodeNifti(file); // a Blob or File: inflated by the platform's DecompressionStream
 */
export function decodeNifti(bytes: Uint8Array, options?: LimitOptions): SegmentationMask<string>;
export function decodeNifti(blob: Blob, options?: LimitOptions): Promise<SegmentationMask<string>>;
export function decodeNifti(input: Uint8Array | Blob, options: LimitOptions = {}): SegmentationMask<string> | Promise<SegmentationMask<string>> {
  // Anything not a Blob goes to readNifti, which says what it takes (a path is INVALID_ARGUMENT).
  if (typeof Blob !== "undefined" && input instanceof Blob) return readNiftiBlob(input, options).then(maskOf);
  return maskOf(readNifti(input as Uint8Array, options));
}

/** A NIfTI volume as a mask named by the names the file carries. */
function maskOf({ data, space, labels }: NiftiVolume): SegmentationMask<string> {
  if (labels === null) return new SegmentationMask(data, undefined, space);
  const { mapping, metadata } = parseLabelsJson(labels);
  return new SegmentationMask(data, mapping, space, { metadata });
}
