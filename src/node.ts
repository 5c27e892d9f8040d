// The Node entry: everything in the core entry, plus helpers that read and write paths.
import { registerFileIO } from "./file-io.js";
import { nodeFileIO } from "./node/file-io.js";
import { registerDeflater } from "./format/deflate.js";
import { zlibDeflater } from "./node/deflate.js";
import { registerCrc32 } from "./format/crc32.js";
import { crc32 as zlibCrc32 } from "node:zlib";
import { registerZeroSearch } from "./kernels/zero-search.js";
import { nodeZeroSearch } from "./node/zero-search.js";
import { registerGzip } from "./io/gzip.js";
import { zlibGzip } from "./node/gzip.js";
import { registerZstd } from "./format/zstd.js";
import { nodeZstd } from "./node/zstd.js";
import { registerNiftiLoader } from "./files.js";
import { loadNiftiBytes } from "./node/nifti-files.js";

export * from "./index.js";
export { niftiStem, readNiftiFile, readNiftiFolder } from "./node/nifti-read.js";
export type { FolderMask } from "./node/nifti-read.js";
export { loadNifti, loadNiftiFolder, niftiFolderToArchive, niftiSaveComplete, saveNifti, saveNiftiFolder, sidecarPath } from "./node/nifti-files.js";

// Path-based saves and loads (saveMask, MaskArchive.open, seg.save...) work from here on.
registerFileIO(nodeFileIO);
// Native zlib for the codec's deflate step and checksums (same format, faster).
registerDeflater(zlibDeflater);
registerCrc32((bytes, previous) => zlibCrc32(bytes, previous) >>> 0);
// ... and for gzip (.nii.gz, .seg.nrrd), also where those come as bytes or Blobs.
registerGzip(zlibGzip);
// loadMask of a NIfTI path: names from its sidecar too, as loadNifti gives them.
registerNiftiLoader(loadNiftiBytes);
// ... and for zstd (the Python library's files) where this Node's zlib has it.
registerZstd(nodeZstd());
// memcmp finds the background at a volume's ends in place (no copy into WASM memory).
registerZeroSearch(nodeZeroSearch);
