import { Gunzip, gunzipSync, gzipSync } from "fflate";
import { concatBytes } from "../sources/bytes.js";
import { platform, type Gzip } from "../platform.js";
import { checkFits } from "../limits.js";
import { FormatError } from "../errors.js";
export type { Gzip };

/**
 * Every member of a gzip stream (fflate's streaming inflate; `gunzipSync` stops after the
 * first), into a buffer that starts at `size` bytes and grows. The last member must inflate
 * to what the stream's trailer says (mod 2^32), as gzip and zlib check; fflate does not.
 */
function gunzipMembers(gzip: Uint8Array, size: number, limit: number): Uint8Array {
  let out = new Uint8Array(Math.min(limit, Math.max(size, 1024)));
  let at = 0;
  let lastMember = 0;
  const inflate = new Gunzip((chunk) => {
    if (at + chunk.length > limit) throw new PastLimitError(limit);
    if (at + chunk.length > out.length) {
      const grown = new Uint8Array(Math.min(limit, Math.max(2 * out.length, at + chunk.length)));
      grown.set(out.subarray(0, at));
      out = grown;
    }
    out.set(chunk, at);
    at += chunk.length;
  });
  inflate.onmember = () => (lastMember = at);
  inflate.push(gzip, true);
  const trailer = gzip.length >= 18 ? new DataView(gzip.buffer, gzip.byteOffset + gzip.length - 4, 4).getUint32(0, true) : -1;
  if ((at - lastMember) % 2 ** 32 !== trailer) throw new Error(`the gzip trailer says ${trailer} bytes, the data inflates to ${at - lastMember}`);
  return out.subarray(0, at);
}

/**
 * Whether a gzip member header (1f 8b 08) appears past the start: a stream of several
 * members has one where each member begins. A chance match in compressed data only sends
 * the stream the slower way, which reads one member as well as many.
 */
function mayHoldMembers(gzip: Uint8Array): boolean {
  for (let i = gzip.indexOf(0x1f, 1); i !== -1 && i + 2 < gzip.length; i = gzip.indexOf(0x1f, i + 1)) {
    if (gzip[i + 1] === 0x8b && gzip[i + 2] === 8) return true;
  }
  return false;
}

/** fflate's gzip: the default, and what runs where there is no zlib (browsers). */
export const fflateGzip: Gzip = {
  gunzip: (gzip, size, limit = Number.MAX_SAFE_INTEGER) => {
    if (size > 0 && size <= limit) {
      // Into a buffer of the trailer's size: no grow-and-copy steps, and twice as fast as
      // the streaming inflate, but `gunzipSync` reads only the first member. A result of
      // another size is a stream longer than its trailer says (over 4 GiB, which the
      // trailer gives mod 2^32) or corrupt: inflated again below, which tells which.
      try {
        const out = mayHoldMembers(gzip) ? null : gunzipSync(gzip, { out: new Uint8Array(size + 1) });
        if (out?.length === size) return out;
      } catch {
        // Too long for the buffer, or corrupt: the call below tells which.
      }
    }
    return gunzipMembers(gzip, size, limit);
  },
  gzip: (data, level) => gzipSync(data, { level: level as 6 }),
};

/** The platform's gzip (zlib in Node), else fflate. */
const current = (): Gzip => platform().gzip ?? fflateGzip;

/** Whether a platform gzip (zlib) is registered, which beats any streaming inflate in JS. */
export function hasNativeGzip(): boolean {
  return current() !== fflateGzip;
}

/** The most deflate can expand: 258 bytes from each 2-bit code, 1032 per byte. */
const MAX_DEFLATE_RATIO = 1032;

/**
 * The size a gzip trailer gives (mod 2^32), bounded by what deflate can make of a stream of
 * `gzipLength` bytes (at most 1032:1), so a lying trailer cannot make a reader allocate
 * gigabytes up front.
 */
export function boundedTrailerSize(trailer: number, gzipLength: number): number {
  return Math.min(trailer, gzipLength * MAX_DEFLATE_RATIO);
}

/**
 * The inflated size a gzip stream's trailer gives (see `boundedTrailerSize`); 0 when the
 * stream is too short to have a trailer.
 * @example const size = gzipInflatedSize(bytes); // 10,104,384 for a TotalSegmentator mask
 */
export function gzipInflatedSize(gzip: Uint8Array): number {
  if (gzip.length < 18) return 0;
  return boundedTrailerSize(new DataView(gzip.buffer, gzip.byteOffset + gzip.length - 4, 4).getUint32(0, true), gzip.length);
}

/** The error of an inflate stopped at its limit. */
export class PastLimitError extends Error {
  constructor(readonly limit: number) {
    super(`the stream inflates past ${limit} bytes`);
  }
}

/**
 * Inflates a gzip stream (throws on corrupt data, and `PastLimitError` as soon as the output
 * would pass `limit` bytes, before more is inflated or allocated).
 */
export function gunzip(gzip: Uint8Array, limit?: number): Uint8Array {
  const size = gzipInflatedSize(gzip);
  return current().gunzip(gzip, limit === undefined ? size : Math.min(size, limit), limit);
}

/**
 * The first `bytes` bytes a gzip stream inflates to (fewer if it is shorter), inflating
 * only as much of it as they need: a header read before the rest is trusted with memory.
 */
export function gunzipHead(gzip: Uint8Array, bytes: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let have = 0;
  const inflate = new Gunzip((chunk) => {
    parts.push(chunk);
    have += chunk.length;
  });
  // Small steps: each can inflate to at most ~1032 times its size.
  for (let at = 0; at < gzip.length && have < bytes; at += 256) {
    try {
      inflate.push(gzip.subarray(at, Math.min(gzip.length, at + 256)), at + 256 >= gzip.length);
    } catch {
      break; // corrupt: the full inflate reports it
    }
  }
  return concatBytes(parts).subarray(0, bytes);
}

/** A gzip stream of `data` at `level` (0-9). */
export function gzip(data: Uint8Array, level = 6): Uint8Array {
  return current().gzip(data, level);
}

/**
 * A gzip-compressed file whose header says how long it is: its first `headerBytes` inflated
 * give `declared(head)` (the whole file's bytes, and what to call it), which must fit
 * `maxBytes`; the stream is then inflated no further than that plus `slack`. `file` names it
 * in errors ("The MGZ file").
 */
export function gunzipDeclared(bytes: Uint8Array, headerBytes: number, declared: (head: Uint8Array) => { bytes: number; what: string }, maxBytes: number, file: string, slack = 0): Uint8Array {
  const { bytes: needed, what } = declared(gunzipHead(bytes, headerBytes));
  checkFits(needed, maxBytes, what);
  try {
    return gunzip(bytes, needed + slack);
  } catch (cause) {
    throw gzipStreamError(cause, file);
  }
}

/**
 * What a file's gzip stream that failed to inflate is, said of `file` ("The NIfTI file"):
 * more than its header declares (PastLimitError: a gzip bomb, or corrupt), or corrupt.
 */
export function gzipStreamError(cause: unknown, file: string): FormatError {
  if (cause instanceof PastLimitError) {
    return new FormatError("BAD_FORMAT", `${file}'s gzip stream holds more than its header declares (a gzip bomb, or a corrupt file); inflating stopped there.`, { cause });
  }
  return new FormatError("BAD_FORMAT", `${file}'s gzip stream is corrupt: ${(cause as Error).message}.`, { cause });
}
