import { describeValue, FileError, FormatError, GeometryError, InputError, LabelError, ResourceError } from "./errors.js";
import { fileIO } from "./file-io.js";
import {
  ARCHIVE_MAGIC,
  ARCHIVE_MAJOR,
  ARCHIVE_MINOR,
  ARCHIVE_PREFIX_BYTES,
  FOOTER_BYTES,
  archivePrefix,
  checkArchivePrefix,
  decodeFooter,
  decodeIndex,
  encodeIndex,
  type ArchiveIndex,
  type ArchiveIndexEntry,
} from "./formats/native/archive-layout.js";
import { concatBytes, magicOf } from "./sources/bytes.js";
import type { DecodeOptions, TargetOptions } from "./formats/decode-target.js";
import { checkHeaderLabels, checkStatsAgree, decodeNative, depthOfDtype, dtypeOf, encodeNativeWithStats, layeredHeaderLabels, statsFromHeader, type Dtype, type EncodeOptions, type HeaderLabel, type MaskFormat } from "./formats/native/native.js";
import {
  PYTHON_ARCHIVE_MAGIC,
  decodePythonArchiveEntry,
  parsePythonArchiveIndex,
  parsePythonArchiveSpace,
  readPythonArchiveHeader,
  type PythonArchiveEntry,
} from "./formats/python/read.js";
import {
  PYTHON_ARCHIVE_HEADER_BYTES,
  encodePythonBlock,
  pythonArchiveHead,
  pythonIndexBytes,
  pythonIndexCapacity,
  pythonSpaceBytes,
  type PythonArchivePlan,
  type PythonIndexEntry,
} from "./formats/python/write.js";
import { readBatches } from "./sources/read-batches.js";
import { checkFits, maxBytesOf, type LimitOptions } from "./limits.js";
import { blobSource, bytesSource, type ByteSource } from "./sources/source.js";
import { httpSource, type UrlOptions } from "./sources/http.js";
import { initZstd } from "./codecs/zstd.js";
import { LabelMapping, checkName } from "./mapping.js";
import type { SegmentationMask } from "./mask.js";
import { Space } from "./space.js";
import type { LabelStat } from "./stats.js";
import { checkMetadataRecord, metadataToJSON, type LabelMetadata } from "./label-metadata.js";

/** Most bytes `entries` reads at once (compressed entries; a decoded mask is far larger). */
const ENTRIES_BATCH_BYTES = 32 << 20;
/** Bytes between entries `entries` reads through rather than starting a new read. */
const ENTRIES_MAX_GAP = 64 << 10;

/** One entry as the archive knows it before any voxel is read. */
interface Entry {
  name: string;
  offset: number;
  length: number;
  mapping: LabelMapping<string>;
  labels: HeaderLabel[] | null;
  dtype: Dtype;
  /** Colours and codes by label name (empty: none). */
  metadata: Record<string, LabelMetadata>;
  /** Encoded bytes of an entry added since the last commit. */
  pending?: Uint8Array;
}

type Kind = MaskFormat;

/** What a Python archive read from a file keeps to append to it in place. */
interface PythonCommitted {
  plan: PythonArchivePlan;
  /** The space JSON as the file has it (kept byte for byte, so nothing before the index moves). */
  space: Uint8Array;
  dataLength: number;
}

/** Options of `MaskArchive.entries`: where each entry is decoded. */
export interface EntriesOptions extends DecodeOptions {
  /** Decode every entry of one label type into the same buffer, allocated by the loop. */
  reuse?: boolean;
}

/** Options of `MaskArchive.create`. */
export interface CreateArchiveOptions {
  space: Space;
  /**
   * "native" (default) or "python": the Python medmask library's `.mska`, which its
   * `MaskArchive(path)` reads and appends to (and `MaskArchive.open` here too).
   */
  format?: MaskFormat;
  /** Replace an existing file (default: refuse with FILE_EXISTS). */
  overwrite?: boolean;
  /** Encoding options for every entry (for "python", only `level`: the zstd level). */
  encode?: EncodeOptions;
}

function archiveFormat(format: unknown): Kind {
  if (format === undefined || format === "native") return "native";
  if (format === "python") return "python";
  throw new InputError("INVALID_ARGUMENT", `Unknown archive format ${JSON.stringify(format)}; use "native" or "python".`);
}

/**
 * Many named masks that share one space, in one file, with random access: names,
 * mappings and statistics come from the index, and `load(name)` reads only that entry's
 * bytes. Reads the native format and the Python library's `.mska`.
 * @example
 * const archive = await MaskArchive.create("case.mska", { space });
 * archive.add("liver", liverMask);
 * await archive.close();
 * const again = await MaskArchive.open("case.mska");
 * const liver = await again.load("liver");
 */
export class MaskArchive {
  readonly space: Space;
  readonly #kind: Kind;
  readonly #entries: Entry[];
  readonly #byName = new Map<string, Entry>();
  #source: ByteSource | null;
  readonly #path: string | null;
  /** Bytes of the committed file that stay as they are: prefix + entries (native only). */
  #committedEnd: number;
  #encode: EncodeOptions;
  #closed = false;
  /** The file as it was when read or last committed; a commit refuses if it changed since. */
  #stamp: string | null = null;
  /** `create` without `overwrite`: the first commit refuses a file that appeared meanwhile. */
  #overwrite = true;
  /** A committed Python archive's layout (null for native ones and new Python ones). */
  #python: PythonCommitted | null = null;
  /** The `maxBytes` the archive was opened with: the default of every decode of an entry. */
  #maxBytes: number | undefined;

  /** The format version of the file read (a version-1 archive's prefix is rewritten by the next commit). */
  #major = ARCHIVE_MAJOR;

  private constructor(kind: Kind, space: Space, entries: Entry[], source: ByteSource | null, path: string | null, committedEnd: number, encode: EncodeOptions = {}) {
    this.#kind = kind;
    this.space = space;
    this.#entries = entries;
    for (const e of entries) this.#byName.set(e.name, e);
    this.#source = source;
    this.#path = path;
    this.#committedEnd = committedEnd;
    this.#encode = encode;
  }

  /** Starts a new archive file at `path` (written atomically by `close()`/`commit()`). */
  static async create(path: string, options: CreateArchiveOptions): Promise<MaskArchive> {
    if (!(options?.space instanceof Space)) throw new InputError("INVALID_ARGUMENT", "MaskArchive.create needs { space } (a Space).");
    const io = fileIO("Creating an archive");
    let exists = true;
    try {
      await (await io.open(path)).close?.();
    } catch {
      exists = false;
    }
    if (exists && !options.overwrite) {
      throw new FileError("FILE_EXISTS", `${path} already exists; open it with MaskArchive.open to add masks, or pass { overwrite: true }.`);
    }
    const format = archiveFormat(options.format);
    if (format === "python") await initZstd();
    const archive = new MaskArchive(format, options.space, [], null, path, 0, options.encode);
    archive.#overwrite = options.overwrite === true;
    return archive;
  }

  /**
   * Opens an archive file (native or Python `.mska`); only the footer and index are read.
   * `maxBytes` (default 2 GiB) bounds the index read and every entry `load`/`entries` decode.
   */
  static async open(path: string, options: LimitOptions = {}): Promise<MaskArchive> {
    const io = fileIO("Opening an archive");
    const stamp = await io.stamp(path);
    const source = await io.open(path);
    try {
      const archive = await MaskArchive.#read(source, path, options);
      archive.#stamp = stamp;
      return archive;
    } catch (error) {
      await source.close?.();
      throw error;
    }
  }

  /** Reads an archive lazily from a Blob or File (browser): each entry is one `Blob.slice`. */
  static async fromBlob(blob: Blob, options: LimitOptions = {}): Promise<MaskArchive> {
    return MaskArchive.#read(blobSource(blob), null, options);
  }

  /**
   * Reads an archive over HTTP(S) (Node and browsers): the index by range requests, and
   * `load` / `entries` fetch only the bytes of the entries they decode (neighbours in one
   * request). A server without range support is RANGE_UNSUPPORTED unless
   * `allowFullDownload`; a missing file FILE_NOT_FOUND; a file that changes while it is read
   * CONFLICT (never a mask made of two versions). Read-only.
   * @example const archive = await MaskArchive.fromUrl("https://data.example.org/case0001.mska");
   */
  static async fromUrl(url: string | URL, options: UrlOptions & LimitOptions = {}): Promise<MaskArchive> {
    return MaskArchive.#read(await httpSource(url, options), null, options);
  }

  /** Reads an archive held in memory. */
  static async fromBytes(bytes: Uint8Array, options: LimitOptions = {}): Promise<MaskArchive> {
    return MaskArchive.#read(bytesSource(bytes), null, options);
  }

  /**
   * An empty in-memory archive; `toBytes()` gives its file. `{ format: "python" }` makes a
   * Python `.mska` (where Node's zlib has no zstd, `await initZstd()` before `add`).
   */
  static inMemory(space: Space, encode: EncodeOptions = {}): MaskArchive {
    return new MaskArchive(archiveFormat(encode.format), space, [], null, null, 0, encode);
  }

  static async #read(source: ByteSource, path: string | null, limits: LimitOptions): Promise<MaskArchive> {
    const maxBytes = maxBytesOf(limits);
    if (source.size < 8) throw new FormatError("TRUNCATED", `${source.size} bytes cannot be a mask archive.`);
    const archive = await MaskArchive.#readIndex(source, path, maxBytes);
    archive.#maxBytes = maxBytes;
    return archive;
  }

  static async #readIndex(source: ByteSource, path: string | null, maxBytes: number): Promise<MaskArchive> {
    const head = await source.read(0, Math.min(source.size, 90));
    const magic = magicOf(head);
    if (magic === ARCHIVE_MAGIC) {
      const major = checkArchivePrefix(head);
      if (source.size < ARCHIVE_PREFIX_BYTES + FOOTER_BYTES) throw new FormatError("TRUNCATED", "The medmask archive is too short to hold its footer.");
      const footer = decodeFooter(await source.read(source.size - FOOTER_BYTES, FOOTER_BYTES), source.size, major);
      checkFits(Math.max(footer.indexLength, footer.rawLength), maxBytes, "This archive's index");
      const index = decodeIndex(await source.read(footer.indexOffset, footer.indexLength), footer);
      const space = parseSpace(index);
      const entries = index.entries.map((e) => {
        const depth = depthOfDtype(e.dtype);
        if (!depth) throw new FormatError("BAD_FORMAT", `The medmask archive's entry "${e.name}" has an unknown dtype.`);
        // Layers are checked against the entry itself when it is loaded (the index cannot know them).
        const labels = e.labels === undefined || e.labels === null ? null : checkHeaderLabels(e.labels, space, depth, `medmask archive entry "${e.name}"`, Number.MAX_SAFE_INTEGER);
        const metadata = metadataToJSON(checkMetadataRecord(e.metadata, "file"));
        return { name: e.name, offset: e.offset, length: e.length, mapping: parseMapping(e.mapping, e.name), labels, dtype: dtypeOf(depth), metadata };
      });
      checkIndexNames(entries, "medmask archive");
      const archive = new MaskArchive("native", space, entries, source, path, footer.indexOffset);
      archive.#major = major;
      return archive;
    }
    if (magic === PYTHON_ARCHIVE_MAGIC) {
      const header = readPythonArchiveHeader(head);
      const within = (o: number, l: number) => {
        if (o + l > source.size) throw new FormatError("TRUNCATED", `The Python medmask archive is truncated (needs byte ${o + l}, has ${source.size}).`);
      };
      within(header.spaceOffset, header.spaceLength);
      within(header.indexOffset, header.indexLength);
      checkFits(header.spaceLength + header.indexLength, maxBytes, "This archive's index");
      const spaceBytes = await source.read(header.spaceOffset, header.spaceLength);
      const space = parsePythonArchiveSpace(spaceBytes);
      const list = parsePythonArchiveIndex(await source.read(header.indexOffset, header.indexLength), source.size);
      const entries = list.map((e: PythonArchiveEntry) => ({ name: e.name, offset: e.offset, length: e.length, mapping: e.mapping, labels: null, dtype: "uint8" as Dtype, metadata: {} }));
      checkIndexNames(entries, "Python medmask archive");
      await initZstd();
      const archive = new MaskArchive("python", space, entries, source, path, source.size);
      const { spaceOffset, spaceLength, indexOffset, indexLength, dataOffset, dataLength } = header;
      archive.#python = { plan: { spaceOffset, spaceLength, indexOffset, indexLength, dataOffset }, space: spaceBytes, dataLength };
      return archive;
    }
    throw new FormatError("BAD_FORMAT", `Not a mask archive: it starts with ${JSON.stringify(magic)}, not "${ARCHIVE_MAGIC}" (medmask) or "${PYTHON_ARCHIVE_MAGIC}" (Python medmask).`);
  }

  #open(): void {
    if (this.#closed) throw new ResourceError("DISPOSED", "This MaskArchive is closed.");
  }

  #entry(name: string): Entry {
    this.#open();
    const entry = this.#byName.get(name);
    if (!entry) {
      const names = this.names();
      throw new LabelError("UNKNOWN_NAME", `No mask named "${name}" in this archive. It holds: ${names.slice(0, 30).join(", ")}${names.length > 30 ? ", ..." : ""}.`);
    }
    return entry;
  }

  /** Entry names in order. */
  names(): string[] {
    return this.#entries.map((e) => e.name);
  }

  /** Whether an entry is called `name`. */
  has(name: string): boolean {
    return this.#byName.has(name);
  }

  /** Number of entries. */
  get size(): number {
    return this.#entries.length;
  }

  /** The format on disk: "native" or "python" (read-only). */
  get format(): Kind {
    return this.#kind;
  }

  /** The mapping of every entry, by name, from the index. */
  mappings(): Record<string, LabelMapping<string>> {
    return Object.fromEntries(this.#entries.map((e) => [e.name, e.mapping.clone()]));
  }

  /** Per-label statistics of an entry from the index (no voxel read); null for Python archives. */
  stats(name: string): LabelStat[] | null {
    const entry = this.#entry(name);
    return entry.labels ? statsFromHeader(entry.labels, this.space) : null;
  }

  /**
   * The colours and codes of an entry's labels, by label name, from the index (no voxel
   * read); `{}` when it has none (always, for Python archives, which cannot store them).
   * @example archive.metadata("liver").liver?.color
   */
  metadata(name: string): Record<string, LabelMetadata> {
    return structuredClone(this.#entry(name).metadata);
  }

  /**
   * Decodes one entry, reading only its bytes; `out` (one buffer for a loop over entries)
   * and `resident` as in `decodeMask`.
   * @example for (const name of archive.names()) use(await archive.load(name, { out: buffer }));
   */
  async load(name: string, options: DecodeOptions = {}): Promise<SegmentationMask<string>> {
    const entry = this.#entry(name);
    return this.#decode(entry, entry.pending ?? (await this.#source!.read(entry.offset, entry.length)), options);
  }

  /** Decodes every entry, in order (see `entries` to hold one at a time). */
  async loadAll(): Promise<Map<string, SegmentationMask<string>>> {
    const all = new Map<string, SegmentationMask<string>>();
    for await (const [name, mask] of this.entries()) all.set(name, mask);
    return all;
  }

  /**
   * Every entry in order, decoded one at a time as the loop asks for it: only the current
   * mask is held, and the file is read a few entries at a time (neighbours in one read of
   * up to 32 MiB), not one read per entry. `out` and `resident` as in `load`; with `out`,
   * each mask's voxels replace the previous one's in the same buffer. `reuse: true` does
   * the same with buffers the loop allocates itself, one per label type, so entries of
   * any types need no `out` of the right type: each mask is valid until the next one of
   * its type is decoded (copy what you keep). A loop over CT-sized entries then skips the
   * allocation and page faults of a fresh volume per entry.
   * @example for await (const [name, mask] of archive.entries({ reuse: true })) console.log(name, mask.labelStats());
   */
  async *entries(options: EntriesOptions = {}): AsyncGenerator<[string, SegmentationMask<string>]> {
    this.#open();
    const { reuse, ...where } = options;
    if (reuse === true && (where.out !== undefined || where.resident === true)) {
      throw new InputError("INVALID_ARGUMENT", "Pass one of reuse, out and resident, not two.");
    }
    const decode: TargetOptions = reuse === true ? { ...where, pool: new Map() } : where;
    // Taken now: a commit during the loop turns pending entries into stored ones.
    const stored = this.#entries.filter((e) => !e.pending);
    const pending = this.#entries.flatMap((e) => (e.pending ? [[e, e.pending] as const] : []));
    for (const batch of readBatches(stored, ENTRIES_BATCH_BYTES, ENTRIES_MAX_GAP)) {
      const bytes = await this.#source!.read(batch.from, batch.to - batch.from);
      for (const e of batch.ranges) {
        this.#open();
        yield [e.name, this.#decode(e, bytes.subarray(e.offset - batch.from, e.offset - batch.from + e.length), decode)];
      }
    }
    for (const [e, bytes] of pending) {
      this.#open();
      yield [e.name, this.#decode(e, bytes, decode)];
    }
  }

  /** An entry's mask from its bytes. */
  #decode(entry: Entry, bytes: Uint8Array, given: TargetOptions): SegmentationMask<string> {
    const options = given.maxBytes === undefined && this.#maxBytes !== undefined ? { ...given, maxBytes: this.#maxBytes } : given;
    if (this.#kind === "python") {
      return decodePythonArchiveEntry(bytes, { name: entry.name, offset: entry.offset, length: entry.length, mapping: entry.mapping }, this.space, options);
    }
    const mask = decodeNative(bytes, this.space, options);
    if (!mask.space.equals(this.space, 1e-9)) throw new FormatError("BAD_FORMAT", `Archive entry "${entry.name}" has a different space from its archive.`);
    if (entry.labels) checkStatsAgree(mask, entry.labels, `Archive entry "${entry.name}"`);
    // The index's mapping is what mappings() told the caller: the entry must say the same.
    const index = JSON.stringify(entry.mapping.toJSON()), own = JSON.stringify(mask.mapping.toJSON());
    if (own !== index) throw new FormatError("BAD_FORMAT", `Archive entry "${entry.name}" maps ${own}, its archive's index ${index}: the archive is inconsistent.`);
    return mask;
  }

  /**
   * Adds a mask (encoded now, written by `commit()`/`close()`). Its space must be the
   * archive's; names are unique.
   */
  add(name: string, mask: SegmentationMask<string>): void {
    this.#open();
    if (typeof (mask as Partial<SegmentationMask<string>> | undefined)?.space?.equals !== "function") {
      throw new InputError("INVALID_ARGUMENT", `MaskArchive.add("${name}", mask) needs a SegmentationMask, got ${describeValue(mask)}.`);
    }
    checkName(name, "Archive entry names");
    if (this.#byName.has(name)) throw new LabelError("DUPLICATE_NAME", `The archive already has a mask named "${name}".`);
    if (!mask.space.equals(this.space, 1e-6)) {
      throw new GeometryError("SHAPE_MISMATCH", `Mask "${name}" has shape ${mask.shape.join("x")} and its own geometry; every mask of an archive shares the archive's space (${this.space.shape.join("x")}).`);
    }
    let entry: Entry;
    if (this.#kind === "python") {
      const pending = encodePythonBlock(mask, { level: this.#encode.level });
      entry = { name, offset: -1, length: pending.length, mapping: mask.mapping.clone(), labels: null, dtype: dtypeOf(mask.bitDepth), metadata: {}, pending };
    } else {
      const { format: _, ...encode } = this.#encode;
      const { bytes: pending, stats } = encodeNativeWithStats(mask, encode, { inArchive: true });
      entry = { name, offset: -1, length: pending.length, mapping: mask.mapping.clone(), labels: layeredHeaderLabels(mask, stats), dtype: dtypeOf(mask.bitDepth), metadata: mask.allMetadata(), pending };
    }
    this.#entries.push(entry);
    this.#byName.set(name, entry);
  }

  #index(): ArchiveIndex {
    return {
      format: "medmask-archive",
      version: `${ARCHIVE_MAJOR}.${ARCHIVE_MINOR}`,
      axis_order: "zyx",
      space: this.space.toJSON(),
      entries: this.#entries.map(
        (e): ArchiveIndexEntry => ({
          name: e.name,
          offset: e.offset,
          length: e.length,
          dtype: e.dtype,
          mapping: e.mapping.toJSON(),
          labels: e.labels ?? [],
          ...(Object.keys(e.metadata).length > 0 ? { metadata: e.metadata } : {}),
        }),
      ),
    };
  }

  /**
   * A Python archive's next file, as the Python library lays it out: header, space, the
   * index in a zero-padded reservation, then every entry's block, pending entries after the
   * committed ones. While the index fits its reservation nothing committed moves: only
   * `head` (header, space, index) changes, and the old file's first `keep` bytes stay. Past
   * it the reservation doubles, as in Python, and the committed blocks move with the data
   * offset (`moved`: the caller writes them after `head`).
   */
  #pythonLayout(): { head: Uint8Array; pending: Uint8Array[]; moved: boolean; keep: number; end: number; committed: PythonCommitted; offsets: number[] } {
    const old = this.#python;
    const space = old?.space ?? pythonSpaceBytes(this.space);
    const spaceOffset = old?.plan.spaceOffset ?? PYTHON_ARCHIVE_HEADER_BYTES;
    const indexOffset = old?.plan.indexOffset ?? spaceOffset + space.length;
    const oldData = old ? { offset: old.plan.dataOffset, length: old.dataLength } : { offset: 0, length: 0 };
    // The index's length depends on the offsets it lists, which depend on its reservation.
    let indexLength = old?.plan.indexLength ?? 0;
    for (;;) {
      const dataOffset = indexOffset + indexLength;
      const list = this.#pythonIndex(dataOffset, oldData);
      const json = pythonIndexBytes(list.entries);
      const capacity = pythonIndexCapacity(json.length, indexLength);
      if (capacity !== indexLength) {
        indexLength = capacity;
        continue;
      }
      const plan: PythonArchivePlan = { spaceOffset, spaceLength: space.length, indexOffset, indexLength, dataOffset };
      return {
        head: pythonArchiveHead(plan, space, json, list.dataLength, list.entries.length),
        pending: this.#entries.flatMap((e) => (e.pending ? [e.pending] : [])),
        moved: old !== null && dataOffset !== old.plan.dataOffset,
        keep: old ? oldData.offset + oldData.length : 0,
        end: dataOffset + list.dataLength,
        committed: { plan, space, dataLength: list.dataLength },
        offsets: list.entries.map((e) => e.offset),
      };
    }
  }

  /**
   * The index of a Python archive whose data starts at `dataOffset`: committed entries
   * where their blocks land (shifted with the data), pending ones after them; sets the
   * pending entries' offsets.
   */
  #pythonIndex(dataOffset: number, oldData: { offset: number; length: number }): { entries: PythonIndexEntry[]; dataLength: number } {
    const shift = dataOffset - oldData.offset;
    let end = dataOffset + oldData.length;
    const entries = this.#entries.map((e): PythonIndexEntry => {
      let offset = e.offset + shift;
      if (e.pending) {
        offset = e.offset = end;
        end += e.pending.length;
      }
      return { name: e.name, offset, length: e.length, mapping: e.mapping.toJSON() };
    });
    return { entries, dataLength: end - dataOffset };
  }

  /** Lays out pending entries after the committed ones; returns the chunks to append. */
  #layout(): { chunks: Uint8Array[]; end: number } {
    let end = Math.max(this.#committedEnd, ARCHIVE_PREFIX_BYTES);
    const chunks: Uint8Array[] = this.#committedEnd === 0 ? [archivePrefix()] : [];
    for (const e of this.#entries) {
      if (!e.pending) continue;
      e.offset = end;
      chunks.push(e.pending);
      end += e.pending.length;
    }
    chunks.push(encodeIndex(this.#index(), end));
    return { chunks, end };
  }

  /** The archive as one file's bytes (in-memory use, e.g. a browser download). */
  toBytes(): Uint8Array {
    this.#open();
    if (this.#committedEnd > 0 || this.#source) {
      throw new FileError("READ_ONLY", "toBytes() is for archives built in memory.");
    }
    if (this.#kind === "native") return concatBytes(this.#layout().chunks);
    const { head, pending } = this.#pythonLayout();
    return concatBytes([head, ...pending]);
  }

  /**
   * Writes added entries to the file atomically (temporary file + rename): the committed
   * entries are kept byte for byte, so a failed commit never loses them.
   */
  async commit(): Promise<void> {
    this.#open();
    if (!this.#path) throw new FileError("READ_ONLY", "This archive has no file; use toBytes().");
    const pending = this.#entries.some((e) => e.pending);
    if (!pending && this.#committedEnd > 0) return;
    const io = fileIO("Writing an archive");
    const lock = await io.lock(this.#path);
    try {
      // Another writer may have committed since this archive was read: appending to the old
      // layout would drop its entries, so refuse and let the caller reopen.
      if (this.#committedEnd > 0 && (await io.stamp(this.#path)) !== this.#stamp) {
        throw new FileError("CONFLICT", `${this.#path} changed since it was opened (another writer committed); open it again and add the masks again.`);
      }
      let write: { chunks: Uint8Array[]; end: number; keep: number; head?: Uint8Array };
      let python: { committed: PythonCommitted; offsets: number[] } | null = null;
      if (this.#kind === "python") {
        const layout = this.#pythonLayout();
        python = layout;
        const old = this.#python;
        if (!old) write = { chunks: [layout.head, ...layout.pending], end: layout.end, keep: 0 };
        else if (layout.moved) write = { chunks: [layout.head, await this.#source!.read(old.plan.dataOffset, old.dataLength), ...layout.pending], end: layout.end, keep: 0 };
        else write = { chunks: layout.pending, end: layout.end, keep: layout.keep, head: layout.head };
      } else {
        // Appending to a version-1 archive: its prefix says version 2 from now on (the new index is).
        write = { ...this.#layout(), keep: this.#committedEnd, ...(this.#committedEnd > 0 && this.#major < ARCHIVE_MAJOR ? { head: archivePrefix() } : {}) };
      }
      await this.#source?.close?.();
      this.#source = null;
      try {
        await io.writeAtomic(this.#path, write.chunks, {
          keepPrefix: write.keep,
          head: write.head,
          overwrite: this.#committedEnd > 0 || this.#overwrite,
          // A lock taken over from under us (a stale-lock race) must not replace the file.
          beforeReplace: async () => {
            if (!(await lock.held())) throw new FileError("LOCKED", `${this.#path}: another writer took the lock during this commit; nothing was changed.`);
          },
        });
      } catch (error) {
        for (const e of this.#entries) if (e.pending) e.offset = -1;
        this.#source = this.#committedEnd > 0 ? await io.open(this.#path) : null;
        throw error;
      }
      for (const e of this.#entries) delete e.pending;
      this.#committedEnd = write.end;
      this.#major = ARCHIVE_MAJOR;
      if (python) {
        // A moved data area moved every committed block with it.
        this.#python = python.committed;
        this.#entries.forEach((e, i) => (e.offset = python.offsets[i]!));
      }
      this.#stamp = await io.stamp(this.#path);
      this.#source = await io.open(this.#path);
    } finally {
      await lock.release();
    }
  }

  /**
   * Commits added entries (for files) and releases the file. The file is released even when
   * the commit fails (as a full disk makes it): the error says so, and the archive on disk
   * keeps its last committed state (the commit is atomic); entries added since are not in it.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    try {
      if (this.#path) await this.commit();
    } finally {
      await this.#source?.close?.();
      this.#source = null;
      this.#closed = true;
    }
  }
}

/** An index whose names are empty or repeated (later entries unreachable) is refused. */
function checkIndexNames(entries: readonly { name: string }[], what: string): void {
  const seen = new Set<string>();
  for (const { name } of entries) {
    if (name === "") throw new FormatError("BAD_FORMAT", `The ${what}'s index has an entry with an empty name.`);
    if (seen.has(name)) throw new FormatError("BAD_FORMAT", `The ${what}'s index names "${name}" twice; the second could never be loaded.`);
    seen.add(name);
  }
}

function parseSpace(index: ArchiveIndex): Space {
  try {
    return Space.fromJSON(index.space);
  } catch (cause) {
    throw new FormatError("BAD_FORMAT", `The medmask archive's space is invalid: ${(cause as Error).message}.`, { cause });
  }
}

function parseMapping(json: Record<string, number>, name: string): LabelMapping<string> {
  try {
    return LabelMapping.fromJSON(json ?? {});
  } catch (cause) {
    throw new FormatError("BAD_FORMAT", `The medmask archive's mapping of "${name}" is invalid: ${(cause as Error).message}.`, { cause });
  }
}
