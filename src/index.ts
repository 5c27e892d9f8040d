// The core entry: browser-safe (no Node imports). File-path helpers live in ./node.ts.
export { MedMaskError, LabelError, GeometryError, OverlapError, InputError, FormatError, ResourceError } from "./errors.js";
export type { MedMaskErrorCode } from "./errors.js";
export type { BitDepth, LabelArray } from "./bitdepth.js";
export { LabelMapping, isLabelMapping } from "./mapping.js";
export type { LabelMappingConstructor, MappingInit } from "./mapping.js";
export { Space } from "./space.js";
export type { SpaceInit, SpaceJSON, Vec3 } from "./space.js";
export { SegmentationMask } from "./mask.js";
export type { AddLabelResult, LazyInitOptions, MaskName, MaskOptions, OverlapCount, OverlapPolicy } from "./mask.js";
export type { BoundingBox, LabelStat } from "./stats.js";
export type { RegionLike } from "./region.js";
export { findOverlaps } from "./overlaps.js";
export type { NamedMasks, Overlap, OverlapInput } from "./overlaps.js";
export { getBackend, getKernels, initWasm, jsKernels, setBackend, wasmBackend } from "./kernels/index.js";
export type { BackendName, Box6, Dims, Kernels, ScanResult } from "./kernels/index.js";
