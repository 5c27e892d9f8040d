import * as zlib from "node:zlib";
import type { ZstdCodec } from "../format/zstd.js";
import { ownBytes } from "./bytes.js";

// Node 22.15+ and 23.8+ have zstd in zlib; @types/node 20 does not know it yet.
interface ZlibWithZstd {
  zstdCompressSync(data: Uint8Array, options: { params: Record<number, number> }): Buffer;
  zstdDecompressSync(data: Uint8Array, options: { maxOutputLength: number }): Buffer;
  constants: { ZSTD_c_compressionLevel: number; ZSTD_c_contentSizeFlag: number };
}

/** Node's own zstd, or null on a Node without it. */
export function nodeZstd(): ZstdCodec | null {
  const z = zlib as unknown as Partial<ZlibWithZstd>;
  if (typeof z.zstdCompressSync !== "function" || typeof z.zstdDecompressSync !== "function" || !z.constants) return null;
  const { ZSTD_c_compressionLevel: level, ZSTD_c_contentSizeFlag: contentSize } = z.constants;
  const compress = z.zstdCompressSync.bind(z), decompress = z.zstdDecompressSync.bind(z);
  return {
    // One call with the whole input: zlib then writes its size into the frame header
    // (pledged size), as the Python reader needs.
    compress: (data, l) => ownBytes(compress(data, { params: { [level]: l, [contentSize]: 1 } })),
    decompress: (frame, limit) => ownBytes(decompress(frame, { maxOutputLength: limit })),
  };
}
