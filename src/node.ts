// The Node entry: everything in the core entry, plus helpers that read and write paths.
import { registerPlatform } from "./platform.js";
import { registerNiftiLoader } from "./files.js";
import { nodeFileIO } from "./node/file-io.js";
import { zlibDeflater } from "./node/deflate.js";
import { crc32 as zlibCrc32 } from "node:zlib";
import { nodeZeroSearch } from "./node/zero-search.js";
import { zlibGzip } from "./node/gzip.js";
import { nodeZstd } from "./node/zstd.js";
import { loadNiftiBytes } from "./node/nifti-files.js";

export * from "./index.js";
export { niftiStem, readNiftiFile, readNiftiFolder } from "./node/nifti-read.js";
export type { FolderMask } from "./node/nifti-read.js";
export { loadNifti, loadNiftiFolder, niftiFolderToArchive, niftiSaveComplete, saveNifti, saveNiftiFolder, sidecarPath } from "./node/nifti-files.js";

// What Node brings beyond portable JavaScript, registered once (src/platform.ts): file access
// for every path-based call; zlib for deflate, gzip (.nii.gz, .seg.nrrd, also given as bytes
// or Blobs), CRC-32 and zstd (the Python library's files) where this Node's zlib has it;
// memcmp to find the background at a volume's ends in place; and (src/files.ts) the NIfTI
// loader that gives loadMask a NIfTI's names sidecar.
registerPlatform({
  fileIO: nodeFileIO,
  deflater: zlibDeflater,
  crc32: (bytes, previous) => zlibCrc32(bytes, previous) >>> 0,
  gzip: zlibGzip,
  zstd: nodeZstd(),
  zeroSearch: nodeZeroSearch,
});
registerNiftiLoader(loadNiftiBytes);
