import { deflateRawSync, inflateRawSync } from "node:zlib";
import type { Deflater } from "../codecs/deflate.js";
import { ownBytes } from "./bytes.js";

/**
 * zlib's output chunk for an inflate of at most `limit` bytes: the whole output when it is
 * not huge. zlib's default 16 KiB chunks are gathered and concatenated at the end, a slower
 * inflate (`npm run bench platform`, "zlib output chunk"); above the cap a hostile header's
 * declared size is not allocated up front.
 */
const inflateChunk = (limit: number): number => Math.max(64, Math.min(limit, 16 * 2 ** 20));

/** zlib's raw deflate, bounded by `maxOutputLength` so a hostile stream cannot balloon. */
export const zlibDeflater: Deflater = {
  deflate: (data, level) => {
    return ownBytes(deflateRawSync(data, { level }));
  },
  inflate: (data, limit) => {
    try {
      return ownBytes(inflateRawSync(data, { maxOutputLength: limit, chunkSize: inflateChunk(limit) }));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") return "too long";
      throw error;
    }
  },
};
