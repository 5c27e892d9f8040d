import { isNiftiPath, withoutNiftiExtension } from "../formats/nifti/names.js";
import { SAME_GRID_TOLERANCE } from "../space.js";
import { basename, join } from "node:path";
import { isMainThread } from "node:worker_threads";
import { GeometryError, InputError } from "../errors.js";
import { gzipInflatedSize } from "../codecs/gzip.js";
import { isGzip, niftiGzipError, niftiInflateLimit, readNiftiTaking, type NiftiVolume } from "../formats/nifti/read.js";
import { maxBytesOf, type LimitOptions } from "../limits.js";
import type { Space } from "../space.js";
import { fileIO } from "../file-io.js";
import { zlibGunzipAsync, zlibGzip } from "./gzip.js";

/**
 * Reads a `.nii` / `.nii.gz` file. In Node, gzip is inflated by zlib on the libuv pool
 * (faster than fflate, `npm run bench platform`, and off the main thread); the inflated bytes (or a plain
 * `.nii` as read) are this reader's own, so the voxels stay in them (`readNiftiTaking`: no
 * copy of the volume).
 */
export async function readNiftiFile(path: string, options: LimitOptions = {}): Promise<NiftiVolume> {
  return niftiVolumeOf(await fileIO("Reading a NIfTI").readFile(path), options);
}

/** `readNiftiFile` of bytes already read from the file (loadMask reads them to tell the format). */
export async function niftiVolumeOf(file: Uint8Array, options: LimitOptions = {}): Promise<NiftiVolume> {
  let bytes = file;
  if (isGzip(bytes)) {
    // Inflated once, to at most what the header declares (TOO_LARGE past maxBytes).
    const limit = niftiInflateLimit(bytes, maxBytesOf(options));
    try {
      // On the main thread inflate on the libuv pool; a worker thread (batch) has its own
      // core, where the pool's hops only cost time.
      const size = Math.min(gzipInflatedSize(bytes), limit);
      bytes = isMainThread ? await zlibGunzipAsync(bytes, size, limit) : zlibGzip.gunzip(bytes, size, limit);
    } catch (cause) {
      throw niftiGzipError(cause);
    }
  }
  return readNiftiTaking(bytes, options);
}

/** The file stem of a NIfTI path: `liver.nii.gz` -> `liver`. */
export function niftiStem(path: string): string {
  return withoutNiftiExtension(basename(path));
}

/** One binary mask of a folder, with the shared space. */
export interface FolderMask {
  name: string;
  data: NiftiVolume["data"];
}

/**
 * Reads every `.nii`/`.nii.gz` in `dir` (sorted by name), as TotalSegmentator writes them:
 * one binary mask per organ, the file stem is the name. All must share one geometry
 * (to 1e-3 mm / direction cosine); the first file's is returned.
 */
export async function readNiftiFolder(dir: string): Promise<{ space: Space; masks: FolderMask[] }> {
  let space: Space | null = null;
  const masks: FolderMask[] = [];
  for await (const { file, volume } of readFolderVolumes(dir, await niftiFiles(dir))) {
    space ??= volume.space;
    masks.push({ name: niftiStem(file), data: volume.data });
  }
  return { space: space!, masks };
}

/**
 * Files a folder reader reads at once. zlib inflates on the libuv pool (4 threads), and each
 * inflated volume's fresh pages fault in on that thread too, so reading ahead keeps both
 * cores busy (on the 117 TotalSegmentator masks 4 ahead beat 1, 2 and 3).
 */
const READ_AHEAD = 4;

/**
 * The `files` of `dir` (from `niftiFiles`) with their volumes, in order, READ_AHEAD files
 * read at once; each file's grid is checked against the first's (as `checkSameGrid`). The
 * folder readers share it, so a caller that uses each volume and drops it holds a few
 * volumes, not the folder.
 */
export async function* readFolderVolumes(dir: string, files: readonly string[]): AsyncGenerator<{ file: string; volume: NiftiVolume }> {
  const reading: Array<Promise<NiftiVolume>> = [];
  let next = 0;
  const readAhead = () => {
    while (next < files.length && reading.length < READ_AHEAD) {
      const read = readNiftiFile(join(dir, files[next++]!));
      read.catch(() => undefined); // awaited in order below; a failure ends the loop there
      reading.push(read);
    }
  };
  let first: Space | null = null;
  for (const file of files) {
    readAhead();
    const volume = await reading.shift()!;
    if (first) checkSameGrid(first, volume.space, file, dir);
    first ??= volume.space;
    yield { file, volume };
  }
}

/** The `.nii`/`.nii.gz` files of a folder, sorted by name; INVALID_ARGUMENT when none. */
export async function niftiFiles(dir: string): Promise<string[]> {
  const files = (await fileIO("Reading a folder of NIfTI masks").list(dir)).filter(isNiftiPath).sort();
  if (files.length === 0) throw new InputError("INVALID_ARGUMENT", `No .nii or .nii.gz files in ${dir}.`);
  return files;
}

/**
 * Files of one case can differ by float32 noise in their affines (TotalSegmentator's do, by
 * ~1e-4); anything larger than SAME_GRID_TOLERANCE is a different grid.
 */
export function checkSameGrid(expected: Space, actual: Space, file: string, dir: string): void {
  if (!expected.equals(actual, SAME_GRID_TOLERANCE)) {
    throw new GeometryError("SHAPE_MISMATCH", `${file} has a different geometry from the other masks in ${dir}.`);
  }
}
