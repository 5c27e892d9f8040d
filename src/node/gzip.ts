import { promisify } from "node:util";
import { gunzip, gunzipSync, gzipSync } from "node:zlib";
import type { Gzip } from "../io/gzip.js";
import { ownBytes } from "./bytes.js";

/**
 * zlib options that inflate a stream of `size` bytes (the trailer's) into one output chunk,
 * +1 so zlib sees the end without starting another: its default 16 KiB chunks made
 * inflating 4x slower, and are concatenated at the end, one more copy of the volume.
 */
const gunzipOptions = (size: number): { chunkSize: number } => ({ chunkSize: Math.max(64, size + 1) });

/** zlib's gzip. */
export const zlibGzip: Gzip = {
  gunzip: (gzip, size) => ownBytes(gunzipSync(gzip, gunzipOptions(size))),
  gzip: (data, level) => ownBytes(gzipSync(data, { level })),
};

const gunzipAsync = promisify(gunzip);

/** `zlibGzip.gunzip` on the libuv pool, off the calling thread. */
export async function zlibGunzipAsync(gzip: Uint8Array, size: number): Promise<Uint8Array> {
  return ownBytes(await gunzipAsync(gzip, gunzipOptions(size)));
}
