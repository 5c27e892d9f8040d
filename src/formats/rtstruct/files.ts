// loadRtStruct / saveRtStruct (Node): decodeRtStruct and encodeRtStruct on paths, the images'
// folder read with them.
import { InputError, describeValue } from "../../errors.js";
import { fileIO } from "../../file-io.js";
import type { SegmentationMask } from "../../mask.js";
import { checkOptions } from "../../options.js";
import { readImageHeads } from "../../dicom/image-heads.js";
import type { Space } from "../../space.js";
import { decodeRtStruct, type DecodedRtStruct } from "./decode.js";
import { encodeRtStruct, type RtStructWriteOptions } from "./encode.js";

/** Options of `loadRtStruct`: the grid, as `decodeRtStruct` takes it, or the images' folder. */
export interface RtStructLoadOptions {
  /** The folder of the images the contours were drawn on (its DICOM files), or their bytes. */
  source?: string | readonly Uint8Array[];
  space?: Space;
  maxBytes?: number;
}

/** Options of `saveRtStruct`: `encodeRtStruct`'s, the images as a folder too, and whether to replace a file. */
export interface RtStructSaveOptions extends Omit<RtStructWriteOptions, "source"> {
  /** The folder of the images the mask lies on (its DICOM files), or their bytes. */
  source?: string | readonly Uint8Array[];
  overwrite?: boolean;
}

/** The images of `source`: the DICOM files of a folder up to their pixel data, or the bytes given. */
async function imagesOf(source: string | readonly Uint8Array[] | undefined): Promise<readonly Uint8Array[] | undefined> {
  return typeof source === "string" ? readImageHeads(source) : source;
}

/**
 * Reads an RT Structure Set (Node): `decodeRtStruct` of the file, onto the grid of the images in
 * the folder `source` (its DICOM files, read up to their pixel data) or a `space`.
 * @example const { mask, rois } = await loadRtStruct("RS.dcm", { source: "ct/" });
 */
export async function loadRtStruct(path: string, options: RtStructLoadOptions = {}): Promise<DecodedRtStruct> {
  if (typeof path !== "string") throw new InputError("INVALID_ARGUMENT", `loadRtStruct takes a path, got ${describeValue(path)}; for bytes, use decodeRtStruct.`);
  checkOptions(options, ["source", "space", "maxBytes"], "loadRtStruct");
  const bytes = await fileIO("Loading an RT Structure Set").readFile(path);
  const { source, ...rest } = options;
  const images = await imagesOf(source);
  return decodeRtStruct(bytes, { ...rest, ...(images ? { source: images } : {}) });
}

/**
 * Writes `seg` as an RT Structure Set file (Node), atomically: `encodeRtStruct`, with the
 * images of the folder `source` (its DICOM files, read up to their pixel data); an existing file is
 * replaced only with `{ overwrite: true }` (FILE_EXISTS otherwise).
 * @example await saveRtStruct(seg, "RS.dcm", { source: "ct/" });
 */
export async function saveRtStruct(seg: SegmentationMask<string>, path: string, options: RtStructSaveOptions = {}): Promise<void> {
  if (typeof path !== "string") throw new InputError("INVALID_ARGUMENT", `saveRtStruct takes a path, got ${describeValue(path)}; for bytes, use encodeRtStruct.`);
  checkOptions(options, ["source", "types", "algorithmType", "label", "seriesDescription", "overwrite"], "saveRtStruct");
  const { overwrite, source, ...rest } = options;
  const images = await imagesOf(source);
  const bytes = encodeRtStruct(seg, { ...rest, ...(images ? { source: images } : {}) });
  await fileIO("Saving an RT Structure Set").writeAtomic(path, [bytes], { overwrite: overwrite === true });
}
