// All heavy work happens here, off the page's thread: reading files, building the mask,
// statistics, rendering slices, comparing with a second mask, encoding for download.
import {
  MaskArchive,
  GeometryError,
  InputError,
  MedMaskError,
  type MedMaskErrorCode,
  SegmentationMask,
  Space,
  type LabelArray,
  combiner,
  compareMasks,
  encodeGlb,
  meshLabels,
  decodeMask,
  encodeMask,
  getBackend,
  initZstd,
  parseLabelsJson,
  readNiftiBlob,
  type NiftiVolume,
} from "../src/index.js";
import workerpool, { type Pool } from "workerpool";
import { labelColor } from "./palette.js";
import type { NiftiReply } from "./nifti-worker.js";
import niftiWorkerUrl from "./nifti-worker.ts?worker&url";
import type { Reply, Request } from "./protocol.js";
import { axialView, sliceIndexer, type SliceView } from "./view.js";
import { errorOf } from "../src/errors.js";
import { isNiftiPath } from "../src/formats/nifti/names.js";
import { SAME_GRID_TOLERANCE } from "../src/space.js";
import { ARCHIVE_MAGIC } from "../src/formats/native/archive-layout.js";
import { PYTHON_ARCHIVE_MAGIC, PYTHON_MASK_MAGIC } from "../src/formats/python/read.js";

/** The loaded mask, and the colour table of the last highlight (kept: redraws reuse it). */
let current: {
  mask: SegmentationMask<string>;
  name: string;
  layers: readonly LabelArray[];
  lut: { key: string; table: Uint32Array | null } | null;
  /** The radiological axial view of its space, and how to read a slice's pixels. */
  view: SliceView;
  indexer: ReturnType<typeof sliceIndexer>;
} | null = null;
const post = (reply: Reply, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(reply, transfer);

const bytesOf = async (file: File) => new Uint8Array(await file.arrayBuffer());
const stem = (name: string) => name.replace(/\.seg\.nrrd$|\.nii\.gz$|\.[^.]+$/i, "");

/**
 * NIfTI readers (made for the first folder, then kept). Four, whatever the cores: a reader
 * also waits on the browser for a file's bytes, so more readers than cores keep the cores
 * busy (on 2 cores, 4 beat 2 and one after another; the load time of the 117
 * TotalSegmentator masks is in test-results/browser/figures.json after the browser tests).
 */
const READERS = 4;
let niftiPool: Pool | null = null;

/**
 * The volumes of `files`, in order, read in the pool's workers several at a time; at most
 * READERS + 2 are read ahead of the one the caller is using. A volume the caller is done
 * with (the loop asked for the next) goes back to a reader as the buffer to inflate the
 * next file into: a fresh 10 MB buffer per file cost its allocation and page faults, about
 * a quarter of the folder's time.
 */
async function* readNiftis(files: File[]): AsyncGenerator<NiftiVolume> {
  niftiPool ??= workerpool.pool(niftiWorkerUrl, { maxWorkers: READERS, workerOpts: { type: "module" } });
  const pool = niftiPool;
  const reading: Array<Promise<NiftiReply>> = [];
  const spares: ArrayBuffer[] = [];
  let next = 0;
  const readAhead = () => {
    while (next < files.length && reading.length < READERS + 2) {
      const spare = spares.pop();
      const read = pool.exec("readNifti", [files[next++], spare], spare ? { transfer: [spare] } : undefined) as Promise<NiftiReply>;
      read.catch(() => undefined); // awaited below; a failure after an earlier one stops the loop
      reading.push(read);
    }
  };
  readAhead();
  while (reading.length > 0) {
    const { data, space, labels } = await reading.shift()!.catch((error: unknown) => {
      throw asMedMaskError(error);
    });
    readAhead();
    yield { data, space: Space.fromJSON(space), labels };
    if (data.buffer instanceof ArrayBuffer) spares.push(data.buffer);
  }
}

/**
 * A reader's error as the MedMaskError it was there: workerpool sends an error's own fields,
 * `code` among them, and rebuilds a plain Error from them.
 */
function asMedMaskError(error: unknown): unknown {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return typeof code === "string" && typeof message === "string" ? errorOf(code as MedMaskErrorCode, message) : error;
}

/** Any supported input as one SegmentationMask. */
async function load(files: File[]): Promise<{ mask: SegmentationMask<string>; name: string }> {
  const niftis = files.filter((f) => isNiftiPath(f.name));
  const sidecar = files.find((f) => f.name.endsWith(".json"));
  if (niftis.length > 1) {
    // A folder of binary masks (TotalSegmentator): file stem = organ name, each painted as
    // soon as it is read (in name order), so only the few volumes being read are in memory.
    let build: ReturnType<typeof combiner> | null = null;
    let first: Space | null = null;
    const sorted = niftis.sort((a, b) => a.name.localeCompare(b.name));
    let i = 0;
    for await (const volume of readNiftis(sorted)) {
      const name = sorted[i++]!.name;
      // One case's files differ by float32 noise at most (as the Node folder readers allow).
      if (first && !first.equals(volume.space, SAME_GRID_TOLERANCE)) throw new GeometryError("SHAPE_MISMATCH", `${name} has a different geometry from ${sorted[0]!.name}: not masks of one case.`);
      first ??= volume.space;
      build ??= viewerCombiner(volume.space, sorted.map((f) => stem(f.name)));
      build.add({ name: stem(name), data: volume.data });
    }
    return { mask: build!.result().mask, name: `${niftis.length} NIfTI masks` };
  }
  const [file] = niftis.length === 1 ? niftis : files.filter((f) => !f.name.endsWith(".json"));
  if (!file) throw new InputError("INVALID_ARGUMENT", "Choose a mask file: .msk, .mska, .nii, .nii.gz, .seg.nrrd or a DICOM SEG (.dcm).");
  const name = file.name;
  if (isNiftiPath(name)) {
    const volume = await readNiftiBlob(file);
    const names = sidecar ? parseLabelsJson(await sidecar.text()) : undefined;
    return { mask: new SegmentationMask(volume.data, names?.mapping, volume.space, { metadata: names?.metadata }), name };
  }
  const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
  const magic = String.fromCharCode(...head);
  if (magic === ARCHIVE_MAGIC || magic === PYTHON_ARCHIVE_MAGIC) {
    const archive = await MaskArchive.fromBlob(file); // entries are read with Blob.slice
    const build = viewerCombiner(archive.space, archive.names());
    // One decoded entry at a time; neighbouring entries come in one slice of the file. The
    // entries share one decode buffer per label type: a fresh volume per entry, its
    // allocation and page faults, took half the load's time. An 8-bit entry is its own
    // region (non-zero = inside); wider ones are made binary, into one buffer too.
    const binary = new Uint8Array(archive.space.voxelCount);
    for await (const [entry, mask] of archive.entries({ reuse: true })) {
      const own = mask.layerCount === 1 ? mask.data : null;
      build.add({ name: entry, data: own instanceof Uint8Array ? own : mask.toBinary({ out: binary }), metadata: archive.metadata(entry)[entry] });
    }
    return { mask: build.result().mask, name };
  }
  if (magic === PYTHON_MASK_MAGIC) await initZstd();
  const bytes = await bytesOf(file);
  // Straight into WASM memory of its own: no second copy to make it resident.
  return { mask: residentOr(() => decodeMask(bytes, { resident: true }), () => decodeMask(bytes)), name };
}

/**
 * A combiner whose mask is built resident (every mask painted in place, no copy after) when
 * the WASM kernels are in use and it fits, else an ordinary one.
 */
function viewerCombiner(space: Space, names: readonly string[]): ReturnType<typeof combiner> {
  return residentOr(() => combiner(space, names, { resident: true }), () => combiner(space, names));
}

/**
 * A mask kept in WASM memory of its own (`resident`) when the WASM kernels are in use, else
 * `streamed`: also when it cannot be resident (over 1 GiB of voxels, OUT_OF_MEMORY).
 */
function residentOr<T>(resident: () => T, streamed: () => T): T {
  if (getBackend() !== "wasm") return streamed();
  try {
    return resident();
  } catch (error) {
    if (error instanceof MedMaskError && error.code === "OUT_OF_MEMORY") return streamed();
    throw error;
  }
}

/** The display colour of each mapped label: its metadata's when it has one, else the palette's. */
function colorsOf(mask: SegmentationMask<string>): Map<number, readonly [number, number, number]> {
  const metadata = mask.allMetadata();
  return new Map(
    mask.mapping.items().map(([name, label]) => {
      const stored = metadata[name]?.color;
      return [label, stored ? ([0, 1, 2].map((i) => Math.round(stored[i]! * 255)) as [number, number, number]) : labelColor(label)];
    }),
  );
}

const BACKGROUND = 0xff000000; // opaque black

/** RGBA (little-endian u32) of `label`: dimmed unless highlighted (or nothing is). */
function rgbaOf(color: readonly [number, number, number], bright: boolean): number {
  const [r, g, b] = color;
  return (((bright ? 255 : 60) << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

/** label -> RGBA for 8/16-bit masks; 32-bit labels are looked up per voxel. */
function buildLut(mask: SegmentationMask<string>, highlight: readonly number[]): Uint32Array | null {
  if (mask.bitDepth === 32) return null;
  const lut = new Uint32Array(mask.bitDepth === 16 ? 65536 : 256);
  const focus = new Set(highlight);
  for (const [label, color] of colorsOf(mask)) lut[label] = rgbaOf(color, focus.size === 0 || focus.has(label));
  lut[0] = BACKGROUND;
  return lut;
}

function renderSlice(z: number, highlight: number[]): void {
  if (!current) throw new InputError("INVALID_ARGUMENT", "No mask is loaded.");
  const started = performance.now();
  const { mask, layers, view, indexer } = current;
  const { width, height } = view;
  const k = Math.max(0, Math.min(view.depth - 1, Math.round(z)));
  const rgba = new Uint32Array(width * height);
  // The colour table depends only on the highlight: a slider move reuses it (one less
  // allocation per redraw: 256 KiB for 16-bit labels).
  const key = highlight.join(",");
  if (current.lut?.key !== key) current.lut = { key, table: buildLut(mask, highlight) };
  const lut = current.lut.table;
  const focus = new Set(highlight);
  const colors = lut ? null : colorsOf(mask);
  const colorOf = (label: number): number => (lut ? lut[label]! : label === 0 ? BACKGROUND : rgbaOf(colors!.get(label) ?? labelColor(label), focus.size === 0 || focus.has(label)));
  const { columns, rowStart } = indexer;
  layers.forEach((voxels, l) => {
    for (let y = 0; y < height; y++) {
      const from = rowStart(k, y), at = y * width;
      if (l === 0) {
        for (let x = 0; x < width; x++) rgba[at + x] = colorOf(voxels[from + columns[x]!]!);
        continue;
      }
      // A later layer draws over an earlier one, except a dimmed label over a highlighted one.
      for (let x = 0; x < width; x++) {
        const label = voxels[from + columns[x]!]!;
        if (label === 0) continue;
        const c = colorOf(label), under = rgba[at + x]!;
        if (under === BACKGROUND || c >>> 24 >= under >>> 24) rgba[at + x] = c;
      }
    }
  });
  post({ type: "slice", z: k, width, height, rgba: rgba.buffer, ms: performance.now() - started }, [rgba.buffer]);
}

/** The archive opened by URL, whose entries are loaded on request. */
let remote: MaskArchive | null = null;

/** Makes `loaded` the current mask (resident where it can be) and sends its table. */
function show(loaded: { mask: SegmentationMask<string>; name: string }, timings: Array<[string, number]>): void {
  // A viewer queries its one volume again and again: keep it in WASM memory, where the
  // kernels read it in place (slices are views of it all the same).
  let t = performance.now();
  const mask = loaded.mask.resident ? loaded.mask : residentOr(() => loaded.mask.toResident(), () => loaded.mask);
  if (mask !== loaded.mask) {
    loaded.mask.dispose();
    loaded.mask = mask;
    timings.push(["into WASM memory", performance.now() - t]);
  }
  t = performance.now();
  const stats = loaded.mask.labelStats();
  timings.push(["label statistics", performance.now() - t]);
  current?.mask.dispose();
  // The layers read once: each read of `layers` tells the mask its voxels may change.
  const view = axialView(loaded.mask.space);
  current = { ...loaded, layers: loaded.mask.layers, lut: null, view, indexer: sliceIndexer(view, loaded.mask.shape) };
  post({ type: "loaded", name: loaded.name, view, stats, timings, backend: getBackend(), resident: loaded.mask.resident });
}

self.onmessage = async (event: MessageEvent<Request>) => {
  const request = event.data;
  try {
    if (request.type === "load") {
      const t = performance.now();
      const loaded = await load(request.files);
      show(loaded, [["read + decode", performance.now() - t]]);
    } else if (request.type === "openUrl") {
      const t = performance.now();
      // Only the index is fetched (range requests); each organ's bytes when it is clicked.
      const archive = await MaskArchive.fromUrl(request.url);
      remote = archive;
      const entries = archive.names().map((name) => {
        const stats = archive.stats(name);
        return { name, voxels: stats ? stats.reduce((n, s) => n + s.voxels, 0) : null, volumeMm3: stats ? stats.reduce((n, s) => n + s.volumeMm3, 0) : null };
      });
      post({ type: "index", url: request.url, entries, ms: performance.now() - t });
    } else if (request.type === "loadEntry") {
      if (!remote) throw new InputError("INVALID_ARGUMENT", "No archive is open.");
      const t = performance.now();
      const mask = await remote.load(request.name);
      show({ mask, name: request.name }, [["fetch + decode", performance.now() - t]]);
    } else if (request.type === "slice") {
      renderSlice(request.z, request.highlight);
    } else if (request.type === "compare") {
      if (!current) throw new InputError("INVALID_ARGUMENT", "Load a mask first, then compare it with another.");
      const t = performance.now();
      const other = await load(request.files);
      try {
        // Labels paired by name: two files with different label numbers compare right.
        const all = compareMasks(current.mask, other.mask);
        const rows = all.filter((r) => r.empty !== "both");
        post({ type: "compared", name: other.name, rows, absent: all.length - rows.length, voxelMl: current.mask.space.voxelVolume / 1000, ms: performance.now() - t });
      } finally {
        other.mask.dispose();
      }
    } else if (request.type === "mesh") {
      if (!current) throw new InputError("INVALID_ARGUMENT", "Load a mask first, then make its surfaces.");
      const t = performance.now();
      const meshes = meshLabels(current.mask, { smoothing: request.smoothing, normals: true });
      const meshMs = performance.now() - t;
      const bytes = encodeGlb(meshes);
      const triangles = meshes.reduce((n, m) => n + m.indices.length / 3, 0);
      post({ type: "meshed", bytes: bytes.buffer as ArrayBuffer, name: `${stem(current.name)}.glb`, organs: meshes.length, triangles, ms: performance.now() - t, meshMs }, [bytes.buffer as ArrayBuffer]);
    } else if (request.type === "save") {
      if (!current) throw new InputError("INVALID_ARGUMENT", "No mask is loaded.");
      const bytes = encodeMask(current.mask);
      post({ type: "saved", bytes: bytes.buffer as ArrayBuffer, name: `${stem(current.name)}.msk` }, [bytes.buffer as ArrayBuffer]);
    }
  } catch (error) {
    const message = error instanceof MedMaskError ? error.message : error instanceof RangeError ? `The file is too large for this browser: ${error.message}` : `Unexpected error: ${(error as Error)?.message ?? String(error)}`;
    post({ type: "error", message, keptPrevious: current !== null });
  }
};
