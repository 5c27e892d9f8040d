// loadMetaImage / saveMetaImage (Node): a `.mha` is one file; a `.mhd` header names the data
// file beside it, which is read (and written, first) with it.
import { InputError, describeValue } from "../../errors.js";
import { fileIO } from "../../file-io.js";
import type { LimitOptions } from "../../limits.js";
import type { SegmentationMask } from "../../mask.js";
import { checkOptions } from "../../options.js";
import { decodeMetaImage, metaImageHeader, metaImageParts, encodeMetaImage, type MetaImageWriteOptions } from "./metaimage.js";

/** The folder part of a path ("" for none), either separator. */
const folderOf = (path: string): string => path.slice(0, Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
/** The name part of a path. */
const nameOf = (path: string): string => path.slice(folderOf(path).length);

/**
 * Reads a MetaImage (Node): a `.mha`, or a `.mhd` and the data file its header names (raw
 * or zlib), `decodeMetaImage` of them.
 * @example const seg = await loadMetaImage("vb-seg.mha");
 */
export async function loadMetaImage(path: string, options: LimitOptions = {}): Promise<SegmentationMask<string>> {
  if (typeof path !== "string") throw new InputError("INVALID_ARGUMENT", `loadMetaImage takes a path, got ${describeValue(path)}; for bytes, use decodeMetaImage.`);
  checkOptions(options, ["maxBytes"], "loadMetaImage");
  const io = fileIO("Loading a MetaImage");
  const bytes = await io.readFile(path);
  const { dataFile } = metaImageHeader(bytes);
  // A data file's name is relative to the header's folder unless it is absolute.
  const data = dataFile === null ? undefined : await io.readFile(/^([/\\]|[a-z]:)/i.test(dataFile) ? dataFile : folderOf(path) + dataFile);
  return decodeMetaImage(bytes, { ...options, ...(data ? { data } : {}) });
}

/**
 * Writes `seg` as a MetaImage (Node), atomically: a `.mha` (header and voxels in one file), or
 * for a `.mhd` path the header and its data file beside it (`<stem>.zraw` compressed, `.raw`
 * with `{ compress: false }`). Existing files are replaced only with `{ overwrite: true }`.
 * @example await saveMetaImage(seg, "seg.mha");
 * @example await saveMetaImage(seg, "seg.mhd", { compress: false }); // seg.mhd + seg.raw
 */
export async function saveMetaImage(seg: SegmentationMask<string>, path: string, options: MetaImageWriteOptions & { overwrite?: boolean } = {}): Promise<void> {
  if (typeof path !== "string") throw new InputError("INVALID_ARGUMENT", `saveMetaImage takes a path, got ${describeValue(path)}; for bytes, use encodeMetaImage.`);
  checkOptions(options, ["compress", "flatten", "overwrite"], "saveMetaImage");
  const { overwrite, ...encode } = options;
  const io = fileIO("Saving a MetaImage");
  if (!path.toLowerCase().endsWith(".mhd")) return io.writeAtomic(path, [encodeMetaImage(seg, encode)], { overwrite: overwrite === true });
  const dataName = nameOf(path).replace(/\.mhd$/i, encode.compress === false ? ".raw" : ".zraw");
  const { header, data } = metaImageParts(seg, dataName, encode);
  await io.writeAtomicAll([{ path: folderOf(path) + dataName, chunks: [data] }, { path, chunks: [header] }], { overwrite: overwrite === true });
}
