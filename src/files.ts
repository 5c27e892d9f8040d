import { fileIO } from "./file-io.js";
import { magicOf } from "./format/bytes.js";
import { decodeMask, encodeMask, type DecodeOptions } from "./format/mask-file.js";
import type { EncodeOptions } from "./format/native.js";
import { PYTHON_MASK_MAGIC } from "./format/python.js";
import { initZstd } from "./format/zstd.js";
import { checkOptions } from "./options.js";
import type { SegmentationMask } from "./mask.js";

/** Options of `saveMask`. */
export interface SaveOptions extends EncodeOptions {
  /** Refuse to replace an existing file (default false: replace it atomically). */
  overwrite?: boolean;
}

/**
 * Saves a mask as a native medmask file, or with `{ format: "python" }` as the Python
 * library's `.msk`, atomically (temporary file, then rename): a failed save never damages
 * an existing file.
 * @example await saveMask(seg, "case.msk");
 * @example await saveMask(seg, "for-python.msk", { format: "python" }); // medmask.storage.load_mask reads it
 */
export async function saveMask(seg: SegmentationMask<string>, path: string, options: SaveOptions = {}): Promise<void> {
  checkOptions(options, ["format", "codec", "level", "slabDepth", "flatten", "overwrite"], "saveMask");
  const { overwrite, ...encode } = options;
  if (encode.format === "python") await initZstd();
  const bytes = encodeMask(seg, encode);
  await fileIO("Saving a mask").writeAtomic(path, [bytes], { overwrite: overwrite !== false });
}

/**
 * Loads a mask file: native, or the Python library's `.msk` (detected by magic); `out` as
 * in `decodeMask`.
 * @example const seg = await loadMask("case.msk");
 */
export async function loadMask(path: string, options: DecodeOptions = {}): Promise<SegmentationMask<string>> {
  const bytes = await fileIO("Loading a mask").readFile(path);
  if (magicOf(bytes) === PYTHON_MASK_MAGIC) await initZstd();
  return decodeMask(bytes, options);
}
