// Random access to a file over HTTP, by range requests: what `MaskArchive.fromUrl` reads.
import { describeValue, FileError, FormatError, InputError, ResourceError, type MedMaskError } from "../errors.js";
import { checkFits, maxBytesOf, type LimitOptions } from "../limits.js";
import { bytesSource, type ByteSource } from "./source.js";

/** Options of `MaskArchive.fromUrl` that say how to fetch. */
export interface UrlOptions {
  /** Headers sent with every request (an `Authorization`, a signed-URL token, ...). */
  headers?: Record<string, string>;
  /** The `fetch` to use (default: the global one). */
  fetch?: typeof fetch;
  /**
   * When the server ignores range requests, download the whole file once instead of failing
   * with RANGE_UNSUPPORTED. Default false: an archive is read over HTTP to fetch only parts.
   */
  allowFullDownload?: boolean;
  /**
   * Cancels the open and every later read of this source (`load`, `entries`): they fail with
   * ABORTED (the signal's reason as the cause).
   */
  signal?: AbortSignal;
  /**
   * Milliseconds a request may go without a byte arriving (its headers, then each piece of
   * its body) before it fails with IO_ERROR. Default 30,000: a stalled server never holds a
   * read for ever, while a slow link that keeps sending is never cut.
   */
  stallTimeoutMs?: number;
}

/** The default of `UrlOptions.stallTimeoutMs`. */
export const DEFAULT_STALL_MS = 30_000;

/**
 * Bytes of the first request, which learns the file's size: an archive's prefix (a Python
 * archive's 90-byte header) is in them. Small, because everything else is read exactly: the
 * deflated index of 117 organs is 2.8 KB of an 88 KB archive, and a larger first read (or a
 * tail read) would fetch entries nobody asked for.
 */
export const HEAD_BYTES = 256;

/** What identifies one version of the remote file. */
interface Version {
  size: number;
  etag: string | null;
  modified: string | null;
}

function sizeOfRange(header: string | null): { start: number; end: number; total: number } | null {
  const m = header ? /^bytes (\d+)-(\d+)\/(\d+)$/.exec(header.trim()) : null;
  return m ? { start: Number(m[1]), end: Number(m[2]), total: Number(m[3]) } : null;
}

/**
 * A `ByteSource` over `url`. The first request reads the file's first `HEAD_BYTES` and learns its
 * size and version (ETag, Last-Modified); every other read is one range request for exactly
 * its bytes. Every response must show the same version (If-Match is sent where the ETag is
 * strong), or the read is CONFLICT: pieces of two versions never make a mask. A 404 is
 * FILE_NOT_FOUND, other failures IO_ERROR, a short body TRUNCATED. Plain `bytes=A-B` ranges
 * only: suffix ranges (`bytes=-N`) are not served right by every server.
 */
export async function httpSource(url: string | URL, options: UrlOptions & LimitOptions = {}): Promise<ByteSource> {
  if (typeof url !== "string" && !(url instanceof URL)) throw new InputError("INVALID_ARGUMENT", `fromUrl takes a URL, got ${describeValue(url)}.`);
  const href = String(url);
  const get = options.fetch ?? globalThis.fetch;
  if (typeof get !== "function") throw new FileError("NO_FILE_SYSTEM", "This runtime has no fetch; pass options.fetch.");
  const stallMs = options.stallTimeoutMs ?? DEFAULT_STALL_MS;
  if (!(stallMs > 0)) throw new InputError("INVALID_ARGUMENT", `stallTimeoutMs must be a positive number of milliseconds, got ${describeValue(options.stallTimeoutMs)}.`);
  const aborted = () => new FileError("ABORTED", `${href}: the read was aborted.`, { cause: options.signal?.reason });
  let version: Version | null = null;

  /**
   * One request's watch: aborted by the caller's signal, or by the stall timer, which
   * `touch()` restarts whenever a byte arrives. `failure()` says which ended it.
   */
  function watch() {
    const controller = new AbortController();
    let failure: MedMaskError | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = (error: MedMaskError) => {
      failure ??= error;
      controller.abort(error);
    };
    const onAbort = () => stop(aborted());
    const touch = () => {
      clearTimeout(timer);
      timer = setTimeout(() => stop(new FileError("IO_ERROR", `${href}: the server sent nothing for ${stallMs / 1000} s; the read was given up (stallTimeoutMs).`)), stallMs);
    };
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    touch();
    return {
      signal: controller.signal,
      touch,
      failure: () => failure,
      done: () => {
        clearTimeout(timer);
        options.signal?.removeEventListener("abort", onAbort);
      },
    };
  }
  type Watch = ReturnType<typeof watch>;

  async function request(start: number, end: number): Promise<{ response: Response; watch: Watch }> {
    const headers: Record<string, string> = { ...options.headers, Range: `bytes=${start}-${end}` };
    // A weak ETag never matches If-Match (RFC 9110): those are compared by hand below.
    if (version?.etag && !version.etag.startsWith("W/")) headers["If-Match"] = version.etag;
    const w = watch();
    let response: Response;
    try {
      if (w.failure()) throw w.failure();
      response = await get(href, { headers, signal: w.signal });
    } catch (cause) {
      w.done();
      throw w.failure() ?? new FileError("IO_ERROR", `${href}: the request failed (${(cause as Error).message}).`, { cause });
    }
    const fail = async (error: MedMaskError) => {
      w.done();
      await response.body?.cancel().catch(() => undefined);
      return error;
    };
    if (response.status === 404 || response.status === 410) throw await fail(new FileError("FILE_NOT_FOUND", `${href}: the server has no such file (HTTP ${response.status}).`));
    if (response.status === 412) throw await fail(changed());
    if (response.status !== 200 && response.status !== 206) throw await fail(new FileError("IO_ERROR", `${href}: HTTP ${response.status} ${response.statusText}.`));
    return { response, watch: w };
  }

  const changed = () => new FileError("CONFLICT", `${href} changed on the server while it was being read (its size, ETag or Last-Modified differ); open it again.`);

  /**
   * The body, read piece by piece: exactly `expected` bytes (more is IO_ERROR, fewer
   * TRUNCATED), or, with a length nobody announced, at most `limit` bytes (more is TOO_LARGE).
   * Never more than that is held: the read stops at the first byte too many.
   */
  async function body({ response, watch: w }: { response: Response; watch: Watch }, expected: number | null, limit: number): Promise<Uint8Array> {
    const cap = expected ?? limit;
    let out = new Uint8Array(expected ?? Math.min(limit, 1 << 16));
    let length = 0;
    const reader = response.body?.getReader();
    try {
      for (;;) {
        if (!reader) break;
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (cause) {
          throw w.failure() ?? new FormatError("TRUNCATED", `${href}: the response broke off (${(cause as Error).message}).`, { cause });
        }
        if (chunk.done) break;
        w.touch();
        const piece = chunk.value;
        if (length + piece.length > cap) {
          if (expected !== null) throw new FileError("IO_ERROR", `${href}: the server sent more than the ${expected} bytes asked for.`);
          throw tooLargeDownload(limit);
        }
        if (length + piece.length > out.length) {
          const grown = new Uint8Array(Math.min(cap, Math.max(out.length * 2, length + piece.length)));
          grown.set(out.subarray(0, length));
          out = grown;
        }
        out.set(piece, length);
        length += piece.length;
      }
    } finally {
      w.done();
      await reader?.cancel().catch(() => undefined);
    }
    if (expected !== null && length !== expected) throw new FormatError("TRUNCATED", `${href}: ${length} bytes arrived; ${expected} were expected.`);
    return out.subarray(0, length);
  }

  const tooLargeDownload = (limit: number) => new ResourceError("TOO_LARGE", `${href} (downloaded whole) holds more than ${limit} bytes, over the limit (maxBytes); raise maxBytes to read it.`);

  /** Bytes start..end (inclusive) of the version first seen. */
  async function fetchRange(start: number, end: number): Promise<Uint8Array> {
    const answer = await request(start, end);
    const { response } = answer;
    const refuse = async (error: MedMaskError) => {
      answer.watch.done();
      await response.body?.cancel().catch(() => undefined);
      return error;
    };
    if (response.status === 200) throw await refuse(new FileError("IO_ERROR", `${href}: the server answered a range request with the whole file.`));
    const got = sizeOfRange(response.headers.get("content-range"));
    const same = got?.total === version!.size && response.headers.get("etag") === version!.etag && response.headers.get("last-modified") === version!.modified;
    if (!same) throw await refuse(changed());
    if (got.start !== start || got.end !== end) throw await refuse(new FileError("IO_ERROR", `${href}: asked for bytes ${start}-${end}, the server sent ${got.start}-${got.end}.`));
    return body(answer, end - start + 1, end - start + 1);
  }

  const limit = maxBytesOf(options);
  const first = await request(0, HEAD_BYTES - 1);
  const { response } = first;
  if (response.status === 200) {
    // No range support: the body is the whole file.
    const announced = response.headers.get("content-length");
    try {
      if (!options.allowFullDownload) {
        throw new FileError("RANGE_UNSUPPORTED", `${href}: the server ignores range requests, so reading part of the file means downloading all of it; pass { allowFullDownload: true } to do that.`);
      }
      if (announced !== null) checkFits(Number(announced), limit, `${href} (downloaded whole)`);
    } catch (error) {
      first.watch.done();
      await response.body?.cancel().catch(() => undefined);
      throw error;
    }
    // A compressed body's Content-Length is not the file's.
    const length = announced !== null && response.headers.get("content-encoding") === null ? Number(announced) : null;
    return bytesSource(await body(first, length, limit));
  }
  const range = sizeOfRange(response.headers.get("content-range"));
  if (!range || range.start !== 0 || range.end >= HEAD_BYTES) {
    first.watch.done();
    await response.body?.cancel().catch(() => undefined);
    throw new FileError("IO_ERROR", `${href}: a partial response without a valid Content-Range (${response.headers.get("content-range")}).`);
  }
  version = { size: range.total, etag: response.headers.get("etag"), modified: response.headers.get("last-modified") };
  const size = version.size;
  const head = await body(first, range.end + 1, range.end + 1);

  return {
    size,
    async read(offset: number, length: number): Promise<Uint8Array> {
      if (offset < 0 || length < 0 || offset + length > size) {
        throw new FormatError("TRUNCATED", `${href} has ${size} bytes; bytes ${offset}..${offset + length} were asked for.`);
      }
      if (length === 0) return new Uint8Array(0);
      if (offset + length <= head.length) return head.subarray(offset, offset + length);
      return fetchRange(offset, offset + length - 1);
    },
  };
}
