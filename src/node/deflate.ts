import { deflateRawSync, inflateRawSync } from "node:zlib";
import type { Deflater } from "../format/deflate.js";

/** zlib's raw deflate, bounded by `maxOutputLength` so a hostile stream cannot balloon. */
export const zlibDeflater: Deflater = {
  deflate: (data, level) => {
    const out = deflateRawSync(data, { level });
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  },
  inflate: (data, limit) => {
    try {
      const out = inflateRawSync(data, { maxOutputLength: limit });
      return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") return new Uint8Array(limit);
      throw error;
    }
  },
};
