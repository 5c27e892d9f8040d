import * as zlib from "node:zlib";
import type { ZstdCodec } from "../codecs/zstd.js";
import { ownBytes } from "./bytes.js";

// Node 22.15+ and 23.8+ have zstd in zlib; @types/node 20 does not know it yet.
interface ZlibWithZstd {
  zstdCompressSync(data: Uint8Array, options: { params: Record<number, number> }): Buffer;
  zstdDecompressSync(data: Uint8Array, options: { maxOutputLength: number; chunkSize: number }): Buffer;
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
    // One output chunk of exactly the expected size: the result is that chunk, a whole
    // ArrayBuffer, which becomes the voxels without a copy (the default 64 KiB chunks are
    // gathered and concatenated, and a chunk one byte larger would be copied to fit). One
    // byte more than expected is refused by zlib itself, so a frame cannot overrun.
    decompress: (frame, size) => ownBytes(decompress(frame, { maxOutputLength: size + 1, chunkSize: Math.max(64, size) })),
  };
}
