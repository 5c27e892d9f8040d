// `medmask/internals`: what the medmask-cli package and the tests use beyond the public API.
// Not part of the API: names here may change in any release.
export { fileIO } from "./file-io.js";
export { isNiftiPath } from "./formats/nifti/names.js";
export { NATIVE_MAGIC } from "./formats/native/native.js";
export { ARCHIVE_MAGIC } from "./formats/native/archive-layout.js";
export { PYTHON_ARCHIVE_MAGIC, PYTHON_MASK_MAGIC } from "./formats/python/read.js";
export { looksLikeDicom } from "./dicom/parse.js";
export { readImageHeads } from "./dicom/image-heads.js";
export { RT_STRUCT_SOP_CLASS } from "./dicom/tags.js";
export { FORMATS, formatOf, formatOfName, unknownFormat } from "./formats/registry.js";
export type { FormatDescriptor } from "./formats/registry.js";
export { writeSegNrrdLayers as segNrrdOfBinaryMasks } from "./formats/seg-nrrd/seg-nrrd.js";
export { errorOf } from "./errors.js";
// The kernels themselves, for tests and benchmarks: both backends behind one interface.
export { getKernels, jsKernels, wasmBackend, wasmMemoryBytes } from "./kernels/index.js";
export type { Box6, Dims, Kernels, ScanResult } from "./kernels/index.js";
export { crc32 } from "./codecs/crc32.js";
