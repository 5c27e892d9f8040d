// `medmask/internals`: what the medmask-cli package and the tests use beyond the public API.
// Not part of the API: names here may change in any release.
export { fileIO } from "./file-io.js";
export { isNiftiPath } from "./io/nifti-names.js";
export { NATIVE_MAGIC } from "./format/native.js";
export { ARCHIVE_MAGIC } from "./format/archive-layout.js";
export { PYTHON_ARCHIVE_MAGIC, PYTHON_MASK_MAGIC } from "./format/python.js";
export { looksLikeDicom } from "./io/dicom-parse.js";
export { writeSegNrrdLayers as segNrrdOfBinaryMasks } from "./io/seg-nrrd.js";
export { errorOf } from "./errors.js";
// The kernels themselves, for tests and benchmarks: both backends behind one interface.
export { getKernels, jsKernels, wasmBackend, wasmMemoryBytes } from "./kernels/index.js";
export type { Box6, Dims, Kernels, ScanResult } from "./kernels/index.js";
export { crc32 } from "./format/crc32.js";
