// loadRtStruct / saveRtStruct (Node): decodeRtStruct and encodeRtStruct on paths, the images'
// folder read with them.
import { InputError, describeValue } from "../../errors.js";
import { fileIO } from "../../file-io.js";
import type { SegmentationMask } from "../../mask.js";
import { checkOptions } from "../../options.js";
import type { Space } from "../../space.js";
import { decodeRtStruct, type DecodedRtStruct } from "./decode.js";
import { encodeRtStruct, type RtStructWriteOptions } from "./encode.js";

/** Options of `loadRtStruct`: the grid, as `decodeRtStruct` takes it, or the images' folder. */
export interface RtStructLoadOptions {
  /** The folder of the images the contours were drawn on (every file in it), or their bytes. */
  source?: string | readonly Uint8Array[];
  space?: Space;
  maxBytes?: number;
}

/** Options of `saveRtStruct`: `encodeRtStruct`'s, the images as a folder too, and whether to replace a file. */
export interface RtStructSaveOptions extends Omit<RtStructWriteOptions, "source"> {
  /** The folder of the images the mask lies on (every file in it), or their bytes. */
  source?: string | readonly Uint8Array[];
  overwrite?: boolean;
}

/** The images of `source`: every file of a folder, read in name order, or the bytes given. */
async function imagesOf(source: string | readonly Uint8Array[] | undefined, what: string): Promise<readonly Uint8Array[] | undefined> {
  if (typeof source !== "string") return source;
  const io = fileIO(what);
  const names = (await io.list(source)).sort();
  return Promise.all(names.map((name) => io.readFile(`${source.replace(/[/\\]$/, "")}/${name}`)));
}

/**
 * Reads an RT Structure Set (Node): `decodeRtStruct` of the file, onto the grid of the images in
 * the folder `source` (every file in it is one of them) or a `space`.
 * @example const { mask, rois } = await loadRtStruct("RS.dcm", { source: "ct/" });
 */
export async function loadRtStruct(path: string, options: RtStructLoadOptions = {}): Promise<DecodedRtStruct> {
  if (typeof path !== "string") throw new InputError("INVALID_ARGUMENT", `loadRtStruct takes a path, got ${describeValue(path)}; for bytes, use decodeRtStruct.`);
  checkOptions(options, ["source", "space", "maxBytes"], "loadRtStruct");
  const bytes = await fileIO("Loading an RT Structure Set").readFile(path);
  const { source, ...rest } = options;
  const images = await imagesOf(source, "Reading the source images");
  return decodeRtStruct(bytes, { ...rest, ...(images ? { source: images } : {}) });
}

/**
 * Writes `seg` as an RT Structure Set file (Node), atomically: `encodeRtStruct`, with the
 * images of the folder `source` (every file in it is one of them); an existing file is
 * replaced only with `{ overwrite: true }` (FILE_EXISTS otherwise).
 * @example await saveRtStruct(seg, "RS.dcm", { source: "ct/" });
 */
export async function saveRtStruct(seg: SegmentationMask<string>, path: string, options: RtStructSaveOptions = {}): Promise<void> {
  if (typeof path !== "string") throw new InputError("INVALID_ARGUMENT", `saveRtStruct takes a path, got ${describeValue(path)}; for bytes, use encodeRtStruct.`);
  checkOptions(options, ["source", "types", "algorithmType", "label", "seriesDescription", "overwrite"], "saveRtStruct");
  const { overwrite, source, ...rest } = options;
  const images = await imagesOf(source, "Reading the source images");
  const bytes = encodeRtStruct(seg, { ...rest, ...(images ? { source: images } : {}) });
  await fileIO("Saving an RT Structure Set").writeAtomic(path, [bytes], { overwrite: overwrite === true });
}
