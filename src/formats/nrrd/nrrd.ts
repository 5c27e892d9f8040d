// Plain NRRD label maps (`.nrrd`: ITK, 3D Slicer's label map volumes, pyradiomics), both
// ways (SPEC section 18). Reading is the .seg.nrrd reader's (a plain file has no segments, so
// its labels are unnamed, `idx_<label>`; a Slicer file's names come along); writing is a 3-D
// label map of the narrowest unsigned type, in LPS, as ITK and Slicer write them.
import { InputError, describeValue } from "../../errors.js";
import type { LimitOptions } from "../../limits.js";
import { SegmentationMask } from "../../mask.js";
import { checkOptions } from "../../options.js";
import { oneVolume } from "../../one-volume.js";
import { getKernels } from "../../kernels/index.js";
import { decodeSegNrrd } from "../seg-nrrd/seg-nrrd.js";
import { nrrdFile } from "./nrrd-file.js";

/**
 * An NRRD file's bytes as a SegmentationMask: a plain label map (labels unnamed,
 * `idx_<label>`) or a 3D Slicer segmentation (its names, colours and layers).
 * @example const seg = decodeNrrd(readFileSync("brain1_label.nrrd"));
 */
export function decodeNrrd(bytes: Uint8Array, options: LimitOptions = {}): SegmentationMask<string> {
  checkOptions(options, ["maxBytes"], "decodeNrrd");
  return decodeSegNrrd(bytes, options).mask;
}

/** Options of `encodeNrrd`. */
export interface NrrdWriteOptions {
  /** gzip the voxels (default true). */
  gzip?: boolean;
  /** Paint a layered mask into one volume (later layers win), as for NIfTI. */
  flatten?: boolean;
}

/**
 * A mask as a plain NRRD label map (3-D, LPS, the narrowest unsigned type that holds its
 * labels, gzip unless `{ gzip: false }`): what ITK, 3D Slicer (as a label map volume) and
 * pyradiomics read. An NRRD label map has no names: `encodeSegNrrd` keeps them.
 * @example writeFileSync("seg.nrrd", encodeNrrd(seg));
 */
export function encodeNrrd(seg: SegmentationMask<string>, options: NrrdWriteOptions = {}): Uint8Array {
  if (!(seg instanceof SegmentationMask)) throw new InputError("INVALID_ARGUMENT", `encodeNrrd takes a SegmentationMask, got ${describeValue(seg)}.`);
  checkOptions(options, ["gzip", "flatten"], "encodeNrrd");
  const data = oneVolume(seg, options.flatten, "A plain NRRD label map");
  return nrrdFile(seg.space, [data], getKernels().largest(data), [], options.gzip !== false);
}
