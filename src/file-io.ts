import { FileError } from "./errors.js";
import type { ByteSource } from "./sources/source.js";
import { platform } from "./platform.js";

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

/** The platform's file system, or a clear error in environments without one. */
export function fileIO(what: string): FileIO {
  const registered = platform().fileIO;
  if (registered) return registered;
  throw new FileError(
    "NO_FILE_SYSTEM",
    `${what} by path needs Node (import from "medmask" in Node, or "medmask/node"); in a browser use bytes or MaskArchive.fromBlob.`,
  );
}
