// loadRtStruct (Node): decodeRtStruct on a path, the images' folder read with it.
import { InputError, describeValue } from "../../errors.js";
import { fileIO } from "../../file-io.js";
import { checkOptions } from "../../options.js";
import type { Space } from "../../space.js";
import { decodeRtStruct, type DecodedRtStruct } from "./decode.js";

/** Options of `loadRtStruct`: the grid, as `decodeRtStruct` takes it, or the images' folder. */
export interface RtStructLoadOptions {
  /** The folder of the images the contours were drawn on (every file in it), or their bytes. */
  source?: string | readonly Uint8Array[];
  space?: Space;
  maxBytes?: number;
}

/**
 * Reads an RT Structure Set (Node): `decodeRtStruct` of the file, onto the grid of the images in
 * the folder `source` (every file in it is one of them) or a `space`.
 * @example const { mask, rois } = await loadRtStruct("RS.dcm", { source: "ct/" });
 */
export async function loadRtStruct(path: string, options: RtStructLoadOptions = {}): Promise<DecodedRtStruct> {
  if (typeof path !== "string") throw new InputError("INVALID_ARGUMENT", `loadRtStruct takes a path, got ${describeValue(path)}; for bytes, use decodeRtStruct.`);
  checkOptions(options, ["source", "space", "maxBytes"], "loadRtStruct");
  const io = fileIO("Loading an RT Structure Set");
  const bytes = await io.readFile(path);
  const { source, ...rest } = options;
  if (typeof source !== "string") return decodeRtStruct(bytes, { ...rest, ...(source ? { source } : {}) });
  const names = (await io.list(source)).sort();
  const images = await Promise.all(names.map((name) => io.readFile(`${source.replace(/[/\\]$/, "")}/${name}`)));
  return decodeRtStruct(bytes, { ...rest, source: images });
}
