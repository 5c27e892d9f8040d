// What a platform gives beyond portable JavaScript, registered once by an entry: the Node
// entry (src/node.ts) brings file access, zlib (deflate, gzip, CRC-32, zstd where it has
// it), an in-place zero search and the NIfTI path loader. Where a piece is not registered
// (browsers), its module falls back to portable code, or says what needs Node.
import type { FileIO } from "./file-io.js";
import type { Deflater } from "./codecs/deflate.js";
import type { Crc32 } from "./codecs/crc32.js";
import type { Gzip } from "./codecs/gzip.js";
import type { ZstdCodec } from "./codecs/zstd.js";
import type { ZeroSearch } from "./kernels/zero-search.js";
import type { SegmentationMask } from "./mask.js";

/** How `loadMask` makes a NIfTI read from `path` a mask with its names sidecar. */
export type NiftiLoader = (path: string, bytes: Uint8Array, options: { maxBytes?: number }) => Promise<SegmentationMask<string>>;

/** Every piece a platform may bring; null where it brings none. */
export interface Platform {
  fileIO: FileIO | null;
  deflater: Deflater | null;
  crc32: Crc32 | null;
  gzip: Gzip | null;
  zstd: ZstdCodec | null;
  zeroSearch: ZeroSearch | null;
  niftiLoader: NiftiLoader | null;
}

const current: Platform = { fileIO: null, deflater: null, crc32: null, gzip: null, zstd: null, zeroSearch: null, niftiLoader: null };

/**
 * Registers what the platform brings (the pieces given replace those registered before;
 * tests swap one piece, and put it back, the same way).
 * @example registerPlatform({ fileIO: nodeFileIO, deflater: zlibDeflater });
 */
export function registerPlatform(pieces: Partial<Platform>): void {
  Object.assign(current, pieces);
}

/** What the platform brings now. */
export function platform(): Readonly<Platform> {
  return current;
}
