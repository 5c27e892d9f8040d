// What the CLI reads and writes, chosen by path: a single mask, or many named binary masks.
import { mkdir, open, rmdir, stat } from "node:fs/promises";
import { basename, dirname, resolve } from "node:path";
import {
  combineBinaryMasks,
  type CombinedMasks,
  combiner,
  encodeSegNrrd,
  FileError,
  InputError,
  LabelError,
  type LabelMapping,
  loadMask,
  MaskArchive,
  type MaskFormat,
  type NamedBinaryMask,
  parseLabelsJson,
  saveDicomSeg,
  SegmentationMask,
  type Space,
} from "medmask";
import { ARCHIVE_MAGIC, PYTHON_ARCHIVE_MAGIC, RT_STRUCT_SOP_CLASS, fileIO, formatOf, formatOfName, isNiftiPath, looksLikeDicom, readImageHeads, segNrrdOfBinaryMasks, unknownFormat, type FormatDescriptor } from "medmask/internals";
import { loadNifti, loadNiftiFolder, loadRtStruct, niftiFolderToArchive, readNiftiFolder, saveMask, saveRtStruct, saveMetaImage, saveMgh, saveNifti, saveNiftiFolder, saveNrrd } from "medmask";

/** A single labelled volume, or many named binary masks on one space (folders, archives). */
export type Input =
  /** `rasterised`: an RT Structure Set's contours, drawn onto the images of --source. */
  | { kind: "mask"; mask: SegmentationMask<string>; rasterised?: true }
  | { kind: "masks"; space: Space; masks: NamedBinaryMask[]; mapping?: LabelMapping<string> }
  /**
   * A folder of binary NIfTI masks, read when the output says how (streamed into one mask, or
   * all kept); `mapping` (from --labels) numbers them when they are combined.
   */
  | { kind: "folder"; path: string; mapping?: LabelMapping<string> }
  /** An archive: its entries are read one at a time as the output takes them (never all held). */
  | { kind: "archive"; path: string; mapping?: LabelMapping<string> };

/** What the CLI holds of an input once it is read whole. */
type Whole = Exclude<Input, { kind: "folder" } | { kind: "archive" }>;

/** The file types the CLI knows, by name. */
export type FileKind = "msk" | "mska" | "nifti" | "mgh" | "mha" | "gipl" | "nrrd" | "seg.nrrd" | "dcm" | "folder";

/** The CLI's kind of each single-mask format of the registry. */
const KIND: Record<FormatDescriptor["id"], FileKind> = { native: "msk", python: "msk", nifti: "nifti", mgh: "mgh", metaimage: "mha", gipl: "gipl", nrrd: "nrrd", "seg-nrrd": "seg.nrrd", "dicom-seg": "dcm" };

export function kindOf(path: string, isDirectory: boolean): FileKind {
  if (isDirectory || path.endsWith("/")) return "folder";
  if (path.toLowerCase().endsWith(".mska")) return "mska";
  const format = formatOfName(path);
  if (format) return KIND[format.id];
  throw new InputError("INVALID_ARGUMENT", `${path}: unknown file type; use .msk, .mska, .nii, .nii.gz, .mgz, .mgh, .mha, .mhd, .nrrd, .seg.nrrd, .dcm (DICOM SEG) or a folder.`);
}

/** Enough of a file's head for the registry to tell its format, gzip included. */
const HEAD_BYTES = 4096;

/**
 * The kind of an input by its name, else by its first bytes: DICOM files often have no
 * extension or another one (".seg", ".IMA"), and a mask file may be renamed. A file no
 * format takes is said to be what it is (a FreeSurfer .mgz, an archive, ...).
 */
export async function inputKind(path: string, isDir: boolean): Promise<FileKind> {
  try {
    return kindOf(path, isDir);
  } catch (error) {
    if (!(await exists(path))) throw error;
    const head = new Uint8Array(HEAD_BYTES);
    const handle = await open(path, "r");
    const { bytesRead } = await handle.read(head, 0, HEAD_BYTES, 0).finally(() => handle.close());
    const bytes = head.subarray(0, bytesRead);
    const magic = String.fromCharCode(...bytes.subarray(0, Math.min(4, bytesRead)));
    if (magic === ARCHIVE_MAGIC || magic === PYTHON_ARCHIVE_MAGIC) return "mska";
    const format = formatOf(bytes);
    if (format) return KIND[format.id];
    throw unknownFormat(bytes);
  }
}

export async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isDirectory(), () => false);
}

export async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

/** The CLI's `--max-memory`: every reader's `maxBytes` (undefined: the library's default). */
let maxBytes: number | undefined;

/** Sets `--max-memory` for this run: bytes, or a number with K, M, G or T (powers of 1024). */
export function setMaxMemory(text: string | undefined): void {
  if (text === undefined) return;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$/i.exec(text);
  const value = m ? Math.floor(Number(m[1]) * 1024 ** " kmgt".indexOf((m[2] || " ").toLowerCase())) : NaN;
  if (!(Number.isSafeInteger(value) && value > 0)) throw new InputError("INVALID_ARGUMENT", `--max-memory takes a size such as 512M or 8G, got "${text}".`);
  maxBytes = value;
}

/** The `--max-memory` in force (handed to batch workers, whose module state is their own). */
export const maxMemory = (): number | undefined => maxBytes;

/** Sets it from a number (a batch worker, from its task). */
export function useMaxMemory(bytes: number | undefined): void {
  maxBytes = bytes;
}

/**
 * Reads any supported input. `labels` (a names JSON) names the labels of a plain NIfTI, and
 * numbers the masks of a folder or archive when they are combined into one.
 */
export async function readInput(path: string, options: { labels?: string; warn?: (line: string) => void; source?: string } = {}): Promise<Input> {
  const dir = await isDirectory(path);
  if (!dir && !(await exists(path))) throw new FileError("FILE_NOT_FOUND", `${path}: no such file or folder.`);
  const mapping = async (): Promise<{ mapping?: LabelMapping<string> }> =>
    options.labels ? { mapping: parseLabelsJson(new TextDecoder().decode(await fileIO("Reading label names").readFile(options.labels))).mapping } : {};
  switch (await inputKind(path, dir)) {
    case "folder":
      return { kind: "folder", path, ...(await mapping()) };
    case "mska":
      // Opened now, so a bad file fails here; read as the output needs it.
      await (await MaskArchive.open(path, { maxBytes })).close();
      return { kind: "archive", path, ...(await mapping()) };
    default:
      // One mask, told apart by its content as the library does (loadMask: medmask and
      // Python files, NIfTI with its names sidecar, .seg.nrrd and DICOM SEG with their
      // layers); a NIfTI's names from --labels.
      if (options.labels !== undefined && isNiftiPath(path)) {
        const mask = await loadNifti(path, { maxBytes, labels: options.labels });
        // Labels the names file left out are named idx_<label>: said, not silent.
        const unnamed = mask.mapping.names().filter((n) => /^idx_\d+$/.test(n));
        if (unnamed.length > 0) options.warn?.(`--labels ${options.labels} names ${mask.mapping.size - unnamed.length} of the ${mask.mapping.size} labels in ${path}; the others are named ${unnamed.join(", ")}`);
        return { kind: "mask", mask };
      }
      if (await isRtStruct(path)) {
        // An RT Structure Set's contours, rasterised onto the images of --source.
        if (options.source === undefined) throw new InputError("INVALID_ARGUMENT", `${path} is an RT Structure Set (contours): give the images it was drawn on, --source CT_FOLDER, to rasterise them onto their grid.`);
        const { mask, rois } = await loadRtStruct(path, { source: options.source, maxBytes });
        for (const roi of rois) {
          const skipped = Object.entries(roi.skipped).map(([type, n]) => `${n} ${type}`);
          if (skipped.length > 0) options.warn?.(`${roi.name}: ${skipped.join(", ")} contour(s) not rasterised (only closed planar contours hold voxels)`);
          if (roi.outside > 0) options.warn?.(`${roi.name}: ${roi.outside} contour(s) beyond the images' first or last slice`);
        }
        return { kind: "mask", mask, rasterised: true };
      }
      return { kind: "mask", mask: await loadMask(path, { maxBytes }) };
  }
}

/**
 * Whether the file at `path` is a DICOM RT Structure Set: its SOP class in its first 4 KiB
 * (the file meta group), read alone, since every single-mask input of the command line asks.
 */
async function isRtStruct(path: string): Promise<boolean> {
  const source = await fileIO("Reading a file's head").open(path);
  try {
    const head = await source.read(0, Math.min(4096, source.size));
    return looksLikeDicom(head) && new TextDecoder("latin1").decode(head).includes(RT_STRUCT_SOP_CLASS);
  } finally {
    await source.close?.();
  }
}

/**
 * The entries of an archive input as binary masks, one at a time: each entry is decoded into
 * one reused buffer and only its binary is handed on (and dropped by whoever takes it).
 */
async function archiveMasks(path: string): Promise<{ space: Space; names: string[]; masks: AsyncGenerator<NamedBinaryMask> }> {
  const archive = await MaskArchive.open(path, { maxBytes });
  async function* masks(): AsyncGenerator<NamedBinaryMask> {
    try {
      for await (const [name, mask] of archive.entries({ reuse: true })) yield { name, data: mask.toBinary() };
    } finally {
      await archive.close();
    }
  }
  return { space: archive.space, names: archive.names(), masks: masks() };
}

/** Every mask of a folder or archive input, in memory (for outputs that need them all at once). */
export async function materialize(input: Input): Promise<Whole> {
  if (input.kind === "folder") {
    const { space, masks } = await readNiftiFolder(input.path);
    return { kind: "masks", space, masks, mapping: input.mapping };
  }
  if (input.kind === "archive") {
    const { space, masks: entries } = await archiveMasks(input.path);
    const masks: NamedBinaryMask[] = [];
    for await (const m of entries) masks.push(m);
    return { kind: "masks", space, masks, mapping: input.mapping };
  }
  return input;
}

/** Keeps only `names` (everything else becomes background). */
export async function selectNames(given: Input, names: readonly string[]): Promise<Input> {
  const input = await materialize(given);
  if (input.kind === "masks") {
    const missing = names.filter((n) => !input.masks.some((m) => m.name === n));
    if (missing.length) throw new LabelError("UNKNOWN_NAME", `Unknown name(s): ${missing.join(", ")}. Known: ${input.masks.map((m) => m.name).join(", ")}.`);
    return { ...input, masks: input.masks.filter((m) => names.includes(m.name)) };
  }
  const { mask } = input;
  // Each name with its label and metadata, in a layer of its own where names overlap.
  const kept = SegmentationMask.lazyInit(mask.bitDepth, { space: mask.space });
  const region = new Uint8Array(mask.space.voxelCount);
  for (const name of names) kept.addLabel(mask.getBinaryMaskByNames(name, { out: region }), mask.mapping.get(name), name, { onOverlap: "layer", metadata: mask.metadata(name) });
  return { kind: "mask", mask: kept };
}

/**
 * The masks of a folder, archive or list input painted into one mask, every voxel kept
 * (overlapping masks in further layers) and every overlap recorded: read one at a time, so
 * memory holds the mask being built and one input.
 */
export async function combinedOf(input: Exclude<Input, { kind: "mask" }>): Promise<CombinedMasks> {
  const options = input.mapping ? { mapping: input.mapping } : {};
  if (input.kind === "folder") return loadNiftiFolder(input.path, options);
  if (input.kind === "masks") return combineBinaryMasks(input.space, input.masks, options);
  const { space, names, masks } = await archiveMasks(input.path);
  const build = combiner(space, names, options);
  for await (const m of masks) build.add(m);
  return build.result();
}

/** One multi-label mask from any input (overlapping masks in layers; each overlap reported to `warn`). */
export async function asMask(input: Input, warn: (line: string) => void): Promise<SegmentationMask<string>> {
  if (input.kind === "mask") return input.mask;
  const { mask, overlaps, numbering } = await combinedOf(input);
  if (numbering === "totalsegmentator") warn(`labels: TotalSegmentator's class map (task "total", v2), as its multi-label output numbers them; --labels FILE for others`);
  for (const o of overlaps) warn(`overlap: ${o.name} shares ${o.overlapped.map((x) => `${x.voxels} voxels with ${x.name}`).join(", ")} (both kept: ${o.name} in layer ${mask.layerOf(o.name)})`);
  if (mask.layerCount > 1) warn(`${mask.layerCount} layers hold every voxel of the ${mask.mapping.size} masks`);
  return mask;
}

/**
 * A mask bound for a format of one volume (NIfTI, the Python `.msk` and `.mska` of whole
 * masks): itself with one layer; flattened with --flatten (each organ's loss said); else
 * LAYERED, with the CLI's ways out.
 */
function oneVolumeOf(mask: SegmentationMask<string>, path: string, flatten: boolean | undefined, warn: (line: string) => void): SegmentationMask<string> {
  if (mask.layerCount === 1) return mask;
  if (flatten) {
    // Said, organ by organ: what --flatten painted over is gone from the output.
    const { mask: flat, lost } = mask.flatten();
    for (const l of lost) warn(`--flatten: ${l.name} lost ${l.voxels} voxel(s) to labels painted over it${l.kept === 0 ? "; it is EMPTY in the output" : ` (${l.kept} kept)`}`);
    return flat;
  }
  throw new InputError(
    "LAYERED",
    `${path} holds one label volume; this mask has ${mask.layerCount} layers (labels that overlap). Pass --flatten to paint them into one (later layers win, overlaps lost), or write .msk, .seg.nrrd, or a .mska with --per-label (one binary entry per label, Python's layout too with --format python).`,
  );
}

/** How `writeOutput` writes `.msk` and `.mska` files. */
export interface OutputOptions {
  /** "native" (default) or "python" (the Python medmask library's layout) for `.msk` and `.mska`; "rtstruct": a `.dcm` as an RT Structure Set. */
  format?: MaskFormat | "rtstruct";
  /** A `.mska` of a single mask: one binary entry per label (lossless where labels would overlap). */
  perLabel?: boolean;
  /** Paint a layered mask into one volume where the output holds only one (NIfTI, Python `.msk`). */
  flatten?: boolean;
  /** A DICOM SEG or RT Structure Set output's source images: a folder of one series' DICOM files. */
  source?: string;
}

/** The DICOM files of a folder (by content), in name order, up to their pixel data: a SEG's or structure set's source images. */
async function dicomFilesIn(dir: string): Promise<Uint8Array[]> {
  if (!(await isDirectory(dir))) throw new FileError("FILE_NOT_FOUND", `--source ${dir}: no such folder of DICOM images.`);
  try {
    return await readImageHeads(dir);
  } catch (error) {
    if (error instanceof InputError) throw new InputError("INVALID_ARGUMENT", `--source ${dir} holds no DICOM file.`, { cause: error });
    throw error;
  }
}

/** The binary mask of every label of `mask`, by name, made as they are taken. */
function* perLabelMasks(mask: SegmentationMask<string>): Generator<NamedBinaryMask> {
  for (const s of mask.labelStats()) yield { name: s.name, data: mask.getBinaryMaskByLabels(s.label) };
}

/** Writes `input` to `path` in the format its name says. */
export async function writeOutput(path: string, given: Input, warn: (line: string) => void, options: OutputOptions = {}): Promise<void> {
  const kind = kindOf(path, await isDirectory(path));
  const layout = options.format ?? "native";
  if (layout !== "native" && layout !== "python" && layout !== "rtstruct") throw new InputError("INVALID_ARGUMENT", `--format is native, python or rtstruct, got "${String(layout)}".`);
  if (layout === "python" && kind !== "msk" && kind !== "mska") throw new InputError("INVALID_ARGUMENT", `--format python writes .msk and .mska files, not ${path}.`);
  if (layout === "rtstruct" && kind !== "dcm") throw new InputError("INVALID_ARGUMENT", `--format rtstruct writes .dcm files (an RT Structure Set), not ${path}.`);
  const format = layout === "rtstruct" ? "native" : layout;
  if (options.perLabel && kind !== "mska") throw new InputError("INVALID_ARGUMENT", `--per-label writes a .mska archive, not ${path}.`);
  if (options.source !== undefined && kind !== "dcm") throw new InputError("INVALID_ARGUMENT", `--source names the images of a DICOM SEG or RT Structure Set output (.dcm), not of ${path}.`);
  // What combines into one mask, and an archive into an archive, streams; the rest is read whole.
  const streams = kind === "msk" || kind === "nifti" || kind === "folder" || (kind === "mska" && (given.kind === "archive" || given.kind === "folder"));
  const input = streams ? given : await materialize(given);
  const io = fileIO("Writing");
  switch (kind) {
    case "msk": {
      const given = await asMask(input, warn);
      const mask = format === "python" || options.flatten ? oneVolumeOf(given, path, options.flatten, warn) : given;
      // The command refused an existing output already, unless --force.
      return saveMask(mask, path, { format, overwrite: true });
    }
    case "nifti": {
      const mask = oneVolumeOf(await asMask(input, warn), path, options.flatten, warn);
      return saveNifti(mask, path, { overwrite: true });
    }
    case "mgh": {
      // MGH has no place for names: said, so a user keeps a label table beside it.
      const mask = oneVolumeOf(await asMask(input, warn), path, options.flatten, warn);
      if (mask.mapping.names().some((n) => !/^idx_\d+$/.test(n))) warn(`${path}: an MGH file keeps label numbers only; the names (${mask.mapping.names().slice(0, 3).join(", ")}${mask.mapping.size > 3 ? ", ..." : ""}) are not written`);
      return saveMgh(mask, path, { overwrite: true, gzip: !path.toLowerCase().endsWith(".mgh") });
    }
    case "gipl":
      throw new InputError("INVALID_ARGUMENT", `${path}: medmask reads GIPL but does not write it; write .mha, .nii.gz or .nrrd for ITK tools.`);
    case "mha":
    case "nrrd": {
      // Neither has a place for names: said, so a user keeps a label table beside it.
      const mask = oneVolumeOf(await asMask(input, warn), path, options.flatten, warn);
      const what = kind === "mha" ? "A MetaImage" : "A plain NRRD label map (.seg.nrrd keeps names)";
      if (mask.mapping.names().some((n) => !/^idx_\d+$/.test(n))) warn(`${path}: ${what} keeps label numbers only; the names (${mask.mapping.names().slice(0, 3).join(", ")}${mask.mapping.size > 3 ? ", ..." : ""}) are not written`);
      return kind === "mha" ? saveMetaImage(mask, path, { overwrite: true }) : saveNrrd(mask, path, { overwrite: true });
    }
    case "seg.nrrd":
      if (input.kind === "folder" || input.kind === "archive") throw new Error("unreachable: read whole above");
      return io.writeAtomic(path, [input.kind === "mask" ? encodeSegNrrd(input.mask) : segNrrdOfBinaryMasks(input.space, input.masks)]);
    case "dcm": {
      const source = options.source !== undefined ? { source: await dicomFilesIn(options.source) } : {};
      // Overlapping labels are contoured each on its own, or BINARY frames of their own: every voxel kept.
      if (layout === "rtstruct") return saveRtStruct(await asMask(input, warn), path, { overwrite: true, ...source });
      return saveDicomSeg(await asMask(input, warn), path, { overwrite: true, ...source });
    }
    case "folder": {
      const made = await mkdir(path, { recursive: true });
      try {
        await saveNiftiFolder(await asMask(input, warn), path, { overwrite: true });
      } catch (error) {
        // A folder this call made, and nothing was written to it (a bad name): not left behind.
        if (made !== undefined) for (let dir = resolve(path); dir.startsWith(made); dir = dirname(dir)) if (!(await rmdir(dir).then(() => true, () => false))) break;
        throw error;
      }
      return;
    }
    case "mska": {
      // A folder's files are encoded as they are read, one entry each, so only their compressed bytes are held.
      if (input.kind === "folder") return (await niftiFolderToArchive(input.path, path, { overwrite: true, format })).close();
      // An archive's entries are encoded as they are read, so only their compressed bytes are held.
      const { space, masks } =
        input.kind === "archive" ? await archiveMasks(input.path) : input.kind === "mask" ? { space: input.mask.space, masks: perLabelMasks(input.mask) } : input;
      const archive = await MaskArchive.create(path, { space, overwrite: true, format });
      if (input.kind === "mask" && !options.perLabel) {
        archive.add(basename(path).replace(/\.mska$/i, ""), format === "python" ? oneVolumeOf(input.mask, path, options.flatten, warn) : input.mask);
      }
      else {
        // Binary entries; as numpy bool masks in the Python layout (what its users hold).
        const bitDepth = format === "python" ? 1 : 8;
        for await (const m of masks) {
          archive.add(m.name, new SegmentationMask(m.data instanceof Uint8Array ? m.data : Uint8Array.from(m.data), { [m.name]: 1 }, space, { bitDepth }));
        }
      }
      await archive.close();
    }
  }
}
