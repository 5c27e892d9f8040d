import { labelView, type LabelArray } from "../bitdepth.js";
import { ResourceError } from "../errors.js";
import type { ScanResult } from "./types.js";
import { WASM_BASE64 } from "./wasm-binary.js";

// The WASM boundary: compiling and instantiating the core module, its memories (the streaming
// instance's, and each resident volume's of fixed size), allocation and pointer bookkeeping
// for a call (Call), and the tables of what the core module and the families' module
// (families-instance.ts, on the same memories) export. Views of linear memory are made from
// `memory.buffer` at the moment they are used, after any call that can grow it, so none is
// ever stale. The adapters that make the Kernels interface of these calls are in wasm.ts.

/** What the core module (assembly/index.ts) exports. */
export interface CoreExports {
  memory: WebAssembly.Memory;
  alloc(size: number): number;
  free(ptr: number): void;
  tableBegin(bits: number): void;
  tableEnd(withBoxes: number): number;
  scanBegin(bits: number, ny: number, nx: number, withBoxes: number): void;
  scanChunk8(data: number, count: number): void;
  scanChunk16(data: number, count: number): void;
  scanChunk32(data: number, count: number): void;
  scanEnd(): number;
  leadingZeros(data: number, bytes: number): number;
  trailingZeros(data: number, bytes: number): number;
  nonZeroSpans(data: number, bytes: number, block: number, spans: number): number;
  countUnderChunk8(data: number, region: number, len: number): void;
  countUnderChunk16(data: number, region: number, len: number): void;
  countUnderChunk32(data: number, region: number, len: number): void;
  equals8(data: number, len: number, label: number, invert: number, out: number): void;
  equals16(data: number, len: number, label: number, invert: number, out: number): void;
  equals32(data: number, len: number, label: number, invert: number, out: number): void;
  selectLut8(data: number, len: number, lut: number, out: number): void;
  selectLut16(data: number, len: number, lut: number, out: number): void;
  selectSet32(data: number, len: number, set: number, count: number, out: number): void;
  selectRangesMax(): number;
  selectRanges16(data: number, len: number, ranges: number, count: number, out: number): void;
  selectRanges32(data: number, len: number, ranges: number, count: number, out: number): void;
  orBytes(dst: number, src: number, len: number): void;
  contains8(data: number, len: number, label: number): number;
  contains16(data: number, len: number, label: number): number;
  contains32(data: number, len: number, label: number): number;
  paint8(data: number, region: number, len: number, label: number, keep: number): number;
  paint16(data: number, region: number, len: number, label: number, keep: number): number;
  paint32(data: number, region: number, len: number, label: number, keep: number): number;
  paintCounting8(data: number, region: number, len: number, label: number, keep: number): number;
  paintCounting16(data: number, region: number, len: number, label: number, keep: number): number;
  paintCounting32(data: number, region: number, len: number, label: number, keep: number): number;
  encodeBegin(nx: number, bytes: number): void;
  /** With `scan` (1), the rows are also accounted in the open label scan (`scanBegin`). */
  encodeChunk8(data: number, rows: number, scan: number): void;
  encodeChunk16(data: number, rows: number, scan: number): void;
  encodeChunk32(data: number, rows: number, scan: number): void;
  encodeEnd(): number;
  encodedLength(): number;
  decodeBegin(src: number, srcLength: number, rows: number, nx: number, maxLabel: number): number;
  decodeChunk8(out: number, rows: number, ranges: number): number;
  decodeChunk16(out: number, rows: number, ranges: number): number;
  decodeChunk32(out: number, rows: number, ranges: number): number;
  decodeEnd(): number;
  countOverlapRows(a: number, b: number, rows: number, nx: number, x0: number, x1: number): number;
  unpackBits(src: number, count: number, out: number): number;
  packBits(src: number, count: number, out: number): void;
  bitEdges(src: number, first: number, count: number, prev: number, out: number): number;
  largest8(data: number, len: number): number;
  largest16(data: number, len: number): number;
  largest32(data: number, len: number): number;
}

/** What the families' module (assembly/families.ts) exports. */
export interface FamilyExports {
  surfaceOf(src: number, out: number, nz: number, ny: number, nx: number): number;
  edtSquared(features: number, dist: number, nz: number, ny: number, nx: number, sz: number, sy: number, sx: number, scratch: number): void;
  fillDistances(marks: number, squared: number, n: number, out: number): void;
  findRuns8(data: number, rows: number, nx: number, label: number, rowBase: number, out: number): number;
  findRuns16(data: number, rows: number, nx: number, label: number, rowBase: number, out: number): number;
  findRuns32(data: number, rows: number, nx: number, label: number, rowBase: number, out: number): number;
  joinRuns(runs: number, count: number, nz: number, ny: number, connectivity: number, rowStart: number, parent: number, component: number): number;
  runStats(runs: number, count: number, ny: number, component: number, components: number, stats: number): void;
  rowStarts(runs: number, count: number, rows: number, rowStart: number): void;
  dilateSlice(runs: number, rowStart: number, nz: number, ny: number, nx: number, element: number, m: number, z: number, y0: number, y1: number, set: number, out: number): number;
  erodeSlice(runs: number, rowStart: number, nz: number, ny: number, nx: number, element: number, m: number, z: number, y0: number, y1: number, a: number, b: number, out: number): number;
  fillContours(points: number, starts: number, count: number, ny: number, nx: number, out: number, rowStart: number, crossings: number): void;
  traceContours(grid: number, ny: number, nx: number, used: number, points: number, starts: number, counts: number): void;
  /** `bytes`: 1, 2 or 4 per voxel (one kernel for every bit depth). */
  surfaceSlice(state: number, cz: number, bytes: number): number;
  cropEquals8(data: number, rows: number, nx: number, x0: number, width: number, label: number, out: number): void;
  cropEquals16(data: number, rows: number, nx: number, x0: number, width: number, label: number, out: number): void;
  cropEquals32(data: number, rows: number, nx: number, x0: number, width: number, label: number, out: number): void;
  permuteAxes8(src: number, out: number, n0: number, n1: number, n2: number, base: number, s0: number, s1: number, s2: number): void;
  permuteAxes16(src: number, out: number, n0: number, n1: number, n2: number, base: number, s0: number, s1: number, s2: number): void;
  permuteAxes32(src: number, out: number, n0: number, n1: number, n2: number, base: number, s0: number, s1: number, s2: number): void;
  resampleMap(m00: number, m01: number, m02: number, t0: number, m10: number, m11: number, m12: number, t1: number, m20: number, m21: number, m22: number, t2: number): void;
  resampleNearest8(src: number, out: number, s0: number, s1: number, s2: number, n0: number, n1: number, n2: number, table: number): void;
  resampleNearest16(src: number, out: number, s0: number, s1: number, s2: number, n0: number, n1: number, n2: number, table: number): void;
  resampleNearest32(src: number, out: number, s0: number, s1: number, s2: number, n0: number, n1: number, n2: number, table: number): void;
  resampleLabelLinear8(src: number, out: number, s0: number, s1: number, s2: number, n0: number, n1: number, n2: number): void;
  resampleLabelLinear16(src: number, out: number, s0: number, s1: number, s2: number, n0: number, n1: number, n2: number): void;
  resampleLabelLinear32(src: number, out: number, s0: number, s1: number, s2: number, n0: number, n1: number, n2: number): void;
  reverseRows8(src: number, out: number, rows: number, n: number): void;
  reverseRows16(src: number, out: number, rows: number, n: number): void;
  reverseRows32(src: number, out: number, rows: number, n: number): void;
  nearestWithin(marks: number, features: number, nz: number, ny: number, nx: number, steps: number, squared: number, count: number, reach: number, out: number): number;
}

/** Both modules' exports on one memory: what a family's adapter calls. */
export type KernelExports = CoreExports & FamilyExports;

/** Runs `body` with a call's allocations on the streaming instance (wasm.ts's `run`). */
export type CoreRunner = <T>(body: (call: Call, wasm: CoreExports) => T) => T;
/** The same with the families' exports beside the core's: what a family's adapter is given. */
export type Runner = <T>(body: (call: Call, wasm: KernelExports) => T) => T;

export const WASM_PAGE = 65536;
/** The memory page of the systems medmask runs on: the unit fresh memory is faulted in. */
export const PAGE_BYTES = 4096;
/** wasm32 addresses 4 GiB; keep a margin for the kernels' own tables. */
export const MAX_MEMORY = 4 * 1024 ** 3 - 16 * 1024 * 1024;

let compiled: WebAssembly.Module | null = null;

/** The bytes of an embedded module's base64. */
export function decodeBase64(text: string): Uint8Array {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** An instance of `module` on `memory`, its exports as `T` (the module's table above). */
export function instantiate<T = CoreExports>(module: WebAssembly.Module, memory: WebAssembly.Memory): T {
  const imports = {
    env: {
      memory,
      abort(): never {
        throw new ResourceError("OUT_OF_MEMORY", "The WASM kernels aborted (out of memory).");
      },
    },
  };
  return new WebAssembly.Instance(module, imports).exports as unknown as T;
}

/** Compiles the embedded module synchronously (fine in Node and in workers). */
export function compileSync(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(decodeBase64(WASM_BASE64) as BufferSource);
  return compiled;
}

/** Compiles the embedded module asynchronously (for a browser's main thread). */
export async function compileWasm(): Promise<void> {
  compiled ??= await WebAssembly.compile(decodeBase64(WASM_BASE64) as BufferSource);
}

/**
 * Bytes per streamed chunk. Volumes cross the boundary in chunks this size, into buffers
 * that stay in the CPU's L2 cache, so a kernel reads each voxel from memory once (during
 * the copy) and WASM memory stays small whatever the volume size. Measured on the real
 * mask: 64 KiB to 512 KiB are within noise of each other; 16 KiB pays per-call overhead.
 */
export const CHUNK_BYTES = 256 * 1024;

/** Chunks per call over voxels read in place (resident): 16 MiB by default. */
export const IN_PLACE_CHUNKS = 64;

/** Voxel ranges [from, to) of at most `chunk` voxels covering 0..length. */
export function* chunks(length: number, chunk: number): Generator<[number, number]> {
  for (let from = 0; from < length; from += chunk) yield [from, Math.min(length, from + chunk)];
}

/** The bit depth of a label array: the suffix of its kernels' exports (`equals8`, ...). */
export const bitsOf = (data: ArrayBufferView & { BYTES_PER_ELEMENT: number }): 8 | 16 | 32 => (data.BYTES_PER_ELEMENT * 8) as 8 | 16 | 32;

export const bytesOf = (view: ArrayBufferView): Uint8Array => new Uint8Array(view.buffer, view.byteOffset, view.byteLength);

/** Allocations and copies of one kernel call; call-local blocks are freed when it ends. */
export class Call {
  private readonly blocks: number[] = [];
  constructor(
    private readonly wasm: CoreExports,
    /** Three chunk buffers kept for the instance's lifetime: two inputs, one output. */
    readonly scratch: readonly [number, number, number],
    /** Bytes per streamed chunk (at most the scratch buffers' size). */
    readonly chunk: number,
  ) {}

  /**
   * Whether `view` lies in this instance's memory (a resident volume's voxels or mask
   * buffer): kernels then read and write it in place, with no copy.
   */
  owns(view: ArrayBufferView): boolean {
    return view.buffer === this.wasm.memory.buffer;
  }

  /** A view of all of WASM memory, made now: memory growth replaces the buffer. */
  heap(): Uint8Array {
    return new Uint8Array(this.wasm.memory.buffer);
  }

  alloc(bytes: number): number {
    const current = this.wasm.memory.buffer.byteLength;
    if (bytes > MAX_MEMORY || current + bytes > MAX_MEMORY + WASM_PAGE * 256) {
      throw new ResourceError(
        "OUT_OF_MEMORY",
        `The WASM kernels need ${(bytes / 2 ** 20).toFixed(0)} MiB more than the 4 GiB WASM memory holds; ` +
          `use the JS backend (setBackend("js")) or process the volume in slabs.`,
      );
    }
    const ptr = this.wasm.alloc(Math.max(bytes, 1)) >>> 0;
    this.blocks.push(ptr);
    return ptr;
  }

  /** Copies `view` into a call-local block (for inputs that are not streamed). */
  copyIn(view: ArrayBufferView): number {
    const ptr = this.alloc(view.byteLength);
    this.heap().set(bytesOf(view), ptr);
    return ptr;
  }

  /** Copies `bytes` bytes at `ptr` out into a fresh array the caller owns. */
  copyOut(ptr: number, length: number): Uint8Array {
    return this.heap().slice(ptr, ptr + length);
  }

  /** Frees a block of this call now (one that a loop over labels no longer needs). */
  release(ptr: number): void {
    const at = this.blocks.lastIndexOf(ptr);
    if (at < 0) return;
    this.blocks.splice(at, 1);
    this.wasm.free(ptr);
  }

  /** Takes a block the kernels allocated, to be freed with the call's own. */
  adopt(block: number): number {
    this.blocks.push(block);
    return block;
  }

  /** Reads a result block written by `tableResult` in assembly/table.ts (then freed). */
  readScan(block: number, withBoxes: boolean): ScanResult {
    this.adopt(block);
    const buffer = this.wasm.memory.buffer;
    const n = new Uint32Array(buffer, block, 1)[0]!;
    const counts = new Float64Array(buffer, block + 8, n).slice();
    const labels = new Uint32Array(buffer, block + 8 + 8 * n, n).slice();
    const boxes = withBoxes ? new Int32Array(buffer.slice(block + 8 + 12 * n, block + 8 + 36 * n)) : new Int32Array(0);
    return { labels, counts, boxes };
  }

  freeAll(): void {
    for (const ptr of this.blocks) this.wasm.free(ptr);
    this.blocks.length = 0;
  }
}

/** One instance of the module: its exports and its three scratch buffers. */
export interface Instance {
  wasm: CoreExports;
  scratch: [number, number, number];
  scratchBytes: number;
  /** A resident instance whose fixed memory ran out: its volume is streamed from then on. */
  broken: boolean;
  /** A resident instance's volume and mask buffer. */
  arrays?: ResidentArrays;
}

export const MAX_PAGES = 65536; // 4 GiB, all that wasm32 addresses

/** Resident instances by their memory's buffer (fixed: a resident memory never grows). */
export const residents = new WeakMap<ArrayBufferLike, Instance>();

export function newInstance(pages: number, maximum: number, scratchBytes: number): Instance {
  const wasm = instantiate(compileSync(), new WebAssembly.Memory({ initial: pages, maximum }));
  return { wasm, scratch: [wasm.alloc(scratchBytes) >>> 0, wasm.alloc(scratchBytes) >>> 0, wasm.alloc(scratchBytes) >>> 0], scratchBytes, broken: false };
}

/**
 * Bytes a resident memory keeps beyond its volume and mask buffer: the kernels' tables (a
 * 16-bit scan's is 2.3 MiB), lookup tables and scratch.
 */
export const RESIDENT_HEADROOM = 8 * 1024 * 1024;
/** The allocator's largest block: bigger volumes cannot be resident. */
export const RESIDENT_MAX_BYTES = 2 ** 30 - 64 * 1024;

/** A resident volume: its voxels (every layer) and a mask buffer, views of one WASM memory of their own. */
export interface ResidentArrays {
  /** Layer 0. */
  data: LabelArray;
  /** Every layer, `data` first. */
  layers: LabelArray[];
  maskBuffer: Uint8Array;
}

/**
 * Zeroed voxels (`layerCount` layers of `length` labels of `bytesPerVoxel` bytes) and a
 * one-byte-per-voxel mask buffer in a WASM memory of their own, with an instance of the
 * kernels over it, so kernels run on them in place (every layer, and a union across layers
 * into the mask buffer). The memory's size is fixed when it is made (maximum = initial), so
 * views of it never detach, and it is no other volume's, so a view kept after the volume is
 * dropped aliases nothing (it keeps that memory alive instead). `headroom` is for tests.
 */
export function residentArrays(bytesPerVoxel: 1 | 2 | 4, length: number, headroom = RESIDENT_HEADROOM, layerCount = 1): ResidentArrays {
  const dataBytes = length * bytesPerVoxel;
  if (dataBytes * layerCount > RESIDENT_MAX_BYTES || length > RESIDENT_MAX_BYTES) {
    throw new ResourceError("OUT_OF_MEMORY", `A resident volume holds at most 1 GiB of voxels; this one has ${((dataBytes * layerCount) / 2 ** 30).toFixed(1)} GiB. Keep it as an ordinary (streamed) mask.`);
  }
  const pages = Math.ceil((dataBytes * layerCount + length + 3 * CHUNK_BYTES + headroom + 2 * WASM_PAGE) / WASM_PAGE);
  let instance: Instance;
  let at: number[];
  try {
    instance = newInstance(pages, pages, CHUNK_BYTES);
    at = [...Array.from({ length: layerCount }, () => instance.wasm.alloc(Math.max(dataBytes, 1)) >>> 0), instance.wasm.alloc(Math.max(length, 1)) >>> 0];
  } catch (cause) {
    throw new ResourceError("OUT_OF_MEMORY", `Cannot make ${(pages / 16).toFixed(0)} MiB of WASM memory for a resident volume here: ${(cause as Error).message}`, { cause });
  }
  const buffer = instance.wasm.memory.buffer;
  residents.set(buffer, instance);
  const layers = at.slice(0, layerCount).map((p) => labelView(bytesPerVoxel, buffer, p, length));
  instance.arrays = { data: layers[0]!, layers, maskBuffer: new Uint8Array(buffer, at[layerCount]!, length) };
  return instance.arrays;
}

/** The mask buffer made with `data` by `residentArrays` (null for any other array, subarrays included). */
export function residentMaskBuffer(data: LabelArray): Uint8Array | null {
  const arrays = residents.get(data.buffer)?.arrays;
  return arrays && arrays.data.byteOffset === data.byteOffset && arrays.data.length === data.length ? arrays.maskBuffer : null;
}

/** Whether `view` lies in a resident volume's memory. */
export function isResident(view: ArrayBufferView): boolean {
  return residents.has(view.buffer);
}
