import { promisify } from "node:util";
import { gunzip, gunzipSync, gzipSync } from "node:zlib";
import { PastLimitError, type Gzip } from "../codecs/gzip.js";
import { ownBytes } from "./bytes.js";

/**
 * zlib options that inflate a stream of `size` bytes (the trailer's) into one output chunk,
 * +1 so zlib sees the end without starting another: its default 16 KiB chunks inflate more
 * slowly (`npm run bench platform`, "zlib output chunk") and are concatenated at the end,
 * one more copy of the volume. Never
 * below zlib's default: a trailer that lies small (a bomb saying 64) would otherwise make
 * every chunk tiny, each a round trip, up to the limit.
 */
const gunzipOptions = (size: number, limit?: number): { chunkSize: number; maxOutputLength?: number } => ({
  chunkSize: Math.max(16 * 1024, Math.min(size, limit ?? size) + 1),
  ...(limit === undefined ? {} : { maxOutputLength: Math.max(1, limit) }),
});

/** zlib's "output would pass maxOutputLength" as the limit error `Gzip` promises. */
function limited(error: unknown, limit: number | undefined): unknown {
  return limit !== undefined && (error as NodeJS.ErrnoException)?.code === "ERR_BUFFER_TOO_LARGE" ? new PastLimitError(limit) : error;
}

/** zlib's gzip. */
export const zlibGzip: Gzip = {
  gunzip: (gzip, size, limit) => {
    try {
      return ownBytes(gunzipSync(gzip, gunzipOptions(size, limit)));
    } catch (error) {
      throw limited(error, limit);
    }
  },
  gzip: (data, level) => ownBytes(gzipSync(data, { level })),
};

const gunzipAsync = promisify(gunzip);

/** `zlibGzip.gunzip` on the libuv pool, off the calling thread. */
export async function zlibGunzipAsync(gzip: Uint8Array, size: number, limit?: number): Promise<Uint8Array> {
  try {
    return ownBytes(await gunzipAsync(gzip, gunzipOptions(size, limit)));
  } catch (error) {
    throw limited(error, limit);
  }
}
