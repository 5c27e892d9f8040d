import type { LabelArray } from "../bitdepth.js";
import { InputError, ResourceError, describeValue } from "../errors.js";
import type { Box6, Dims, Kernels, ScanEncoded, ScanResult } from "./types.js";
import { checkSlabRows } from "./js.js";
import { WASM_BASE64 } from "./wasm-binary.js";

// The one module that knows the WASM boundary: instantiation, allocation, copies in and
// out, and views over linear memory. Every view is made from `memory.buffer` at the moment
// it is used, after any call that may grow memory, so no view here is ever stale; callers
// only ever receive arrays they own.

interface KernelExports {
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
  countUnderChunk8(data: number, region: number, len: number): void;
  countUnderChunk16(data: number, region: number, len: number): void;
  countUnderChunk32(data: number, region: number, len: number): void;
  equals8(data: number, len: number, label: number, invert: number, out: number): void;
  equals16(data: number, len: number, label: number, invert: number, out: number): void;
  equals32(data: number, len: number, label: number, invert: number, out: number): void;
  selectLut8(data: number, len: number, lut: number, out: number): void;
  selectLut16(data: number, len: number, lut: number, out: number): void;
  selectSet32(data: number, len: number, set: number, count: number, out: number): void;
  contains8(data: number, len: number, label: number): number;
  contains16(data: number, len: number, label: number): number;
  contains32(data: number, len: number, label: number): number;
  paint8(data: number, region: number, len: number, label: number, keep: number): number;
  paint16(data: number, region: number, len: number, label: number, keep: number): number;
  paint32(data: number, region: number, len: number, label: number, keep: number): number;
  encodeBegin(nx: number, bytes: number): void;
  encodeChunk8(data: number, rows: number): void;
  encodeChunk16(data: number, rows: number): void;
  encodeChunk32(data: number, rows: number): void;
  encodeEnd(): number;
  encodedLength(): number;
  decodeBegin(src: number, srcLength: number, rows: number, nx: number, maxLabel: number): number;
  decodeChunk8(out: number, rows: number, ranges: number): number;
  decodeChunk16(out: number, rows: number, ranges: number): number;
  decodeChunk32(out: number, rows: number, ranges: number): number;
  decodeEnd(): number;
  countOverlapRows(a: number, b: number, rows: number, nx: number, x0: number, x1: number): number;
}

type Bits = 8 | 16 | 32;
const WASM_PAGE = 65536;
/** wasm32 addresses 4 GiB; keep a margin for the kernels' own tables. */
const MAX_MEMORY = 4 * 1024 ** 3 - 16 * 1024 * 1024;

let compiled: WebAssembly.Module | null = null;

function decodeBase64(text: string): Uint8Array {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function instantiate(module: WebAssembly.Module): KernelExports {
  const imports = {
    env: {
      abort(): never {
        throw new ResourceError("OUT_OF_MEMORY", "The WASM kernels aborted (out of memory).");
      },
    },
  };
  return new WebAssembly.Instance(module, imports).exports as unknown as KernelExports;
}

/** Compiles the embedded module synchronously (fine in Node and in workers). */
function compileSync(): WebAssembly.Module {
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

/** Voxel ranges [from, to) of at most `chunk` voxels covering 0..length. */
function* chunks(length: number, chunk: number): Generator<[number, number]> {
  for (let from = 0; from < length; from += chunk) yield [from, Math.min(length, from + chunk)];
}

const bytesOf = (view: ArrayBufferView): Uint8Array => new Uint8Array(view.buffer, view.byteOffset, view.byteLength);

/** Allocations and copies of one kernel call; call-local blocks are freed when it ends. */
class Call {
  private readonly blocks: number[] = [];
  constructor(
    private readonly wasm: KernelExports,
    /** Three chunk buffers kept for the instance's lifetime: two inputs, one output. */
    readonly scratch: readonly [number, number, number],
  ) {}

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

/** The WASM kernels, plus diagnostics of their boundary. */
export interface WasmKernels extends Kernels {
  /** Bytes of WASM linear memory this instance holds now (scratch, tables, codec slabs). */
  memoryBytes(): number;
  /**
   * The marshalling alone of a streamed operation on `view`: its bytes copied into the
   * scratch buffers chunk by chunk (and, given a `sink` of one byte per voxel, the output
   * chunks copied back out into it), without a kernel. The bench reports it as the
   * boundary's share of an operation.
   */
  marshalOnly(view: ArrayBufferView, sink?: Uint8Array): void;
}

/**
 * The WASM kernels. Throws WASM_UNAVAILABLE when the module cannot be compiled here.
 * `chunkBytes` (a multiple of 4) sets the streaming chunk; tests make it tiny so that
 * chunk boundaries fall everywhere in small random volumes.
 */
export function createWasmKernels(chunkBytes = CHUNK_BYTES): WasmKernels {
  if (!Number.isInteger(chunkBytes) || chunkBytes < 4 || chunkBytes % 4 !== 0) {
    throw new InputError("INVALID_ARGUMENT", `chunkBytes must be a positive multiple of 4, got ${describeValue(chunkBytes)}.`);
  }
  let wasm: KernelExports | null = null;
  let scratch: [number, number, number] = [0, 0, 0];

  function run<T>(body: (call: Call, wasm: KernelExports) => T): T {
    if (!wasm) {
      try {
        wasm = instantiate(compileSync());
        scratch = [wasm.alloc(chunkBytes) >>> 0, wasm.alloc(chunkBytes) >>> 0, wasm.alloc(chunkBytes) >>> 0];
      } catch (cause) {
        wasm = null;
        throw new ResourceError("WASM_UNAVAILABLE", `The WASM kernels cannot load here: ${(cause as Error).message}`, { cause });
      }
    }
    const call = new Call(wasm, scratch);
    try {
      return body(call, wasm);
    } catch (error) {
      // A trap can leave the allocator mid-update: start from a fresh instance next time.
      if (error instanceof WebAssembly.RuntimeError) {
        wasm = null;
        throw new ResourceError("OUT_OF_MEMORY", `The WASM kernels ran out of memory (${error.message}); use setBackend("js") or smaller volumes.`, { cause: error });
      }
      throw error;
    } finally {
      if (wasm) call.freeAll();
    }
  }

  const bits = (data: ArrayBufferView & { BYTES_PER_ELEMENT: number }): Bits => (data.BYTES_PER_ELEMENT * 8) as Bits;

  /**
   * Copies `data` (and `region`, voxel for voxel) into the scratch buffers a chunk at a
   * time, the chunk at scratch[0] and its region at scratch[1]; yields each chunk's voxel
   * count and first voxel. A consumer may stop early.
   */
  function* chunksIn(call: Call, data: LabelArray, region: Uint8Array | null): Generator<[number, number]> {
    const size = data.BYTES_PER_ELEMENT;
    const bytes = bytesOf(data);
    const [a, b] = call.scratch;
    for (const [from, to] of chunks(data.length, chunkBytes / size)) {
      const heap = call.heap();
      heap.set(bytes.subarray(from * size, to * size), a);
      if (region) heap.set(region.subarray(from, to), b);
      yield [to - from, from];
    }
  }

  /**
   * Streams `data` (and `region`) through the scratch buffers: `kernel` sees each chunk
   * and returns how many voxels of it changed, in which case (with `writeBack`) the chunk
   * is copied back over `data`.
   */
  function stream(call: Call, data: LabelArray, region: Uint8Array | null, kernel: (count: number, from: number) => number, writeBack = false): void {
    const size = data.BYTES_PER_ELEMENT;
    const a = call.scratch[0];
    for (const [count, from] of chunksIn(call, data, region)) {
      const changed = kernel(count, from);
      if (writeBack && changed > 0) bytesOf(data).set(call.heap().subarray(a, a + count * size), from * size);
    }
  }

  /** Whole rows of `rowBytes` bytes per streamed chunk (at least one). */
  const rowsPerChunk = (rowBytes: number): number => Math.max(1, Math.floor(chunkBytes / Math.max(rowBytes, 1)));

  /** Whether a voxel of `data`'s type can hold `label` (the kernels would truncate it). */
  const fitsLabelType = (data: LabelArray, label: number): boolean => Number.isInteger(label) && label >= 0 && label < 2 ** bits(data);

  /**
   * Streams `data` through a binary-output kernel (writes scratch[2]) into `out`. Into a
   * fresh (zeroed) array, all-zero output chunks are not copied: an organ spans a fraction
   * of the slices, and untouched pages of new memory cost nothing (this VM faults a page
   * in at about the cost of copying it twice).
   */
  function streamToBinary(call: Call, w: KernelExports, data: LabelArray, out: Uint8Array | undefined, kernel: (count: number) => void): Uint8Array {
    const result = out ?? new Uint8Array(data.length);
    const o = call.scratch[2];
    stream(call, data, null, (count, from) => {
      kernel(count);
      if (out || (w.leadingZeros(o, count) >>> 0) < count) result.set(call.heap().subarray(o, o + count), from);
      return 0;
    });
    return result;
  }

  /** Where chunks of whole rows go in: scratch[0], or a block for a row longer than a chunk. */
  const rowInput = (call: Call, rowBytes: number): number => (rowBytes <= chunkBytes ? call.scratch[0] : call.alloc(rowBytes));

  /**
   * The rle-rows stream of rows [from, to) of `data` (rows of `nx` labels), copied in at
   * `input` a chunk of whole rows at a time (the streams grow inside WASM as needed);
   * `alsoRead`, when given, sees each chunk's row count too, while the chunk is in cache.
   */
  function encodeSlab(call: Call, w: KernelExports, data: LabelArray, from: number, to: number, nx: number, input: number, alsoRead?: (rows: number) => void): Uint8Array {
    const rowBytes = nx * data.BYTES_PER_ELEMENT;
    const perChunk = rowsPerChunk(rowBytes);
    const encode = w[`encodeChunk${bits(data)}`];
    const bytes = bytesOf(data);
    w.encodeBegin(nx, data.BYTES_PER_ELEMENT);
    for (let r = from; r < to; r += perChunk) {
      const count = Math.min(perChunk, to - r);
      call.heap().set(bytes.subarray(r * rowBytes, (r + count) * rowBytes), input);
      alsoRead?.(count);
      encode(input, count);
    }
    const block = call.adopt(w.encodeEnd() >>> 0);
    return call.copyOut(block, w.encodedLength() >>> 0);
  }

  const marshalOnly = (view: ArrayBufferView, sink?: Uint8Array): void =>
    run((call) => {
      const data = bytesOf(view);
      const o = call.scratch[2];
      stream(call, data, null, (count, from) => {
        sink?.set(call.heap().subarray(o, o + count), from);
        return 0;
      });
    });

  return {
    name: "wasm",
    memoryBytes: () => wasm?.memory.buffer.byteLength ?? 0,
    marshalOnly,

    scan(data: LabelArray, dims: Dims, withBoxes: boolean): ScanResult {
      return run((call, w) => {
        const chunk = w[`scanChunk${bits(data)}`];
        const a = call.scratch[0];
        w.scanBegin(bits(data), dims[1], dims[2], withBoxes ? 1 : 0);
        stream(call, data, null, (count) => {
          chunk(a, count);
          return 0;
        });
        return call.readScan(w.scanEnd() >>> 0, withBoxes);
      });
    },

    occupied(data: LabelArray): [number, number] | null {
      if (data.length === 0) return null;
      return run((call, w) => {
        const size = data.BYTES_PER_ELEMENT;
        const a = call.scratch[0];
        let first = -1;
        for (const [count, from] of chunksIn(call, data, null)) {
          const zeros = w.leadingZeros(a, count * size) >>> 0;
          if (zeros < count * size) {
            first = from + Math.floor(zeros / size);
            break;
          }
        }
        if (first < 0) return null;
        // From the end, a chunk at a time, down to the first label at the latest.
        const bytes = bytesOf(data);
        const perChunk = chunkBytes / size;
        for (let to = data.length; to > first; to -= perChunk) {
          const from = Math.max(first, to - perChunk);
          call.heap().set(bytes.subarray(from * size, to * size), a);
          const length = (to - from) * size;
          const zeros = w.trailingZeros(a, length) >>> 0;
          if (zeros < length) return [first, from + Math.floor((length - zeros - 1) / size)];
        }
        throw new Error("unreachable: the first label was found from the start");
      });
    },

    scanEncode(data: LabelArray, dims: Dims, slabRows: number): ScanEncoded {
      checkSlabRows(slabRows);
      return run((call, w) => {
        // The scan's table and the encoder's streams are separate sessions, fed the same chunks.
        const [, ny, nx] = dims;
        const rows = dims[0] * ny;
        const input = rowInput(call, nx * data.BYTES_PER_ELEMENT);
        const scanChunk = w[`scanChunk${bits(data)}`];
        const streams: Uint8Array[] = [];
        w.scanBegin(bits(data), ny, nx, 1);
        for (let slab = 0; slab < rows; slab += slabRows) {
          streams.push(encodeSlab(call, w, data, slab, Math.min(rows, slab + slabRows), nx, input, (count) => scanChunk(input, count * nx)));
        }
        return { scan: call.readScan(w.scanEnd() >>> 0, true), streams };
      });
    },

    countUnder(data: LabelArray, region: Uint8Array): ScanResult {
      return run((call, w) => {
        const chunk = w[`countUnderChunk${bits(data)}`];
        const [a, b] = call.scratch;
        w.tableBegin(bits(data));
        stream(call, data, region, (count) => {
          chunk(a, b, count);
          return 0;
        });
        return call.readScan(w.tableEnd(0) >>> 0, false);
      });
    },

    equals(data: LabelArray, label: number, invert: boolean, out?: Uint8Array): Uint8Array {
      if (!fitsLabelType(data, label)) {
        // No voxel can hold it: nothing is equal.
        const result = out ?? new Uint8Array(data.length);
        return result.fill(invert ? 1 : 0, 0, data.length);
      }
      return run((call, w) => {
        const kernel = w[`equals${bits(data)}`];
        const [a, , o] = call.scratch;
        return streamToBinary(call, w, data, out, (count) => kernel(a, count, label, invert ? 1 : 0, o));
      });
    },

    select(data: LabelArray, labels: readonly number[], out?: Uint8Array): Uint8Array {
      return run((call, w) => {
        const [a, , o] = call.scratch;
        const depth = bits(data);
        if (depth === 32) {
          const set = Uint32Array.from(new Set(labels.filter((l) => l >= 0 && l <= 0xffffffff))).sort();
          const at = call.copyIn(set);
          return streamToBinary(call, w, data, out, (count) => w.selectSet32(a, count, at, set.length, o));
        }
        const lut = new Uint8Array(1 << depth);
        for (const l of labels) if (l >= 0 && l < lut.length) lut[l] = 1;
        const at = call.copyIn(lut);
        const kernel = depth === 8 ? w.selectLut8 : w.selectLut16;
        return streamToBinary(call, w, data, out, (count) => kernel(a, count, at, o));
      });
    },

    contains(data: LabelArray, label: number): boolean {
      if (!fitsLabelType(data, label)) return false;
      return run((call, w) => {
        const kernel = w[`contains${bits(data)}`];
        const a = call.scratch[0];
        for (const [count] of chunksIn(call, data, null)) if (kernel(a, count, label)) return true;
        return false;
      });
    },

    paint(data: LabelArray, region: Uint8Array, label: number, keep: boolean): number {
      return run((call, w) => {
        const kernel = w[`paint${bits(data)}`];
        const [a, b] = call.scratch;
        let painted = 0;
        stream(
          call,
          data,
          region,
          (count) => {
            const n = kernel(a, b, count, label, keep ? 1 : 0) >>> 0;
            painted += n;
            return n;
          },
          true,
        );
        return painted;
      });
    },

    countOverlap(a: Uint8Array, b: Uint8Array, dims: Dims, box: Box6): number {
      const [, ny, nx] = dims;
      const [z0, y0, x0, z1, y1, x1] = box;
      return run((call, w) => {
        // Rows y0..y1 of one slice are contiguous: stream them in whole rows.
        const perChunk = rowsPerChunk(nx);
        const [pa, pb] = nx > chunkBytes ? [call.alloc(nx), call.alloc(nx)] : call.scratch;
        let total = 0;
        for (let z = z0; z <= z1; z++) {
          for (let y = y0; y <= y1; y += perChunk) {
            const rows = Math.min(perChunk, y1 - y + 1);
            const from = (z * ny + y) * nx, to = from + rows * nx;
            const heap = call.heap();
            heap.set(a.subarray(from, to), pa);
            heap.set(b.subarray(from, to), pb);
            total += w.countOverlapRows(pa, pb, rows, nx, x0, x1) >>> 0;
          }
        }
        return total;
      });
    },

    encodeRows(data: LabelArray, rows: number, nx: number): Uint8Array {
      return run((call, w) => encodeSlab(call, w, data, 0, rows, nx, rowInput(call, nx * data.BYTES_PER_ELEMENT)));
    },

    decodeRows(stream: Uint8Array, rows: number, nx: number, maxLabel: number, out: LabelArray, zeroed = false): boolean {
      return run((call, w) => {
        const src = call.copyIn(stream);
        if (w.decodeBegin(src, stream.length, rows, nx, maxLabel) !== 0) return false;
        // Rows are decoded a cache-sized chunk at a time and copied out; the chunk sits
        // after one row (the row above its first) and before 64 bytes of slack.
        const rowBytes = nx * out.BYTES_PER_ELEMENT;
        const perChunk = rowsPerChunk(rowBytes);
        const base = call.alloc(rowBytes * (perChunk + 1) + 64) + rowBytes;
        // Only the rows with labels are copied out (the kernel lists their ranges): over
        // zeroed memory the rest is left alone, so a sparse organ mask touches only the pages
        // it occupies; over a caller's buffer the rest is cleared, which writes without reading.
        const ranges = call.alloc(4 * (perChunk + 1));
        const decode = w[`decodeChunk${bits(out)}`];
        const target = bytesOf(out);
        for (let r = 0; r < rows; r += perChunk) {
          const count = Math.min(perChunk, rows - r);
          const status = decode(base, count, ranges);
          if (status < 0) return false;
          const heap = call.heap();
          const list = new Uint32Array(heap.buffer, ranges, 2 * status);
          let done = 0; // rows of this chunk written so far
          for (let i = 0; i < list.length; i += 2) {
            const from = list[i]!, to = list[i + 1]!;
            if (!zeroed && from > done) target.fill(0, (r + done) * rowBytes, (r + from) * rowBytes);
            target.set(heap.subarray(base + from * rowBytes, base + to * rowBytes), (r + from) * rowBytes);
            done = to;
          }
          if (!zeroed && count > done) target.fill(0, (r + done) * rowBytes, (r + count) * rowBytes);
        }
        return w.decodeEnd() === 0;
      });
    },

    release(): void {
      wasm = null;
    },
  };
}
