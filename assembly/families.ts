// The kernel families' module (build/families.wasm): distance transforms, components,
// morphology, geometry, surfaces and contours, compiled apart from the core kernels
// (assembly/index.ts) so a page that only queries masks does not load them. It runs on the
// core instance's memory: its few tables are static data below the core's (asconfig.families.json
// places them, asconfig.json starts the core above them), and it allocates nothing, every
// buffer being the caller's (the core's allocator, through the adapters in src/kernels/wasm/).

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
