import { randomUUID } from "node:crypto";
import { copyFile, link, open, type FileHandle, readFile, readdir, rename, stat, truncate, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { constants as fsConstants } from "node:fs";
import { FormatError, InputError, MedMaskError } from "../errors.js";
import type { FileIO, Lock, WriteOptions } from "../file-io.js";
import type { ByteSource } from "../format/source.js";

/** Turns Node's fs errors into MedMaskErrors with a code and the path. */
export function fsError(error: unknown, path: string): MedMaskError {
  if (error instanceof MedMaskError) return error;
  const code = (error as NodeJS.ErrnoException)?.code;
  const reason = (error as Error)?.message ?? String(error);
  if (code === "ENOENT") return new MedMaskError("FILE_NOT_FOUND", `${path}: no such file or folder.`, { cause: error });
  if (code === "EEXIST") return new MedMaskError("FILE_EXISTS", `${path} already exists.`, { cause: error });
  if (code === "ENOSPC") return new MedMaskError("IO_ERROR", `${path}: the disk is full; nothing was changed.`, { cause: error });
  if (code === "EACCES" || code === "EPERM" || code === "EROFS") return new MedMaskError("IO_ERROR", `${path}: permission denied; nothing was changed.`, { cause: error });
  return new MedMaskError("IO_ERROR", `${path}: ${reason}`, { cause: error });
}

/**
 * Opens `path` for reading if it is a regular file (through any symlinks), with its size;
 * anything else is NOT_A_FILE before a byte is read. Opened non-blocking, so a FIFO cannot
 * hang the open waiting for a writer, and checked on the open handle, so the file checked
 * is the file read.
 */
export async function openRegularFile(path: string): Promise<{ handle: FileHandle; size: number }> {
  let handle: FileHandle;
  try {
    handle = await open(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  } catch (error) {
    throw fsError(error, path);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      const what = info.isDirectory() ? "a folder" : info.isFIFO() ? "a pipe (FIFO)" : info.isCharacterDevice() || info.isBlockDevice() ? "a device" : info.isSocket() ? "a socket" : "not a regular file";
      throw new InputError("NOT_A_FILE", `${path} is ${what}, not a file medmask can read.`);
    }
    return { handle, size: info.size };
  } catch (error) {
    // Not left to the collector: Node warns when it closes a handle that was dropped.
    await handle.close().catch(() => undefined);
    throw fsError(error, path);
  }
}

/** The whole of a regular file (NOT_A_FILE for anything else). */
export async function readRegularFile(path: string): Promise<Uint8Array> {
  const { handle, size } = await openRegularFile(path);
  try {
    // A read of known size: one Buffer of its own, never a slice of Node's pool when large.
    const bytes = new Uint8Array(size);
    let done = 0;
    while (done < size) {
      const { bytesRead } = await handle.read(bytes, done, size - done, done);
      if (bytesRead === 0) break; // shrank meanwhile: what there is
      done += bytesRead;
    }
    return done === size ? bytes : bytes.subarray(0, done);
  } catch (error) {
    throw fsError(error, path);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** A random-access source over an open file handle. */
async function openSource(path: string): Promise<ByteSource> {
  const { handle, size } = await openRegularFile(path);
  return {
    size,
    async read(offset: number, length: number): Promise<Uint8Array> {
      const out = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await handle.read(out, done, length - done, offset + done);
        if (bytesRead === 0) throw new FormatError("TRUNCATED", `${path} ended at byte ${offset + done}; ${length - done} more bytes were expected.`);
        done += bytesRead;
      }
      return out;
    },
    async close(): Promise<void> {
      await handle.close();
    },
  };
}

/**
 * Writes `chunks` one after another from `position` with `writev`: an archive commit has
 * one chunk per entry, and a write per chunk cost 12-19 ms for 118 entries here (each a
 * round trip to the thread pool) against 1.5 ms for one `writev` (libuv splits it at
 * IOV_MAX). A short write (a disk filling up) continues where it stopped, so the next
 * call reports the error.
 */
async function writeAllAt(handle: FileHandle, chunks: readonly Uint8Array[], position: number): Promise<void> {
  let queue = chunks.filter((c) => c.length > 0);
  while (queue.length > 0) {
    let { bytesWritten } = await handle.writev(queue, position);
    // A write that makes no progress would loop forever: report it instead.
    if (bytesWritten === 0) throw Object.assign(new Error("the file system accepted no bytes"), { code: "EIO" });
    position += bytesWritten;
    let i = 0;
    while (i < queue.length && bytesWritten >= queue[i]!.length) bytesWritten -= queue[i++]!.length;
    queue = i < queue.length ? [queue[i]!.subarray(bytesWritten), ...queue.slice(i + 1)] : [];
  }
}

/**
 * Makes a rename in `folder` durable: without this, a power cut soon after a save can bring
 * back the old file (the new data is on disk, its name is not). It runs after the rename,
 * so a folder that cannot be opened (Windows, which does not need this; a folder with
 * write but no read permission) is skipped rather than reported: reporting it would call a
 * completed save failed ("nothing was changed"). A sync that fails is an I/O error and is
 * reported.
 */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, "r").catch(() => null);
  if (!handle) return;
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function writeAtomic(path: string, chunks: readonly Uint8Array[], options: WriteOptions = {}): Promise<void> {
  const keep = options.keepPrefix ?? 0;
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`);
  let handle;
  try {
    if (keep > 0) {
      // Reuse the committed bytes without reading them into memory.
      await copyFile(path, temp);
      await truncate(temp, keep);
      handle = await open(temp, "r+");
    } else {
      handle = await open(temp, "wx");
    }
    await writeAllAt(handle, chunks, keep);
    if (options.head && keep > 0) {
      if (options.head.length > keep) throw new Error("unreachable: a head longer than the kept prefix");
      await writeAllAt(handle, [options.head], 0);
    }
    await handle.sync();
    await handle.close();
    handle = undefined;
    await options.beforeReplace?.();
    if (options.overwrite === false) {
      // A hard link fails if `path` exists, atomically: a check and then a rename would let
      // two writers both see no file and the second replace the first's.
      try {
        await linkExclusive(temp, path, () => readFile(temp));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EEXIST") throw new MedMaskError("FILE_EXISTS", `${path} already exists; pass { overwrite: true } to replace it.`);
        throw error;
      }
      await unlink(temp);
    } else {
      await rename(temp, path);
    }
    await syncFolder(dirname(path));
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw fsError(error, path);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Errors of file systems without hard links (FAT, some network shares). */
const NO_LINKS = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EXDEV"]);

/**
 * Hard-links `from` as `to`, failing with EEXIST when `to` exists. Where the file system
 * has no hard links, `to` is created exclusively with `content` instead (it then exists,
 * for an instant, before its content is whole).
 */
async function linkExclusive(from: string, to: string, content: () => Promise<Uint8Array | string>): Promise<void> {
  try {
    await link(from, to);
  } catch (error) {
    if (!NO_LINKS.has((error as NodeJS.ErrnoException).code ?? "")) throw error;
    await writeFile(to, await content(), { flag: "wx" });
  }
}

/** What a lock file holds: the owner's pid and a token of this acquisition. */
const lockOwner = (text: string): number => Number(text.split(" ")[0]);

/**
 * Takes `<path>.lock`. The lock file appears whole: it is written under a temporary name
 * and hard-linked into place, which fails when a lock exists (a lock created empty and
 * filled after would let a second writer read no pid in between, call it stale, and commit
 * from the same snapshot). A lock whose owner is dead is moved aside under a name of our
 * own (atomic) and deleted only if it is the one we found dead: a live lock taken by
 * another writer in between is linked back. The returned function releases the lock if
 * it is still ours; `held()` tells a writer, just before it replaces the file, whether it is.
 */
async function lock(path: string): Promise<Lock> {
  const lockPath = `${path}.lock`;
  const token = `${process.pid} ${randomUUID()}`;
  const mine = join(dirname(path), `.${basename(path)}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`);
  try {
    await writeFile(mine, token, { flag: "wx" });
  } catch (error) {
    throw fsError(error, lockPath);
  }
  try {
    for (let attempt = 0; attempt < 8; attempt++) {
      try {
        await linkExclusive(mine, lockPath, async () => token);
        await removeStaleTemporaries(path);
        const held = async () => (await readFile(lockPath, "utf8").catch(() => "")) === token;
        return {
          held,
          release: async () => {
            if (await held()) await unlink(lockPath).catch(() => undefined);
          },
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw fsError(error, lockPath);
      }
      const found = await readFile(lockPath, "utf8").catch(() => null);
      if (found === null) continue; // released meanwhile: try again
      const owner = lockOwner(found);
      if (Number.isInteger(owner) && owner > 0 && alive(owner)) {
        throw new MedMaskError("LOCKED", `${path} is being written by process ${owner}; wait for it to finish (or remove ${lockPath} if that process is gone).`);
      }
      // A lock left by a process that died (or one from before locks held a token): take it
      // over, moving aside exactly what we found.
      // Named as our temporaries are, so one left by a kill is swept like them.
      const grave = join(dirname(path), `.${basename(path)}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`);
      try {
        await rename(lockPath, grave);
      } catch {
        continue; // someone else moved it first
      }
      const moved = await readFile(grave, "utf8").catch(() => "");
      if (moved !== found) await link(grave, lockPath).catch(() => undefined); // a live lock: put it back
      await unlink(grave).catch(() => undefined);
    }
    throw new MedMaskError("LOCKED", `${path}: could not take the lock ${lockPath}.`);
  } finally {
    await unlink(mine).catch(() => undefined);
  }
}

/** Temporary files that writers killed mid-write left beside `path` (their pid is gone). */
async function removeStaleTemporaries(path: string): Promise<void> {
  const prefix = `.${basename(path)}.`;
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  for (const name of names) {
    const m = name.startsWith(prefix) && /\.(\d+)\.[0-9a-f]{8}\.tmp$/.exec(name);
    if (m && !alive(Number(m[1]))) await unlink(join(dirname(path), name)).catch(() => undefined);
  }
}

async function stamp(path: string): Promise<string | null> {
  try {
    const s = await stat(path);
    return `${s.size}:${s.mtimeMs}:${s.ino}`;
  } catch {
    return null;
  }
}

/** The Node implementation of medmask's file access. */
export const nodeFileIO: FileIO = {
  open: openSource,
  readFile: readRegularFile,
  writeAtomic,
  lock,
  stamp,
};
