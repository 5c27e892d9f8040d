// Random access to a file over HTTP, by range requests: what `MaskArchive.fromUrl` reads.
import { describeValue, FileError, FormatError, InputError } from "../errors.js";
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
}

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
  let version: Version | null = null;

  async function request(start: number, end: number): Promise<Response> {
    const headers: Record<string, string> = { ...options.headers, Range: `bytes=${start}-${end}` };
    // A weak ETag never matches If-Match (RFC 9110): those are compared by hand below.
    if (version?.etag && !version.etag.startsWith("W/")) headers["If-Match"] = version.etag;
    let response: Response;
    try {
      response = await get(href, { headers });
    } catch (cause) {
      throw new FileError("IO_ERROR", `${href}: the request failed (${(cause as Error).message}).`, { cause });
    }
    if (response.status === 404 || response.status === 410) throw new FileError("FILE_NOT_FOUND", `${href}: the server has no such file (HTTP ${response.status}).`);
    if (response.status === 412) throw changed();
    if (response.status !== 200 && response.status !== 206) throw new FileError("IO_ERROR", `${href}: HTTP ${response.status} ${response.statusText}.`);
    return response;
  }

  const changed = () => new FileError("CONFLICT", `${href} changed on the server while it was being read (its size, ETag or Last-Modified differ); open it again.`);

  /** The body, which must be `expected` bytes long (null: a length nobody announced). */
  async function body(response: Response, expected: number | null): Promise<Uint8Array> {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await response.arrayBuffer());
    } catch (cause) {
      throw new FormatError("TRUNCATED", `${href}: the response broke off (${(cause as Error).message}).`, { cause });
    }
    if (expected !== null && bytes.length !== expected) throw new FormatError("TRUNCATED", `${href}: ${bytes.length} bytes arrived; ${expected} were expected.`);
    return bytes;
  }

  /** Bytes start..end (inclusive) of the version first seen. */
  async function fetchRange(start: number, end: number): Promise<Uint8Array> {
    const response = await request(start, end);
    if (response.status === 200) {
      await response.body?.cancel().catch(() => undefined);
      throw new FileError("IO_ERROR", `${href}: the server answered a range request with the whole file.`);
    }
    const got = sizeOfRange(response.headers.get("content-range"));
    const same = got?.total === version!.size && response.headers.get("etag") === version!.etag && response.headers.get("last-modified") === version!.modified;
    if (!same) {
      await response.body?.cancel().catch(() => undefined);
      throw changed();
    }
    if (got.start !== start || got.end !== end) throw new FileError("IO_ERROR", `${href}: asked for bytes ${start}-${end}, the server sent ${got.start}-${got.end}.`);
    return body(response, end - start + 1);
  }

  const first = await request(0, HEAD_BYTES - 1);
  if (first.status === 200) {
    // No range support: the body is the whole file.
    if (!options.allowFullDownload) {
      await first.body?.cancel().catch(() => undefined);
      throw new FileError("RANGE_UNSUPPORTED", `${href}: the server ignores range requests, so reading part of the file means downloading all of it; pass { allowFullDownload: true } to do that.`);
    }
    const announced = first.headers.get("content-length");
    if (announced !== null) checkFits(Number(announced), maxBytesOf(options), `${href} (downloaded whole)`);
    // A compressed body's Content-Length is not the file's.
    const length = announced !== null && first.headers.get("content-encoding") === null ? Number(announced) : null;
    return bytesSource(await body(first, length));
  }
  const range = sizeOfRange(first.headers.get("content-range"));
  if (!range || range.start !== 0) throw new FileError("IO_ERROR", `${href}: a partial response without a valid Content-Range (${first.headers.get("content-range")}).`);
  version = { size: range.total, etag: first.headers.get("etag"), modified: first.headers.get("last-modified") };
  const size = version.size;
  const head = await body(first, range.end + 1);

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
