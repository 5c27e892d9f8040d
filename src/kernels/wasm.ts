import type { LabelArray } from "../bitdepth.js";
import { ResourceError } from "../errors.js";
import type { Box6, Dims, Kernels, ScanResult } from "./types.js";
import { WASM_BASE64 } from "./wasm-binary.js";

// The one module that knows the WASM boundary: instantiation, allocation, copies in and
// out, and views over linear memory. Every view is made from `memory.buffer` at the moment
// it is used, after any call that may grow memory, so no view here is ever stale; callers
// only ever receive arrays they own.

interface KernelExports {
  memory: WebAssembly.Memory;
  alloc(size: number): number;
  free(ptr: number): void;
  scan8(data: number, nz: number, ny: number, nx: number, withBoxes: number): number;
  scan16(data: number, nz: number, ny: number, nx: number, withBoxes: number): number;
  scan32(data: number, nz: number, ny: number, nx: number, withBoxes: number): number;
  countUnder8(data: number, region: number, len: number): number;
  countUnder16(data: number, region: number, len: number): number;
  countUnder32(data: number, region: number, len: number): number;
  equals8(data: number, len: number, label: number, invert: number, out: number): void;
  equals16(data: number, len: number, label: number, invert: number, out: number): void;
  equals32(data: number, len: number, label: number, invert: number, out: number): void;
  selectLut8(data: number, len: number, lut: number, out: number): void;
  selectLut16(data: number, len: number, lut: number, out: number): void;
  selectSet32(data: number, len: number, set: number, count: number, out: number): void;
  paint8(data: number, region: number, len: number, label: number, keep: number): number;
  paint16(data: number, region: number, len: number, label: number, keep: number): number;
  paint32(data: number, region: number, len: number, label: number, keep: number): number;
  encodeBound(rows: number, nx: number, bytes: number): number;
  encodeRows8(data: number, rows: number, nx: number, out: number, ops: number, values: number, lengths: number): number;
  encodeRows16(data: number, rows: number, nx: number, out: number, ops: number, values: number, lengths: number): number;
  encodeRows32(data: number, rows: number, nx: number, out: number, ops: number, values: number, lengths: number): number;
  decodeRows8(src: number, srcLength: number, rows: number, nx: number, maxLabel: number, out: number): number;
  decodeRows16(src: number, srcLength: number, rows: number, nx: number, maxLabel: number, out: number): number;
  decodeRows32(src: number, srcLength: number, rows: number, nx: number, maxLabel: number, out: number): number;
  countOverlapBox(a: number, b: number, ny: number, nx: number, z0: number, z1: number, y0: number, y1: number, x0: number, x1: number): number;
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

/** Allocations made during one kernel call, all freed when it ends. */
class Call {
  private readonly blocks: number[] = [];
  constructor(private readonly wasm: KernelExports) {}

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

  /** Copies `view` into WASM memory: the one copy in. */
  copyIn(view: ArrayBufferView): number {
    const ptr = this.alloc(view.byteLength);
    new Uint8Array(this.wasm.memory.buffer, ptr, view.byteLength).set(
      new Uint8Array(view.buffer, view.byteOffset, view.byteLength),
    );
    return ptr;
  }

  /** Copies `bytes` bytes at `ptr` out into a fresh array the caller owns. */
  copyOut(ptr: number, length: number): Uint8Array {
    return new Uint8Array(this.wasm.memory.buffer, ptr, length).slice();
  }

  /** Copies WASM memory back over `view` (for kernels that modify their input). */
  copyBack(ptr: number, view: ArrayBufferView): void {
    new Uint8Array(view.buffer, view.byteOffset, view.byteLength).set(
      new Uint8Array(this.wasm.memory.buffer, ptr, view.byteLength),
    );
  }

  /** Reads and frees a result block written by `tableResult` in assembly/table.ts. */
  readScan(block: number, withBoxes: boolean): ScanResult {
    this.blocks.push(block);
    const buffer = this.wasm.memory.buffer;
    const n = new Uint32Array(buffer, block, 1)[0]!;
    const labels = new Uint32Array(buffer, block + 4, n).slice();
    const counts = Float64Array.from(new Uint32Array(buffer, block + 4 + 4 * n, n));
    const boxes = withBoxes ? new Int32Array(buffer.slice(block + 4 + 8 * n, block + 4 + 8 * n + 24 * n)) : new Int32Array(0);
    return { labels, counts, boxes };
  }

  freeAll(): void {
    for (const ptr of this.blocks) this.wasm.free(ptr);
    this.blocks.length = 0;
  }
}

/** Bytes of WASM linear memory held by live kernel instances (a diagnostic). */
let liveMemory: () => number = () => 0;

/** Bytes of WASM linear memory the kernels hold now (it grows to the largest call, then stays). */
export function wasmMemoryBytes(): number {
  return liveMemory();
}

/** The WASM kernels. Throws WASM_UNAVAILABLE when the module cannot be compiled here. */
export function createWasmKernels(): Kernels {
  let wasm: KernelExports | null = null;
  liveMemory = () => wasm?.memory.buffer.byteLength ?? 0;

  function run<T>(body: (call: Call, wasm: KernelExports) => T): T {
    if (!wasm) {
      try {
        wasm = instantiate(compileSync());
      } catch (cause) {
        throw new ResourceError("WASM_UNAVAILABLE", `The WASM kernels cannot load here: ${(cause as Error).message}`, { cause });
      }
    }
    const call = new Call(wasm);
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

  const bits = (data: LabelArray): Bits => (data.BYTES_PER_ELEMENT * 8) as Bits;

  return {
    name: "wasm",

    scan(data: LabelArray, dims: Dims, withBoxes: boolean): ScanResult {
      return run((call, w) => {
        const ptr = call.copyIn(data);
        const block = w[`scan${bits(data)}`](ptr, dims[0], dims[1], dims[2], withBoxes ? 1 : 0) >>> 0;
        return call.readScan(block, withBoxes);
      });
    },

    countUnder(data: LabelArray, region: Uint8Array): ScanResult {
      return run((call, w) => {
        const block = w[`countUnder${bits(data)}`](call.copyIn(data), call.copyIn(region), data.length) >>> 0;
        return call.readScan(block, false);
      });
    },

    equals(data: LabelArray, label: number, invert: boolean): Uint8Array {
      return run((call, w) => {
        const ptr = call.copyIn(data);
        const out = call.alloc(data.length);
        w[`equals${bits(data)}`](ptr, data.length, label, invert ? 1 : 0, out);
        return call.copyOut(out, data.length);
      });
    },

    select(data: LabelArray, labels: readonly number[]): Uint8Array {
      return run((call, w) => {
        const ptr = call.copyIn(data);
        const out = call.alloc(data.length);
        const depth = bits(data);
        if (depth === 32) {
          const set = Uint32Array.from(new Set(labels.filter((l) => l >= 0 && l <= 0xffffffff))).sort();
          w.selectSet32(ptr, data.length, call.copyIn(set), set.length, out);
        } else {
          const lut = new Uint8Array(1 << depth);
          for (const l of labels) if (l >= 0 && l < lut.length) lut[l] = 1;
          w[depth === 8 ? "selectLut8" : "selectLut16"](ptr, data.length, call.copyIn(lut), out);
        }
        return call.copyOut(out, data.length);
      });
    },

    paint(data: LabelArray, region: Uint8Array, label: number, keep: boolean): number {
      return run((call, w) => {
        const ptr = call.copyIn(data);
        const painted = w[`paint${bits(data)}`](ptr, call.copyIn(region), data.length, label, keep ? 1 : 0) >>> 0;
        if (painted > 0) call.copyBack(ptr, data);
        return painted;
      });
    },

    countOverlap(a: Uint8Array, b: Uint8Array, dims: Dims, box: Box6): number {
      const [, ny, nx] = dims;
      const [z0, y0, x0, z1, y1, x1] = box;
      // Only the z-slab the box spans crosses the boundary.
      const slab = ny * nx;
      const from = z0 * slab, to = (z1 + 1) * slab;
      return run((call, w) => {
        const pa = call.copyIn(a.subarray(from, to));
        const pb = call.copyIn(b.subarray(from, to));
        return w.countOverlapBox(pa, pb, ny, nx, 0, z1 - z0, y0, y1, x0, x1) >>> 0;
      });
    },

    encodeRows(data: LabelArray, rows: number, nx: number): Uint8Array {
      return run((call, w) => {
        const size = data.BYTES_PER_ELEMENT;
        const ptr = call.copyIn(data.subarray(0, rows * nx));
        // Scratch for the three streams, each at its worst case, then the packed output.
        const ops = call.alloc(rows * 5);
        const values = call.alloc(rows * nx * size);
        const lengths = call.alloc(rows * nx * 5);
        const out = call.alloc(w.encodeBound(rows, nx, size) >>> 0);
        const written = w[`encodeRows${bits(data)}`](ptr, rows, nx, out, ops, values, lengths) >>> 0;
        return call.copyOut(out, written);
      });
    },

    decodeRows(stream: Uint8Array, rows: number, nx: number, maxLabel: number, out: LabelArray): boolean {
      return run((call, w) => {
        const src = call.copyIn(stream);
        const bytes = rows * nx * out.BYTES_PER_ELEMENT;
        const dst = call.alloc(bytes);
        const status = w[`decodeRows${bits(out)}`](src, stream.length, rows, nx, maxLabel, dst);
        if (status !== 0) return false;
        call.copyBack(dst, out.subarray(0, rows * nx));
        return true;
      });
    },

    release(): void {
      wasm = null;
    },
  };
}
