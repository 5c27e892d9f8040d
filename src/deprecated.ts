// Names from before the naming grid: every format F has decodeF (bytes -> mask), encodeF
// (mask -> bytes), and in Node loadF / saveF (paths). The old names still work as they did;
// each says which call replaces it.
import { encodeNifti, niftiBytes as niftiVolumeBytes } from "./formats/nifti/encode.js";
import { readNifti as niftiVolume } from "./formats/nifti/read.js";
import { crc32 as crc32Of } from "./codecs/crc32.js";
import { getKernels as kernelsNow, jsKernels as jsBackend, wasmBackend as wasmBackendNow, wasmMemoryBytes as wasmBytes } from "./kernels/index.js";
import type { Box6 as KernelBox, Dims as KernelDims, Kernels as KernelsInterface, ScanResult as KernelScan } from "./kernels/index.js";
import { encodeSegNrrd, readSegNrrd as segNrrdVolume, segNrrdSegments as binarySegments, writeSegNrrdLayers as layeredSegNrrd } from "./formats/seg-nrrd/seg-nrrd.js";

/** @deprecated Use `encodeNifti(seg, options)`: the same bytes. */
export const writeNifti = encodeNifti;

/**
 * @deprecated Use `encodeNifti(new SegmentationMask(data, mapping, space), options)`: the
 * same file, with the label names inside.
 */
export const niftiBytes = niftiVolumeBytes;

/** @deprecated Use `decodeNifti(bytes)` (a mask: its `data`, `space`, names) or `loadNifti(path)`. */
export const readNifti = niftiVolume;

/** @deprecated Use `encodeSegNrrd(seg, options)`: the same bytes. */
export const writeSegNrrd = encodeSegNrrd;

/** @deprecated Use `decodeSegNrrd(bytes)`: the mask with its layers, and `segments`. */
export const readSegNrrd = segNrrdVolume;

/** @deprecated Use `decodeSegNrrd(bytes)` and `mask.getBinaryMaskByNames(name)` per segment. */
export const segNrrdSegments = binarySegments;

/**
 * @deprecated Use `encodeSegNrrd(combineBinaryMasks(space, masks).mask)`: overlapping masks
 * go to layers there too.
 */
export const writeSegNrrdLayers = layeredSegNrrd;

// Test seams, moved to `medmask/internals` (not API; they may change in any release).

/** @deprecated Moved to `medmask/internals`: the kernels are not API. */
export const getKernels = kernelsNow;
/** @deprecated Moved to `medmask/internals`: the kernels are not API. */
export const jsKernels = jsBackend;
/** @deprecated Moved to `medmask/internals`: the kernels are not API. */
export const wasmBackend = wasmBackendNow;
/** @deprecated Moved to `medmask/internals`: the kernels are not API. */
export const wasmMemoryBytes = wasmBytes;
/** @deprecated Moved to `medmask/internals`: a checksum of the native format, not API. */
export const crc32 = crc32Of;
/** @deprecated Moved to `medmask/internals`. */
export type Kernels = KernelsInterface;
/** @deprecated Moved to `medmask/internals`. */
export type ScanResult = KernelScan;
/** @deprecated Moved to `medmask/internals`. */
export type Box6 = KernelBox;
/** @deprecated Moved to `medmask/internals`. */
export type Dims = KernelDims;
