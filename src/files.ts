import { fileIO } from "./file-io.js";
import { magicOf } from "./sources/bytes.js";
import { decodeMask, encodeMask, residentIf, type DecodeOptions } from "./formats/mask-file.js";
import type { SaveOptions } from "./formats/encode-options.js";
import { PYTHON_MASK_MAGIC } from "./formats/python/read.js";
import { initZstd, initZstdDecoder } from "./codecs/zstd.js";
import { checkOptions } from "./options.js";
import { InputError, describeValue } from "./errors.js";
import { formatOf } from "./formats/registry.js";
import { metaImageHeader } from "./formats/metaimage/metaimage.js";
import { loadMetaImage } from "./formats/metaimage/files.js";
import { withTableBeside } from "./formats/label-tables/beside.js";

import { registerMaskFiles, type SegmentationMask } from "./mask.js";

/** Formats whose files name no label: a label table beside them names them (`withTableBeside`). */
const UNNAMED_FORMATS: ReadonlySet<string> = new Set(["mgh", "metaimage", "gipl", "nrrd", "seg-nrrd"]);

export type { SaveOptions };

/** How `loadMask` makes a NIfTI read from `path` a mask with its names sidecar (Node's, src/node/nifti-files.ts). */
export type NiftiLoader = (path: string, bytes: Uint8Array, options: { maxBytes?: number }) => Promise<SegmentationMask<string>>;

let niftiLoader: NiftiLoader | null = null;

/**
 * Registers the NIfTI path loader (the Node entry does, at load): without one, `loadMask` of a
 * NIfTI gives the file's own names only.
 * @example registerNiftiLoader(loadNiftiBytes);
 */
export function registerNiftiLoader(loader: NiftiLoader): void {
  niftiLoader = loader;
}

/**
 * Saves a mask as a native medmask file, or with `{ format: "python" }` as the Python
 * library's `.msk`, atomically (temporary file, then rename): a failed save never damages
 * an existing file. A file that exists is FILE_EXISTS unless `{ overwrite: true }`.
 * @example await saveMask(seg, "case.msk");
 * @example await saveMask(seg, "case.msk", { overwrite: true }); // replace it
 * @example await saveMask(seg, "for-python.msk", { format: "python" }); // medmask.storage.load_mask reads it
 */
export async function saveMask(seg: SegmentationMask<string>, path: string, options: SaveOptions = {}): Promise<void> {
  checkOptions(options, ["format", "codec", "level", "slabDepth", "flatten", "overwrite"], "saveMask");
  const { overwrite, ...encode } = options;
  if (encode.format === "python") await initZstd();
  const bytes = encodeMask(seg, encode);
  await fileIO("Saving a mask").writeAtomic(path, [bytes], { overwrite: overwrite === true });
}

/**
 * Loads a single-mask file of any format, told apart by its content as `decodeMask` does;
 * a NIfTI gets its names as `loadNifti` gives them (the file's own, its `<stem>.json`
 * sidecar, or the stem for one label), a `.mhd` its voxels from the data file it names, and
 * a file that names no label (MGH, MetaImage, GIPL, a plain NRRD) the names and colours of the
 * label table beside it (`<stem>.label`, `.txt`, `.tsv`, `.ctbl` or `.json`; `decodeLabelTable`),
 * and a FreeSurfer volume with none beside it those of `$FREESURFER_HOME/FreeSurferColorLUT.txt`.
 * `out` as in `decodeMask`.
 * @example const seg = await loadMask("case.msk");
 * @example const organ = await loadMask("urinary_bladder.nii.gz"); // named "urinary_bladder"
 */
export async function loadMask(path: string, options: DecodeOptions = {}): Promise<SegmentationMask<string>> {
  if (typeof path !== "string") throw new InputError("INVALID_ARGUMENT", `loadMask takes a path, got ${describeValue(path)}; for bytes, use decodeMask.`);
  const bytes = await fileIO("Loading a mask").readFile(path);
  if (magicOf(bytes) === PYTHON_MASK_MAGIC) await initZstdDecoder();
  const format = formatOf(bytes)?.id;
  if (niftiLoader && format === "nifti" && options.out === undefined) {
    return residentIf(await niftiLoader(path, bytes, { maxBytes: options.maxBytes }), options.resident === true);
  }
  if (options.out !== undefined || format === undefined || !UNNAMED_FORMATS.has(format)) return decodeMask(bytes, options);
  // A .mhd's voxels are in the data file its header names, beside it.
  const seg = format === "metaimage" && metaImageHeader(bytes).dataFile !== null ? await loadMetaImage(path, { maxBytes: options.maxBytes }) : decodeMask(bytes, { maxBytes: options.maxBytes });
  return residentIf(await withTableBeside(path, seg, format), options.resident === true);
}

registerMaskFiles({ save: saveMask, load: loadMask });
