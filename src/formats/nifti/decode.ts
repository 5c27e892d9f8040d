import type { LimitOptions } from "../../limits.js";
import { SegmentationMask } from "../../mask.js";
import { parseLabelsJson } from "../label-tables/labels-json.js";
import { readNifti, type NiftiVolume } from "./read.js";
import { readNiftiBlob } from "./blob.js";

/**
 * A NIfTI file's bytes as a SegmentationMask, named by the names it carries itself
 * (`encodeNifti`'s header extension, with their metadata); other labels are `idx_<label>`.
 * For the names sidecar beside a file on disk, use `loadNifti` (Node) or `loadMask`.
 * @example const seg = decodeNifti(bytes);
 * @example const seg = await decodeNifti(file); // a Blob or File: inflated by the platform's DecompressionStream
 */
export function decodeNifti(bytes: Uint8Array, options?: LimitOptions): SegmentationMask<string>;
export function decodeNifti(blob: Blob, options?: LimitOptions): Promise<SegmentationMask<string>>;
/** Either: bytes give the result, a Blob a Promise of it (`await` takes both). */
export function decodeNifti(input: Uint8Array | Blob, options?: LimitOptions): SegmentationMask<string> | Promise<SegmentationMask<string>>;
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
