import { randomUUID } from "node:crypto";
import { copyFile, link, lstat, open, type FileHandle, readFile, readdir, readlink, realpath, rename, stat, truncate, unlink, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import fs, { constants as fsConstants, type Stats } from "node:fs";
import { FileError, FormatError, MedMaskError, ResourceError } from "../errors.js";
import type { FileIO, Lock, WriteOptions } from "../file-io.js";
import type { ByteSource } from "../sources/source.js";

/** Turns Node's fs errors into MedMaskErrors with a code and the path. */
export function fsError(error: unknown, path: string): MedMaskError {
  if (error instanceof MedMaskError) return error;
  const code = (error as NodeJS.ErrnoException)?.code;
  const reason = (error as Error)?.message ?? String(error);
  if (code === "ENOENT") return new FileError("FILE_NOT_FOUND", `${path}: no such file or folder.`, { cause: error });
  if (code === "EEXIST") return new FileError("FILE_EXISTS", `${path} already exists.`, { cause: error });
  if (code === "ENOSPC") return new FileError("IO_ERROR", `${path}: the disk is full; nothing was changed.`, { cause: error });
  if (code === "EACCES" || code === "EPERM" || code === "EROFS") return new FileError("IO_ERROR", `${path}: permission denied; nothing was changed.`, { cause: error });
  return new FileError("IO_ERROR", `${path}: ${reason}`, { cause: error });
}

// Looked up on `fs` at each call, so tests can inject faults at the system-call boundary.
const fdOpen = (path: string, flags: number) => new Promise<number>((ok, fail) => fs.open(path, flags, (e, fd) => (e ? fail(e) : ok(fd))));
const fdStat = (fd: number) => new Promise<Stats>((ok, fail) => fs.fstat(fd, (e, info) => (e ? fail(e) : ok(info))));
const fdRead = (fd: number, out: Uint8Array, at: number, length: number, position: number) =>
  new Promise<number>((ok, fail) => fs.read(fd, out, at, length, position, (e, bytesRead) => (e ? fail(e) : ok(bytesRead))));
const fdClose = (fd: number) => new Promise<void>((ok, fail) => fs.close(fd, (e) => (e ? fail(e) : ok())));

/**
 * Closes the descriptor of a source its user dropped without `close()` (an archive opened and
 * never closed), as Python closes a collected file. A plain descriptor rather than a
 * FileHandle: Node 26 makes a collected, unclosed FileHandle an uncaught error that ends the
 * process.
 */
const dropped = new FinalizationRegistry<number>((fd) => fs.close(fd, () => undefined));

/**
 * Opens `path` for reading if it is a regular file (through any symlinks), with its size;
 * anything else is NOT_A_FILE before a byte is read. Opened non-blocking, so a FIFO cannot
 * hang the open waiting for a writer, and checked on the open descriptor, so the file checked
 * is the file read.
 */
async function openRegularFile(path: string): Promise<{ fd: number; size: number }> {
  let fd: number;
  try {
    fd = await fdOpen(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  } catch (error) {
    throw fsError(error, path);
  }
  try {
    const info = await fdStat(fd);
    if (!info.isFile()) {
      const what = info.isDirectory() ? "a folder" : info.isFIFO() ? "a pipe (FIFO)" : info.isCharacterDevice() || info.isBlockDevice() ? "a device" : info.isSocket() ? "a socket" : "not a regular file";
      throw new FileError("NOT_A_FILE", `${path} is ${what}, not a file medmask can read.`);
    }
    return { fd, size: info.size };
  } catch (error) {
    await fdClose(fd).catch(() => undefined);
    throw fsError(error, path);
  }
}

/** A random-access source over an open file; closed by `close()`, or when dropped and collected. */
async function openSource(path: string): Promise<ByteSource> {
  const { fd, size } = await openRegularFile(path);
  let open = true;
  const source: ByteSource = {
    size,
    async read(offset: number, length: number): Promise<Uint8Array> {
      if (!open) throw new ResourceError("DISPOSED", `${path} was closed.`);
      const out = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        let bytesRead: number;
        try {
          bytesRead = await fdRead(fd, out, done, length - done, offset + done);
        } catch (error) {
          throw fsError(error, path);
        }
        if (bytesRead === 0) throw new FormatError("TRUNCATED", `${path} ended at byte ${offset + done}; ${length - done} more bytes were expected.`);
        done += bytesRead;
      }
      return out;
    },
    async close(): Promise<void> {
      if (!open) return;
      open = false;
      dropped.unregister(source);
      await fdClose(fd);
    },
  };
  dropped.register(source, fd, source);
  return source;
}

/**
 * The whole of a regular file (NOT_A_FILE for anything else), read at its size into bytes of
 * its own (never a slice of Node's pool); TRUNCATED if it shrinks while being read.
 */
export async function readRegularFile(path: string): Promise<Uint8Array> {
  const source = await openSource(path);
  try {
    return await source.read(0, source.size);
  } finally {
    await source.close?.().catch(() => undefined);
  }
}

/**
 * Writes `chunks` one after another from `position` with `writev`: an archive commit has
 * one chunk per entry, and a write per chunk is a round trip to the thread pool each, where
 * one `writev` is one (libuv splits it at IOV_MAX). A short write (a disk filling up)
 * continues where it stopped, so the next call reports the error.
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

/** This host in temporary names, so a sweep only judges the processes it can see. */
const HOST = hostname().replace(/[^A-Za-z0-9]/g, "").slice(0, 32);
const TEMPORARY = /\.medmask-([A-Za-z0-9]{0,32})-(\d+)-[0-9a-f]{8}\.tmp$/;
/** Temporaries named before hosts were in the name: `.<name>.<pid>.<8 hex>.tmp`. */
const OLD_TEMPORARY = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/;
/** Linux's largest pid (pid_max at most 2^22): an older name with a larger number is someone else's file. */
const MAX_PID = 2 ** 22;
/** A temporary older than this is a leftover whatever wrote it: no write takes a day. */
const STALE_AGE_MS = 24 * 3600 * 1000;
/** File names are at most 255 bytes on the file systems medmask writes to. */
const NAME_BYTES = 255;

/**
 * A temporary file name beside `path` (hidden, this host and pid, random): the name of
 * `path` is cut to fit 255 bytes, so a long output name still gets a temporary.
 */
export function temporaryName(path: string): string {
  const suffix = `.medmask-${HOST}-${process.pid}-${randomUUID().slice(0, 8)}.tmp`;
  let name = basename(path);
  const room = NAME_BYTES - 1 - Buffer.byteLength(suffix);
  while (Buffer.byteLength(name) > room) name = name.slice(0, -1);
  return join(dirname(path), `.${name}${suffix}`);
}

const swept = new Map<string, number>();
/** How often one process sweeps one folder (a batch writes thousands of files there). */
const SWEEP_EVERY_MS = 60_000;

/**
 * Removes the temporaries that killed writers left in `folder`: ours by name, from a dead
 * process of this host or older than a day. At most once a minute per folder.
 */
async function sweepTemporaries(folder: string, force = false): Promise<void> {
  const now = Date.now();
  if (!force && now - (swept.get(folder) ?? 0) < SWEEP_EVERY_MS) return;
  swept.set(folder, now);
  const names = await readdir(folder).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(".") || !name.endsWith(".tmp")) continue;
    const ours = TEMPORARY.exec(name), old = ours ? null : OLD_TEMPORARY.exec(name);
    if (!ours && !(old && Number(old[1]) <= MAX_PID)) continue;
    const pid = Number(ours ? ours[2] : old![1]);
    const local = old !== null || ours![1] === HOST;
    const path = join(folder, name);
    const stale = (local && pid !== process.pid && !alive(pid)) || now - ((await stat(path).catch(() => null))?.mtimeMs ?? now) > STALE_AGE_MS;
    if (stale) await unlink(path).catch(() => undefined);
  }
}

/**
 * The file a write to `path` replaces: `path` itself, or where its symlinks lead (a save
 * through a link writes the link's target, and the link stays), with what it is now.
 */
async function writeTarget(path: string): Promise<{ target: string; existing: Stats | null }> {
  const link = await lstat(path).catch(() => null);
  if (!link) return { target: path, existing: null };
  if (!link.isSymbolicLink()) return { target: path, existing: link };
  const target = await realpath(path).catch(async () => resolve(dirname(path), await readlink(path))); // a dangling link: create its target
  return { target, existing: await stat(target).catch(() => null) };
}

/** A file written by `writeAtomicAll` up to its temporary, durable and not yet in place. */
interface Prepared {
  path: string;
  target: string;
  existing: Stats | null;
  temp: string;
}

/** Writes one file's new content into a temporary beside its target, durable (fsynced). */
async function prepare(path: string, chunks: readonly Uint8Array[], options: WriteOptions): Promise<Prepared> {
  const keep = options.keepPrefix ?? 0;
  const { target, existing } = await writeTarget(path);
  await sweepTemporaries(dirname(target));
  const temp = temporaryName(target);
  let handle: FileHandle | undefined;
  try {
    if (keep > 0) {
      // Reuse the committed bytes without reading them into memory.
      await copyFile(target, temp);
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
    // A replaced file keeps its permissions (a 0600 file stays private).
    if (existing) await handle.chmod(existing.mode & 0o7777);
    await handle.sync();
    await handle.close();
    return { path, target, existing, temp };
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw fsError(error, path);
  }
}

/** Puts a prepared file in place of its target (its temporary is gone afterwards, or on error). */
async function publish({ path, target, temp }: Prepared, options: WriteOptions): Promise<void> {
  try {
    if (options.overwrite === false) {
      // A hard link fails if `path` exists, atomically: a check and then a rename would let
      // two writers both see no file and the second replace the first's.
      try {
        await linkExclusive(temp, path, () => readFile(temp));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EEXIST") throw new FileError("FILE_EXISTS", `${path} already exists; pass { overwrite: true } to replace it.`);
        throw error;
      }
      await unlink(temp);
    } else {
      // Always a rename, so a reader (or a crash) sees the old file or the new, never a torn
      // one. A file with other hard links is replaced under this name only: the other names
      // keep the old content (copying into the shared file would tear it if killed midway).
      await rename(temp, target);
    }
    await syncFolder(dirname(target));
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw fsError(error, path);
  }
}

/**
 * Writes several files, each atomically: every new content is written and made durable
 * first (a full disk then changes nothing), and only then are they put in place, in the
 * order given. A crash between two of those renames leaves the first files new and the
 * later ones old: callers order them so that is detectable (a NIfTI image, then its names).
 */
async function writeAtomicAll(files: readonly { path: string; chunks: readonly Uint8Array[] }[], options: WriteOptions = {}): Promise<void> {
  const prepared: Prepared[] = [];
  try {
    for (const f of files) prepared.push(await prepare(f.path, f.chunks, options));
    await options.beforeReplace?.();
  } catch (error) {
    for (const p of prepared) await unlink(p.temp).catch(() => undefined);
    throw fsError(error, files[prepared.length]?.path ?? files[0]!.path);
  }
  for (let i = 0; i < prepared.length; i++) {
    try {
      await publish(prepared[i]!, options);
    } catch (error) {
      for (const p of prepared.slice(i + 1)) await unlink(p.temp).catch(() => undefined);
      throw error;
    }
  }
}

async function writeAtomic(path: string, chunks: readonly Uint8Array[], options: WriteOptions = {}): Promise<void> {
  await writeAtomicAll([{ path, chunks }], options);
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
  const mine = temporaryName(path);
  try {
    await writeFile(mine, token, { flag: "wx" });
  } catch (error) {
    throw fsError(error, lockPath);
  }
  try {
    for (let attempt = 0; attempt < 8; attempt++) {
      try {
        await linkExclusive(mine, lockPath, async () => token);
        await sweepTemporaries(dirname(path), true);
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
        throw new FileError("LOCKED", `${path} is being written by process ${owner}; wait for it to finish (or remove ${lockPath} if that process is gone).`);
      }
      // A lock left by a process that died (or one from before locks held a token): take it
      // over, moving aside exactly what we found.
      // Named as our temporaries are, so one left by a kill is swept like them.
      const grave = temporaryName(path);
      try {
        await rename(lockPath, grave);
      } catch {
        continue; // someone else moved it first
      }
      const moved = await readFile(grave, "utf8").catch(() => "");
      if (moved !== found) await link(grave, lockPath).catch(() => undefined); // a live lock: put it back
      await unlink(grave).catch(() => undefined);
    }
    throw new FileError("LOCKED", `${path}: could not take the lock ${lockPath}.`);
  } finally {
    await unlink(mine).catch(() => undefined);
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
  list: (dir) =>
    readdir(dir).catch((error: unknown) => {
      throw fsError(error, dir);
    }),
  writeAtomic,
  writeAtomicAll,
  lock,
  stamp,
};
