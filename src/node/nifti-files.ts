import { readdir } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { MaskArchive } from "../archive.js";
import { combiner, type CombinedMasks } from "../combine.js";
import { InputError } from "../errors.js";
import { fileIO } from "../file-io.js";
import { mappingFromLabelsJson } from "../io/labels-json.js";
import { niftiBytes, writeNifti } from "../io/nifti-write.js";
import { SegmentationMask } from "../mask.js";
import type { OverlapPolicy } from "../mask.js";
import { niftiFiles, niftiStem, readFolderVolumes, readNiftiFile } from "./nifti-read.js";

/** `case.nii.gz` -> `case.json`: where the label names of a NIfTI mask live. */
export function sidecarPath(niftiPath: string): string {
  return join(dirname(niftiPath), basename(niftiPath).replace(/\.nii(\.gz)?$/i, "") + ".json");
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
 * Loads a multi-label NIfTI as a SegmentationMask. Names come from `options.labels` (a
 * JSON file path or an object), else from the sidecar `<stem>.json` if there is one; labels
 * without a name become `idx_<label>`.
 * @example const seg = await loadNifti("ct_seg.nii.gz", { labels: "dataset.json" });
 */
export async function loadNifti(path: string, options: { labels?: string | object } = {}): Promise<SegmentationMask<string>> {
  const { data, space } = await readNiftiFile(path);
  let names: string | object | null = null;
  if (typeof options.labels === "string") names = await readSidecar(options.labels);
  else if (options.labels) names = options.labels;
  else names = await readSidecar(sidecarPath(path));
  if (typeof options.labels === "string" && names === null) throw new InputError("INVALID_ARGUMENT", `Label names file ${options.labels} does not exist.`);
  const mapping = names === null ? undefined : mappingFromLabelsJson(names);
  return new SegmentationMask(data, mapping, space);
}

/**
 * Saves a mask as NIfTI (`.nii.gz` gzip-compressed, `.nii` plain) plus its names in the
 * sidecar `<stem>.json`, both written atomically.
 * @example await saveNifti(seg, "out/case.nii.gz");
 */
export async function saveNifti(seg: SegmentationMask<string>, path: string, options: { sidecar?: boolean } = {}): Promise<void> {
  const io = fileIO("Saving NIfTI");
  await io.writeAtomic(path, [writeNifti(seg, { gzip: /\.gz$/i.test(path) })]);
  if (options.sidecar !== false) {
    await io.writeAtomic(sidecarPath(path), [new TextEncoder().encode(JSON.stringify(seg.mapping.toJSON(), null, 2) + "\n")]);
  }
}

/**
 * A folder of binary NIfTI masks (TotalSegmentator's output: file stem = name) as one
 * SegmentationMask, with every overlap reported. Files are painted one at a time as they
 * are read (a few read ahead), so memory holds a few input volumes, not all of them.
 */
export async function loadNiftiFolder(dir: string, options: { onOverlap?: OverlapPolicy } = {}): Promise<CombinedMasks> {
  const files = await niftiFiles(dir);
  let build: ReturnType<typeof combiner> | null = null;
  for await (const { file, volume } of readFolderVolumes(dir, files)) {
    build ??= combiner(volume.space, files.length, options);
    build.add({ name: niftiStem(file), data: volume.data });
  }
  return build!.result();
}

/**
 * A folder of binary NIfTI masks as a MaskArchive, one entry per file: overlaps are kept
 * exactly, because every mask keeps its own voxels. Each file is encoded in its turn as it
 * is read (a few read ahead), and then dropped.
 */
export async function niftiFolderToArchive(dir: string, archivePath: string, options: { overwrite?: boolean } = {}): Promise<MaskArchive> {
  let archive: MaskArchive | null = null;
  for await (const { file, volume } of readFolderVolumes(dir, await niftiFiles(dir))) {
    archive ??= await MaskArchive.create(archivePath, { space: volume.space, overwrite: options.overwrite });
    const name = niftiStem(file);
    // Same grid (checked by the reader, to float32 noise): the archive's space is the mask's.
    archive.add(name, new SegmentationMask(volume.data, { [name]: 1 }, archive.space));
  }
  await archive!.commit();
  return archive!;
}

/**
 * Writes one binary `.nii.gz` per name of the mask into `dir` (the TotalSegmentator layout).
 * @example await saveNiftiFolder(seg, "out/case0001");
 */
export async function saveNiftiFolder(seg: SegmentationMask<string>, dir: string, options: { names?: readonly string[] } = {}): Promise<string[]> {
  const io = fileIO("Saving NIfTI masks");
  const names = options.names ?? seg.mapping.names();
  const written: string[] = [];
  await readdir(dir).catch(() => {
    throw new InputError("INVALID_ARGUMENT", `Folder ${dir} does not exist; create it first.`);
  });
  for (const name of names) {
    if (/[/\\]/.test(name)) throw new InputError("INVALID_ARGUMENT", `Label name "${name}" cannot be a file name.`);
    const path = join(dir, `${name}.nii.gz`);
    await io.writeAtomic(path, [niftiBytes(seg.getBinaryMaskByNames(name), seg.space)]);
    written.push(path);
  }
  return written;
}
