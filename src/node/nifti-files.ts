import { NIFTI_NAME, isNiftiPath } from "../formats/nifti/names.js";
import { readdir, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { MaskArchive } from "../archive.js";
import { combiner, type CombineOptions, type CombinedMasks } from "../combine.js";
import { FileError, InputError, LabelError, MedMaskError } from "../errors.js";
import { checkOptions } from "../options.js";
import { fileIO } from "../file-io.js";
import { labelsJson, parseLabelsJson } from "../formats/label-tables/labels-json.js";
import { namedBy, tableBeside, unnamed } from "../formats/label-tables/beside.js";
import { encodeNifti, niftiBytes } from "../formats/nifti/encode.js";
import { SegmentationMask } from "../mask.js";
import type { MaskFormat } from "../formats/encode-options.js";
import { niftiFiles, niftiStem, niftiVolumeOf, readFolderVolumes, readNiftiFile } from "./nifti-read.js";
import type { NiftiVolume } from "../formats/nifti/read.js";

export { isNiftiPath };

/** `case.nii.gz` -> `case.json`: where the label names of a NIfTI mask live. */
export function sidecarPath(niftiPath: string): string {
  return join(dirname(niftiPath), basename(niftiPath).replace(NIFTI_NAME, "") + ".json");
}

async function readSidecar(path: string): Promise<string | null> {
  try {
    return new TextDecoder().decode(await fileIO("Reading label names").readFile(path));
  } catch (error) {
    if ((error as { code?: string }).code === "FILE_NOT_FOUND") return null;
    throw error;
  }
}

/**
 * FILE_EXISTS for the first of `paths` that exists, before anything is written (the writes
 * refuse too, atomically, but the files of one save should not be left half written).
 */
async function refuseExisting(paths: readonly string[]): Promise<void> {
  for (const p of paths) {
    if ((await mtimeOf(p)) !== null) throw new FileError("FILE_EXISTS", `${p} already exists; pass { overwrite: true } to replace it. Nothing was written.`);
  }
}

/** Modification time of `path` in ms, or null when it does not exist. */
const mtimeOf = (path: string): Promise<number | null> => stat(path).then((s) => s.mtimeMs, () => null);

/**
 * The names of a NIfTI at `path` whose file carries `embedded` (or null): the file's own,
 * unless its sidecar disagrees and is newer than the image (someone edited the names
 * after the save). A sidecar older than its image that disagrees is the leftover of a save
 * interrupted between the two files: the image's names are the right ones.
 */
async function namesOf(path: string, embedded: object | null): Promise<string | object | null> {
  const sidecar = await readSidecar(sidecarPath(path));
  if (embedded === null || sidecar === null) return embedded ?? sidecar;
  const [image, names] = await Promise.all([mtimeOf(path), mtimeOf(sidecarPath(path))]);
  return names !== null && image !== null && names > image ? sidecar : embedded;
}

/**
 * Loads a multi-label NIfTI as a SegmentationMask. Names come from `options.labels` (a
 * JSON file path or an object), else from the file itself (`saveNifti` writes them into a
 * header extension too) and its sidecar `<stem>.json` (see `namesOf` for when they
 * disagree), else another tool's label table beside it (`<stem>.label`, `.txt`, `.tsv`,
 * `.ctbl`); a file of one label without names is named by its stem, as a folder's files
 * are (`urinary_bladder.nii.gz` -> "urinary_bladder"); other unnamed labels become `idx_<label>`.
 * @example const seg = await loadNifti("ct_seg.nii.gz", { labels: "dataset.json" });
 */
export async function loadNifti(path: string, options: { labels?: string | object; maxBytes?: number } = {}): Promise<SegmentationMask<string>> {
  return niftiMaskAt(path, await readNiftiFile(path, { maxBytes: options.maxBytes }), options);
}

/** `loadNifti` of the file's bytes, already read (what `loadMask` registers). */
export async function loadNiftiBytes(path: string, bytes: Uint8Array, options: { maxBytes?: number } = {}): Promise<SegmentationMask<string>> {
  return niftiMaskAt(path, await niftiVolumeOf(bytes, options), {});
}

/** The volume read from `path` as a mask, named as `loadNifti` says. */
async function niftiMaskAt(path: string, volume: NiftiVolume, options: { labels?: string | object }): Promise<SegmentationMask<string>> {
  const { data, space, labels: embedded } = volume;
  let names: string | object | null = null;
  if (typeof options.labels === "string") names = await readSidecar(options.labels);
  else if (options.labels) names = options.labels;
  else names = await namesOf(path, embedded);
  if (typeof options.labels === "string" && names === null) throw new InputError("INVALID_ARGUMENT", `Label names file ${options.labels} does not exist.`);
  const table = names === null ? null : namesFrom(names, options.labels !== undefined);
  const seg = table ? new SegmentationMask(data, table.mapping, space, { metadata: table.metadata }) : new SegmentationMask(data, undefined, space);
  if (options.labels !== undefined || !unnamed(seg)) return seg;
  // No names of its own: another tool's label table beside it (ITK-SNAP's .label, a BIDS dseg.tsv, ...).
  // Its `<stem>.json` sidecar was read above (namesOf decided about it).
  const beside = await tableBeside(path, [".json"]);
  if (beside) return namedBy(seg, beside);
  if (table) return seg;
  const labels = seg.mapping.labels();
  return labels.length === 1 ? new SegmentationMask(data, { [niftiStem(path)]: labels[0]! }, space, { bitDepth: seg.bitDepth, mappingComplete: true }) : seg;
}

/**
 * The names of a label table. One the caller named must be right (its errors stand); one
 * found beside the image may be anyone's (a BIDS sidecar, another tool's settings): when it
 * is no label table, the image loads as if it had none, since a side file never stops a load.
 */
function namesFrom(names: string | object, asked: boolean): ReturnType<typeof parseLabelsJson> | null {
  try {
    return parseLabelsJson(names);
  } catch (error) {
    if (asked || !(error instanceof MedMaskError)) throw error;
    return null;
  }
}

/**
 * Saves a mask as NIfTI (`.nii.gz` gzip-compressed, `.nii` plain), its names inside the file
 * (a header extension, `encodeNifti`) and in the sidecar `<stem>.json` for other tools. Both
 * are written and made durable before either replaces anything (a full disk changes
 * nothing), then the image is renamed into place and then the sidecar: a save killed in
 * between leaves a new image whose own names win over the older sidecar, and which
 * `niftiSaveComplete` (batch --resume) calls unfinished. An image or sidecar that exists is
 * FILE_EXISTS, before anything is written, unless `{ overwrite: true }`. `{ caretExtension:
 * true }` also embeds the names as TotalSegmentator's label table (see `encodeNifti`).
 * @example await saveNifti(seg, "out/case.nii.gz");
 */
export async function saveNifti(seg: SegmentationMask<string>, path: string, options: { sidecar?: boolean; overwrite?: boolean; flatten?: boolean; caretExtension?: boolean } = {}): Promise<void> {
  checkOptions(options, ["sidecar", "overwrite", "flatten", "caretExtension"], "saveNifti");
  const files = [{ path, chunks: [encodeNifti(seg, { gzip: /\.gz$/i.test(path), flatten: options.flatten, caretExtension: options.caretExtension })] }];
  const names = labelsJson(seg.mapping.toJSON(), seg.allMetadata());
  if (options.sidecar !== false) files.push({ path: sidecarPath(path), chunks: [new TextEncoder().encode(JSON.stringify(names, null, 2) + "\n")] });
  const overwrite = options.overwrite === true;
  if (!overwrite) await refuseExisting(files.map((f) => f.path));
  await fileIO("Saving NIfTI").writeAtomicAll(files, { overwrite });
}

/**
 * Whether a `saveNifti` to `path` finished: the image exists and its sidecar was put in
 * place after it (a sidecar older than the image is a previous save's).
 */
export async function niftiSaveComplete(path: string): Promise<boolean> {
  const [image, names] = await Promise.all([mtimeOf(path), mtimeOf(sidecarPath(path))]);
  return image !== null && names !== null && names >= image;
}

/**
 * A folder of binary NIfTI masks (TotalSegmentator's output: file stem = name) as one
 * SegmentationMask, with every overlap reported and every voxel kept (organs that share
 * voxels go to further layers; `onOverlap` as in `combineBinaryMasks`). Labels come from
 * `options.mapping`, else TotalSegmentator's own (liver 5, spleen 1) when every stem is one
 * of its classes, else 1..n in name order (`numbering` says which). Files are painted
 * one at a time as they are read (a few read ahead), so memory holds a few input volumes,
 * not all of them.
 * @example const { mask, numbering } = await loadNiftiFolder("s0000/segmentations"); // "totalsegmentator"
 */
export async function loadNiftiFolder(dir: string, options: Pick<CombineOptions, "onOverlap" | "mapping"> = {}): Promise<CombinedMasks> {
  checkOptions(options, ["onOverlap", "mapping"], "loadNiftiFolder");
  const files = await niftiFiles(dir);
  let build: ReturnType<typeof combiner> | null = null;
  for await (const { file, volume } of readFolderVolumes(dir, files)) {
    build ??= combiner(volume.space, files.map(niftiStem), options);
    build.add({ name: niftiStem(file), data: volume.data });
  }
  return build!.result();
}

/**
 * A folder of binary NIfTI masks as a MaskArchive, one entry per file: overlaps are kept
 * exactly, because every mask keeps its own voxels. Each file is encoded in its turn as it
 * is read (a few read ahead), and then dropped. `{ format: "python" }` writes the Python
 * library's `.mska`, each entry a numpy bool mask.
 * @example await (await niftiFolderToArchive("ts_folder/", "case.mska", { format: "python" })).close();
 */
export async function niftiFolderToArchive(dir: string, archivePath: string, options: { overwrite?: boolean; format?: MaskFormat } = {}): Promise<MaskArchive> {
  checkOptions(options, ["overwrite", "format"], "niftiFolderToArchive");
  let archive: MaskArchive | null = null;
  for await (const { file, volume } of readFolderVolumes(dir, await niftiFiles(dir))) {
    archive ??= await MaskArchive.create(archivePath, { space: volume.space, overwrite: options.overwrite, ...(options.format ? { format: options.format } : {}) });
    const name = niftiStem(file);
    // Same grid (checked by the reader, to float32 noise): the archive's space is the mask's.
    // As numpy bool masks in the Python layout (what its users hold).
    const entry = options.format === "python" ? new SegmentationMask(volume.data instanceof Uint8Array ? volume.data : Uint8Array.from(volume.data), { [name]: 1 }, archive.space, { bitDepth: 1 }) : new SegmentationMask(volume.data, { [name]: 1 }, archive.space);
    archive.add(name, entry);
  }
  await archive!.commit();
  return archive!;
}

/**
 * Writes one binary `.nii.gz` per name of the mask into `dir` (the TotalSegmentator layout);
 * files that exist are FILE_EXISTS, before any is written, unless `{ overwrite: true }`.
 * @example await saveNiftiFolder(seg, "out/case0001");
 */
export async function saveNiftiFolder(seg: SegmentationMask<string>, dir: string, options: { names?: readonly string[]; overwrite?: boolean } = {}): Promise<string[]> {
  checkOptions(options, ["names", "overwrite"], "saveNiftiFolder");
  const overwrite = options.overwrite === true;
  const io = fileIO("Saving NIfTI masks");
  const names = options.names ?? seg.mapping.names();
  const written: string[] = [];
  await readdir(dir).catch(() => {
    throw new InputError("INVALID_ARGUMENT", `Folder ${dir} does not exist; create it first.`);
  });
  // Every name checked before the first file is written: a bad one must not leave the folder
  // half written.
  const encoder = new TextEncoder();
  for (const name of names) {
    seg.mapping.get(name);
    if (/[/\\\0]/.test(name) || encoder.encode(`${name}.nii.gz`).length > 255) {
      throw new LabelError("INVALID_NAME", `Label name "${name.slice(0, 80)}" cannot be a file name (a separator, a NUL byte, or over 255 bytes with ".nii.gz"); nothing was written.`);
    }
  }
  if (!overwrite) await refuseExisting(names.map((name) => join(dir, `${name}.nii.gz`)));
  for (const name of names) {
    const path = join(dir, `${name}.nii.gz`);
    await io.writeAtomic(path, [niftiBytes(seg.getBinaryMaskByNames(name), seg.space)], { overwrite });
    written.push(path);
  }
  return written;
}
