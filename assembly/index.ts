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
