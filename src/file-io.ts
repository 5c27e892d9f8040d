import { FileError } from "./errors.js";
import { platform, type WriteOptions, type Lock, type FileIO } from "./platform.js";
export type { WriteOptions, Lock, FileIO };

/** The platform's file system, or a clear error in environments without one. */
export function fileIO(what: string): FileIO {
  const registered = platform().fileIO;
  if (registered) return registered;
  throw new FileError(
    "NO_FILE_SYSTEM",
    `${what} by path needs Node (import from "medmask" in Node, or "medmask/node"); in a browser use bytes or MaskArchive.fromBlob.`,
  );
}
