// The module's exports: plain functions over (pointer, length, ...), one name per bit depth.
import { scanChunk } from "./scan";
import { equals, selectLut8, selectLut16, selectSet32, selectRanges, MAX_RANGES } from "./select";
import { countUnderChunk, paint, paintCounting } from "./region";
import { contains } from "./contains";

export { alloc, free } from "./memory";
export { selectLut8, selectLut16, selectSet32, orBytes } from "./select";
export { countOverlapRows } from "./overlap";
export { leadingZeros, trailingZeros, nonZeroSpans } from "./occupied";
export { scanBegin, scanEnd } from "./scan";
export { tableBegin, tableEnd } from "./table";

export function scanChunk8(data: usize, count: usize): void { scanChunk<u8>(data, count); }
export function scanChunk16(data: usize, count: usize): void { scanChunk<u16>(data, count); }
export function scanChunk32(data: usize, count: usize): void { scanChunk<u32>(data, count); }

export function countUnderChunk8(data: usize, region: usize, len: usize): void { countUnderChunk<u8>(data, region, len); }
export function countUnderChunk16(data: usize, region: usize, len: usize): void { countUnderChunk<u16>(data, region, len); }
export function countUnderChunk32(data: usize, region: usize, len: usize): void { countUnderChunk<u32>(data, region, len); }

/** The most intervals `selectRanges16/32` take. */
export function selectRangesMax(): u32 { return MAX_RANGES; }
export function selectRanges16(data: usize, len: usize, ranges: usize, count: u32, out: usize): void { selectRanges<u16>(data, len, ranges, count, out); }
export function selectRanges32(data: usize, len: usize, ranges: usize, count: u32, out: usize): void { selectRanges<u32>(data, len, ranges, count, out); }

export function equals8(data: usize, len: usize, label: u32, invert: bool, out: usize): void { equals<u8>(data, len, <u8>label, invert, out); }
export function equals16(data: usize, len: usize, label: u32, invert: bool, out: usize): void { equals<u16>(data, len, <u16>label, invert, out); }
export function equals32(data: usize, len: usize, label: u32, invert: bool, out: usize): void { equals<u32>(data, len, label, invert, out); }

export function contains8(data: usize, len: usize, label: u32): bool { return contains<u8>(data, len, <u8>label); }
export function contains16(data: usize, len: usize, label: u32): bool { return contains<u16>(data, len, <u16>label); }
export function contains32(data: usize, len: usize, label: u32): bool { return contains<u32>(data, len, label); }

export function paint8(data: usize, region: usize, len: usize, label: u32, keep: bool): usize { return paint<u8>(data, region, len, <u8>label, keep); }
export function paint16(data: usize, region: usize, len: usize, label: u32, keep: bool): usize { return paint<u16>(data, region, len, <u16>label, keep); }
export function paint32(data: usize, region: usize, len: usize, label: u32, keep: bool): usize { return paint<u32>(data, region, len, label, keep); }

export function paintCounting8(data: usize, region: usize, len: usize, label: u32, keep: bool): usize { return paintCounting<u8>(data, region, len, <u8>label, keep); }
export function paintCounting16(data: usize, region: usize, len: usize, label: u32, keep: bool): usize { return paintCounting<u16>(data, region, len, <u16>label, keep); }
export function paintCounting32(data: usize, region: usize, len: usize, label: u32, keep: bool): usize { return paintCounting<u32>(data, region, len, label, keep); }

import { encodeChunk, decodeChunk } from "./codec";
export { encodeBegin, encodeEnd, encodedLength, decodeBegin, decodeEnd } from "./codec";
export function encodeChunk8(data: usize, rows: u32, scan: bool): void { encodeChunk<u8>(data, rows, scan); }
export function encodeChunk16(data: usize, rows: u32, scan: bool): void { encodeChunk<u16>(data, rows, scan); }
export function encodeChunk32(data: usize, rows: u32, scan: bool): void { encodeChunk<u32>(data, rows, scan); }
export function decodeChunk8(out: usize, rows: u32, ranges: usize): i32 { return decodeChunk<u8>(out, rows, ranges); }
export function decodeChunk16(out: usize, rows: u32, ranges: usize): i32 { return decodeChunk<u16>(out, rows, ranges); }
export function decodeChunk32(out: usize, rows: u32, ranges: usize): i32 { return decodeChunk<u32>(out, rows, ranges); }

export { packBits, unpackBits } from "./packbits";
export { bitEdges } from "./bitruns";

import { largest } from "./largest";
export function largest8(data: usize, len: usize): u32 { return largest<u8>(data, len); }
export function largest16(data: usize, len: usize): u32 { return largest<u16>(data, len); }
export function largest32(data: usize, len: usize): u32 { return largest<u32>(data, len); }

export { surfaceOf, edtSquared, fillDistances, nearestWithin } from "./distance";
import { cropEquals } from "./distance";
import { findRuns } from "./components";
export { joinRuns, rowStarts, runStats } from "./components";
export { dilateSlice, erodeSlice } from "./morphology";
export function findRuns8(data: usize, rows: u32, nx: u32, label: u32, rowBase: u32, out: usize): u32 { return findRuns<u8>(data, rows, nx, label, rowBase, out); }
export function findRuns16(data: usize, rows: u32, nx: u32, label: u32, rowBase: u32, out: usize): u32 { return findRuns<u16>(data, rows, nx, label, rowBase, out); }
export function findRuns32(data: usize, rows: u32, nx: u32, label: u32, rowBase: u32, out: usize): u32 { return findRuns<u32>(data, rows, nx, label, rowBase, out); }
export function cropEquals8(data: usize, rows: u32, nx: u32, x0: u32, width: u32, label: u32, out: usize): void { cropEquals<u8>(data, rows, nx, x0, width, <u8>label, out); }
export function cropEquals16(data: usize, rows: u32, nx: u32, x0: u32, width: u32, label: u32, out: usize): void { cropEquals<u16>(data, rows, nx, x0, width, <u16>label, out); }
export function cropEquals32(data: usize, rows: u32, nx: u32, x0: u32, width: u32, label: u32, out: usize): void { cropEquals<u32>(data, rows, nx, x0, width, label, out); }

import { permuteAxes, resampleNearest, resampleLabelLinear, reverseRows } from "./geometry";
export { resampleMap } from "./geometry";
export function permuteAxes8(src: usize, out: usize, n0: i32, n1: i32, n2: i32, base: i32, s0: i32, s1: i32, s2: i32): void { permuteAxes<u8>(src, out, n0, n1, n2, base, s0, s1, s2); }
export function permuteAxes16(src: usize, out: usize, n0: i32, n1: i32, n2: i32, base: i32, s0: i32, s1: i32, s2: i32): void { permuteAxes<u16>(src, out, n0, n1, n2, base, s0, s1, s2); }
export function permuteAxes32(src: usize, out: usize, n0: i32, n1: i32, n2: i32, base: i32, s0: i32, s1: i32, s2: i32): void { permuteAxes<u32>(src, out, n0, n1, n2, base, s0, s1, s2); }
export function resampleNearest8(src: usize, out: usize, s0: i32, s1: i32, s2: i32, n0: i32, n1: i32, n2: i32, table: usize): void { resampleNearest<u8>(src, out, s0, s1, s2, n0, n1, n2, table); }
export function resampleNearest16(src: usize, out: usize, s0: i32, s1: i32, s2: i32, n0: i32, n1: i32, n2: i32, table: usize): void { resampleNearest<u16>(src, out, s0, s1, s2, n0, n1, n2, table); }
export function resampleNearest32(src: usize, out: usize, s0: i32, s1: i32, s2: i32, n0: i32, n1: i32, n2: i32, table: usize): void { resampleNearest<u32>(src, out, s0, s1, s2, n0, n1, n2, table); }
export function resampleLabelLinear8(src: usize, out: usize, s0: i32, s1: i32, s2: i32, n0: i32, n1: i32, n2: i32): void { resampleLabelLinear<u8>(src, out, s0, s1, s2, n0, n1, n2); }
export function resampleLabelLinear16(src: usize, out: usize, s0: i32, s1: i32, s2: i32, n0: i32, n1: i32, n2: i32): void { resampleLabelLinear<u16>(src, out, s0, s1, s2, n0, n1, n2); }
export function resampleLabelLinear32(src: usize, out: usize, s0: i32, s1: i32, s2: i32, n0: i32, n1: i32, n2: i32): void { resampleLabelLinear<u32>(src, out, s0, s1, s2, n0, n1, n2); }
export function reverseRows8(src: usize, out: usize, rows: u32, n: u32): void { reverseRows<u8>(src, out, rows, n); }
export function reverseRows16(src: usize, out: usize, rows: u32, n: u32): void { reverseRows<u16>(src, out, rows, n); }
export function reverseRows32(src: usize, out: usize, rows: u32, n: u32): void { reverseRows<u32>(src, out, rows, n); }

export { surfaceSlice } from "./surfaces";
export { fillContours, traceContours } from "./contours";
