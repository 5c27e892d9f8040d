import { gunzipSync, gzipSync } from "fflate";

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

/** fflate's gzip: the default, and what runs where there is no zlib (browsers). */
export const fflateGzip: Gzip = {
  gunzip: (gzip, size) => {
    if (size > 0) {
      // Into a buffer of the trailer's size: no grow-and-copy steps. One byte more tells a
      // stream that is longer than its trailer says (a file over 4 GiB, which the trailer
      // gives mod 2^32, or several gzip members): that one is inflated again, growing.
      try {
        const out = gunzipSync(gzip, { out: new Uint8Array(size + 1) });
        if (out.length <= size) return out;
      } catch {
        // Too long for the buffer, or corrupt: the call below tells which.
      }
    }
    return gunzipSync(gzip);
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
