import { Gunzip, gunzipSync, gzipSync } from "fflate";

/**
 * gzip for the formats that use it (`.nii.gz`, `.seg.nrrd`). fflate everywhere; the Node
 * entry registers zlib, which inflated a TotalSegmentator mask in ~4 ms where fflate took
 * ~20 (measured here).
 */
export interface Gzip {
  /** Inflates a gzip stream; `size` is the size its trailer gives (0: unknown). Throws on corrupt data. */
  gunzip(gzip: Uint8Array, size: number): Uint8Array;
  gzip(data: Uint8Array, level: number): Uint8Array;
}

/**
 * Every member of a gzip stream (fflate's streaming inflate; `gunzipSync` stops after the
 * first), into a buffer that starts at `size` bytes and grows. The last member must inflate
 * to what the stream's trailer says (mod 2^32), as gzip and zlib check; fflate does not.
 */
function gunzipMembers(gzip: Uint8Array, size: number): Uint8Array {
  let out = new Uint8Array(Math.max(size, 1024));
  let at = 0;
  let lastMember = 0;
  const inflate = new Gunzip((chunk) => {
    if (at + chunk.length > out.length) {
      const grown = new Uint8Array(Math.max(2 * out.length, at + chunk.length));
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
  gunzip: (gzip, size) => {
    if (size > 0) {
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
    return gunzipMembers(gzip, size);
  },
  gzip: (data, level) => gzipSync(data, { level: level as 6 }),
};

let current: Gzip = fflateGzip;

/** Called by the Node entry with zlib. */
export function registerGzip(gzip: Gzip): void {
  current = gzip;
}

/** Whether a platform gzip (zlib) is registered, which beats any streaming inflate in JS. */
export function hasNativeGzip(): boolean {
  return current !== fflateGzip;
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

/** Inflates a gzip stream (throws on corrupt data). */
export function gunzip(gzip: Uint8Array): Uint8Array {
  return current.gunzip(gzip, gzipInflatedSize(gzip));
}

/** A gzip stream of `data` at `level` (0-9). */
export function gzip(data: Uint8Array, level = 6): Uint8Array {
  return current.gzip(data, level);
}
