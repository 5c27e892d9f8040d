// What a platform gives beyond portable JavaScript, registered once by an entry: the Node
// entry (src/node.ts) brings file access, zlib (deflate, gzip, CRC-32, zstd where it has
// it) and an in-place zero search. Where a piece is not registered (browsers), its module
// falls back to portable code, or says what needs Node. The seams' interfaces are defined
// here, below the modules that use them (file-io.ts, codecs/, kernels/zero-search.ts), so
// no import, of a value or a type, runs back up from this file.
import type { ByteSource } from "./sources/source.js";

/** Options of `FileIO.writeAtomic`. */
export interface WriteOptions {
  keepPrefix?: number;
  /** With `keepPrefix`: bytes written over the start of the kept prefix. */
  head?: Uint8Array;
  /** false: refuse (FILE_EXISTS) when `path` exists. */
  overwrite?: boolean;
  /** Runs after the new content is durable and before it replaces `path`; a throw leaves `path` as it was. */
  beforeReplace?: () => Promise<void>;
}

/** A writer's lock on a file. */
export interface Lock {
  /** Whether the lock is still this writer's (checked just before a file is replaced). */
  held(): Promise<boolean>;
  release(): Promise<void>;
}

/**
 * What medmask needs from a file system. The Node entry registers one (src/node/file-io.ts);
 * the core entry stays browser-safe by never importing it.
 */
export interface FileIO {
  /** Opens `path` for random-access reads. */
  open(path: string): Promise<ByteSource>;
  /** Reads a whole file. */
  readFile(path: string): Promise<Uint8Array>;
  /** The names in a folder (FILE_NOT_FOUND, NOT_A_FILE... as for files). */
  list(dir: string): Promise<string[]>;
  /**
   * Writes `chunks` as the new content of `path` atomically: a temporary file, fsync, then
   * rename, so readers see the old file or the new one, never a mix. With `keepPrefix`,
   * the first `keepPrefix` bytes of the existing file come first (appending without
   * rewriting them from memory), and `head` is then written over their start (a header
   * and index that changed in place).
   */
  writeAtomic(path: string, chunks: readonly Uint8Array[], options?: WriteOptions): Promise<void>;
  /**
   * Several files, each atomically: all are written and made durable before any is put in
   * place (a full disk changes none), then they are renamed in the order given.
   */
  writeAtomicAll(files: readonly { path: string; chunks: readonly Uint8Array[] }[], options?: WriteOptions): Promise<void>;
  /**
   * Takes the writer's lock of `path` (`<path>.lock`, appearing whole with the owner's pid);
   * LOCKED when a live process holds it.
   */
  lock(path: string): Promise<Lock>;
  /** Size and modification time of `path`, or null when it does not exist. */
  stamp(path: string): Promise<string | null>;
}

/**
 * Raw DEFLATE (RFC 1951) for the native codec. fflate everywhere; the Node entry registers
 * zlib, which inflates several times faster (`npm run bench platform`, "inflate deflated
 * voxels"). Both write valid raw deflate, so files from either read with either.
 */
export interface Deflater {
  deflate(data: Uint8Array, level: number): Uint8Array;
  /**
   * Inflates at most `limit` bytes and returns what it got (callers check the length), or
   * "too long" where it can tell the stream holds more than `limit` bytes (zlib can; fflate
   * stops at `limit` without telling).
   */
  inflate(data: Uint8Array, limit: number): Uint8Array | "too long";
}

/** A CRC-32 function with `crc32`'s signature and results. */
export type Crc32 = (bytes: Uint8Array, previous: number) => number;

/**
 * gzip for the formats that use it (`.nii.gz`, `.seg.nrrd`). fflate everywhere; the Node
 * entry registers zlib, which inflates faster (`npm run bench platform`, "gunzip a
 * TotalSegmentator mask").
 */
export interface Gzip {
  /**
   * Inflates a gzip stream; `size` is the size expected (the trailer's, or less; 0: unknown).
   * Throws on corrupt data, and `PastLimitError` as soon as the output would pass `limit`
   * bytes.
   */
  gunzip(gzip: Uint8Array, size: number, limit?: number): Uint8Array;
  gzip(data: Uint8Array, level: number): Uint8Array;
}

/** A zstd implementation that needs no start-up (Node's zlib). */
export interface ZstdCodec {
  /** One frame of `data` at `level`, its content size in the frame header. */
  compress(data: Uint8Array, level: number): Uint8Array;
  /** The frame's bytes, expected to be `size` of them; throws past `size + 1`. */
  decompress(frame: Uint8Array, size: number): Uint8Array;
}

/**
 * The search for background at the ends of a volume (`occupiedSlices`), done in place by
 * the platform where it can. The WASM kernels can read only their own memory, so for
 * ordinary arrays they copy each chunk in before they look at it; Node's `memcmp` reads the
 * array where it is (`npm run bench platform`, "background at the ends").
 * The Node entry registers it; browsers keep the kernels' search.
 */
export interface ZeroSearch {
  /** Zero bytes at the start of `bytes` (its length when all are zero). */
  leadingZeros(bytes: Uint8Array): number;
  /** Zero bytes at the end of `bytes` (its length when all are zero). */
  trailingZeros(bytes: Uint8Array): number;
}

/** Every piece a platform may bring; null where it brings none. */
export interface Platform {
  fileIO: FileIO | null;
  deflater: Deflater | null;
  crc32: Crc32 | null;
  gzip: Gzip | null;
  zstd: ZstdCodec | null;
  zeroSearch: ZeroSearch | null;
}

const current: Platform = { fileIO: null, deflater: null, crc32: null, gzip: null, zstd: null, zeroSearch: null };

/**
 * Registers what the platform brings (the pieces given replace those registered before;
 * tests swap one piece, and put it back, the same way).
 * @example registerPlatform({ fileIO: nodeFileIO, deflater: zlibDeflater });
 */
export function registerPlatform(pieces: Partial<Platform>): void {
  Object.assign(current, pieces);
}

/** What the platform brings now. */
export function platform(): Readonly<Platform> {
  return current;
}
