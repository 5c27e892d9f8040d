import { gunzipSync, gzipSync } from "node:zlib";
import type { Gzip } from "../io/gzip.js";

const view = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

/**
 * zlib's gzip. Inflating goes into one output chunk of the trailer's size (+1, so zlib sees
 * the end without starting another): its default 16 KiB chunks are concatenated at the end,
 * one more copy of the volume.
 */
export const zlibGzip: Gzip = {
  gunzip: (gzip, size) => view(gunzipSync(gzip, { chunkSize: Math.max(64, size + 1) })),
  gzip: (data, level) => view(gzipSync(data, { level })),
};
