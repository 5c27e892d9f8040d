import { InputError, describeValue } from "../../errors.js";
import { fileIO } from "../../file-io.js";
import { decodeSegNrrd, encodeSegNrrd, type SegNrrdReadOptions, type SegNrrdWriteOptions, type SlicerSegment } from "./seg-nrrd.js";
import type { SegmentationMask } from "../../mask.js";
import { checkOptions } from "../../options.js";

/**
 * Reads a 3D Slicer `.seg.nrrd` file (Node): `decodeSegNrrd` of its bytes.
 * @example const { mask, segments } = await loadSegNrrd("Segmentation.seg.nrrd");
 */
export async function loadSegNrrd(path: string, options: SegNrrdReadOptions = {}): Promise<{ mask: SegmentationMask<string>; segments: SlicerSegment[] }> {
  if (typeof path !== "string") throw new InputError("INVALID_ARGUMENT", `loadSegNrrd takes a path, got ${describeValue(path)}; for bytes, use decodeSegNrrd.`);
  checkOptions(options, ["maxBytes", "renameDuplicates"], "loadSegNrrd");
  const { mask, segments } = decodeSegNrrd(await fileIO("Loading a .seg.nrrd").readFile(path), options);
  return { mask, segments };
}

/**
 * Writes `seg` as a 3D Slicer `.seg.nrrd` (Node), atomically; an existing file is replaced
 * only with `{ overwrite: true }` (FILE_EXISTS otherwise).
 * @example await saveSegNrrd(seg, "Segmentation.seg.nrrd");
 */
export async function saveSegNrrd(seg: SegmentationMask<string>, path: string, options: SegNrrdWriteOptions & { overwrite?: boolean } = {}): Promise<void> {
  checkOptions(options, ["gzip", "colors", "overwrite"], "saveSegNrrd");
  const { overwrite, ...encode } = options;
  await fileIO("Saving a .seg.nrrd").writeAtomic(path, [encodeSegNrrd(seg, encode)], { overwrite: overwrite === true });
}
