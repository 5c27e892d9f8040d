import type { LabelArray } from "../bitdepth.js";
import { InputError, ResourceError, describeValue } from "../errors.js";
import type { Box6, Dims, Kernels, LayerSelection, ScanEncoded, ScanResult } from "./types.js";
import { checkAccumulateOut, checkBitRange, checkLayerSelections, checkPacked, checkSlabRows, packedOut } from "./checks.js";
import { CHUNK_BYTES, Call, MAX_PAGES, bitsOf, bytesOf, chunks, newInstance, residents, type CoreExports, type CoreRunner, type Instance } from "./wasm-instance.js";
import { chunksIn, paintStream, stream, toBinary } from "./wasm-stream.js";

// The Kernels interface over the WASM module: each method streams a volume through the
// instance's scratch chunks, or runs in place on a resident volume's memory, and hands back
// only arrays the caller owns. Instances, memories and allocation are wasm-instance.ts's.

type Bits = 8 | 16 | 32;

/** The distinct labels of `labels` that a voxel of `depth` bits can hold, ascending. */
function labelsFitting(labels: readonly number[], depth: Bits): number[] {
  const max = 2 ** depth - 1;
  return [...new Set(labels.filter((l) => Number.isInteger(l) && l >= 0 && l <= max))].sort((a, b) => a - b);
}

/**
 * Ascending labels as intervals [lo, hi] of consecutive labels (labels of one organ group
 * are usually consecutive).
 */
function labelIntervals(sorted: readonly number[]): [number, number][] {
  const intervals: [number, number][] = [];
  for (const label of sorted) {
    const last = intervals[intervals.length - 1];
    if (last && label === last[1] + 1) last[1] = label;
    else intervals.push([label, label]);
  }
  return intervals;
}

/** The WASM kernels, plus diagnostics of their boundary. */
export interface WasmKernels extends Kernels {
  /** Runs a kernel family's call on the streaming instance (see kernels/family.ts). */
  run: CoreRunner;
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
  /** The streaming instance: its memory grows as calls need and holds no caller's data. */
  let main: Instance | null = null;

  function mainInstance(): Instance {
    if (!main) {
      try {
        main = newInstance(1, MAX_PAGES, chunkBytes);
      } catch (cause) {
        throw new ResourceError("WASM_UNAVAILABLE", `The WASM kernels cannot load here: ${(cause as Error).message}`, { cause });
      }
    }
    return main;
  }

  /**
   * Where a kernel runs on `data`: in its resident instance, in place, when it has one; else
   * streamed through the main instance. `tables`: the kernel keeps a per-label table, which
   * for 32-bit labels is a hash table that can outgrow a resident memory's fixed headroom.
   */
  function ownerOf(data: LabelArray, tables = false): Instance {
    const resident = residents.get(data.buffer);
    if (resident && !resident.broken && !(tables && data.BYTES_PER_ELEMENT === 4)) return resident;
    return mainInstance();
  }

  function run<T>(body: (call: Call, wasm: CoreExports) => T, on?: Instance): T {
    const instance = on ?? mainInstance();
    const call = new Call(instance.wasm, instance.scratch, Math.min(chunkBytes, instance.scratchBytes));
    let trapped = false;
    try {
      return body(call, instance.wasm);
    } catch (error) {
      trapped = error instanceof WebAssembly.RuntimeError || (error instanceof ResourceError && error.code === "OUT_OF_MEMORY");
      if (!trapped) throw error;
      if (instance !== main) {
        // A resident memory cannot grow, and its allocator may be mid-update: stream this
        // volume from now on. Kernels fail before they change anything (their tables are
        // made first), so the call is simply made again.
        instance.broken = true;
        return run(body);
      }
      // A trap can leave the allocator mid-update: start from a fresh instance next time.
      main = null;
      if (error instanceof ResourceError) throw error;
      throw new ResourceError("OUT_OF_MEMORY", `The WASM kernels ran out of memory (${(error as Error).message}); use setBackend("js") or smaller volumes.`, { cause: error });
    } finally {
      if (!trapped) call.freeAll();
    }
  }

  const bits = bitsOf;

  /** Whole rows of `rowBytes` bytes per streamed chunk (at least one). */
  const rowsPerChunk = (rowBytes: number): number => Math.max(1, Math.floor(chunkBytes / Math.max(rowBytes, 1)));

  /** Whether a voxel of `data`'s type can hold `label` (the kernels would truncate it). */
  const fitsLabelType = (data: LabelArray, label: number): boolean => Number.isInteger(label) && label >= 0 && label < 2 ** bits(data);

  /**
   * The chunk kernel `(count, input, output)` of "label in `labels`" for `data`'s type: an
   * interval test for 16/32-bit labels in at most `selectRangesMax` runs of consecutive
   * labels, a sorted-set lookup for other 32-bit sets, else a lookup table (its tables are
   * copied into the call's memory now).
   */
  function selectKernel(call: Call, w: CoreExports, data: LabelArray, labels: readonly number[]): (count: number, a: number, o: number) => void {
    const depth = bits(data);
    const sorted = depth === 8 ? null : labelsFitting(labels, depth);
    const intervals = sorted && labelIntervals(sorted);
    if (intervals && intervals.length <= w.selectRangesMax()) {
      const at = call.copyIn(Uint32Array.from(intervals.flat()));
      const kernel = depth === 16 ? w.selectRanges16 : w.selectRanges32;
      return (count, a, o) => kernel(a, count, at, intervals.length, o);
    }
    if (depth === 32) {
      // The same labels, as the sorted set the lookup kernel searches.
      const set = Uint32Array.from(sorted!);
      const at = call.copyIn(set);
      return (count, a, o) => w.selectSet32(a, count, at, set.length, o);
    }
    const lut = new Uint8Array(1 << depth);
    for (const l of labels) if (l >= 0 && l < lut.length) lut[l] = 1;
    const at = call.copyIn(lut);
    const kernel = depth === 8 ? w.selectLut8 : w.selectLut16;
    return (count, a, o) => kernel(a, count, at, o);
  }

  /** The chunk kernel of `data !== label` (every voxel, where no voxel of the type can hold it). */
  function notEqualKernel(w: CoreExports, data: LabelArray, label: number): (count: number, a: number, o: number) => void {
    if (!fitsLabelType(data, label)) return (count, _a, o) => new Uint8Array(w.memory.buffer, o, count).fill(1);
    const kernel = w[`equals${bits(data)}`];
    return (count, a, o) => kernel(a, count, label, 1, o);
  }

  /** Where chunks of whole rows go in: scratch[0], or a block for a row longer than a chunk. */
  const rowInput = (call: Call, rowBytes: number): number => (rowBytes <= chunkBytes ? call.scratch[0] : call.alloc(rowBytes));

  /**
   * The rle-rows stream of rows [from, to) of `data` (rows of `nx` labels), copied in at
   * `input` a chunk of whole rows at a time (the streams grow inside WASM as needed);
   * with `scan`, the encoder also accounts the rows in the open label scan (`scanBegin`).
   */
  function encodeSlab(call: Call, w: CoreExports, data: LabelArray, from: number, to: number, nx: number, input: number, scan = false): Uint8Array {
    const rowBytes = nx * data.BYTES_PER_ELEMENT;
    const perChunk = rowsPerChunk(rowBytes);
    const encode = w[`encodeChunk${bits(data)}`];
    const bytes = bytesOf(data);
    w.encodeBegin(nx, data.BYTES_PER_ELEMENT);
    for (let r = from; r < to; r += perChunk) {
      const count = Math.min(perChunk, to - r);
      call.heap().set(bytes.subarray(r * rowBytes, (r + count) * rowBytes), input);
      encode(input, count, scan ? 1 : 0);
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
    memoryBytes: () => main?.wasm.memory.buffer.byteLength ?? 0,
    marshalOnly,

    scan(data: LabelArray, dims: Dims, withBoxes: boolean): ScanResult {
      return run((call, w) => {
        const chunk = w[`scanChunk${bits(data)}`];
        w.scanBegin(bits(data), dims[1], dims[2], withBoxes ? 1 : 0);
        stream(call, data, null, (count, _from, a) => {
          chunk(a, count);
          return 0;
        });
        return call.readScan(w.scanEnd() >>> 0, withBoxes);
      }, ownerOf(data, true));
    },

    occupied(data: LabelArray): [number, number] | null {
      if (data.length === 0) return null;
      return run((call, w) => {
        const size = data.BYTES_PER_ELEMENT;
        let first = -1;
        for (const [count, from, a] of chunksIn(call, data, null)) {
          const zeros = w.leadingZeros(a, count * size) >>> 0;
          if (zeros < count * size) {
            first = from + Math.floor(zeros / size);
            break;
          }
        }
        if (first < 0) return null;
        // From the end, a chunk at a time, down to the first label at the latest.
        const bytes = bytesOf(data);
        const perChunk = call.chunk / size;
        const inPlace = call.owns(data);
        for (let to = data.length; to > first; to -= perChunk) {
          const from = Math.max(first, to - perChunk);
          const a = inPlace ? data.byteOffset + from * size : call.scratch[0];
          if (!inPlace) call.heap().set(bytes.subarray(from * size, to * size), a);
          const length = (to - from) * size;
          const zeros = w.trailingZeros(a, length) >>> 0;
          if (zeros < length) return [first, from + Math.floor((length - zeros - 1) / size)];
        }
        throw new Error("unreachable: the first label was found from the start");
      }, ownerOf(data));
    },

    scanEncode(data: LabelArray, dims: Dims, slabRows: number): ScanEncoded {
      checkSlabRows(slabRows);
      return run((call, w) => {
        // One scan session over every slab; the encoder accounts each row in it as it
        // encodes the row (a row "same as above" by the runs above, not by reading it again).
        const [, ny, nx] = dims;
        const rows = dims[0] * ny;
        const input = rowInput(call, nx * data.BYTES_PER_ELEMENT);
        const streams: Uint8Array[] = [];
        w.scanBegin(bits(data), ny, nx, 1);
        for (let slab = 0; slab < rows; slab += slabRows) {
          streams.push(encodeSlab(call, w, data, slab, Math.min(rows, slab + slabRows), nx, input, true));
        }
        return { scan: call.readScan(w.scanEnd() >>> 0, true), streams };
      });
    },

    countUnder(data: LabelArray, region: Uint8Array): ScanResult {
      return run((call, w) => {
        const chunk = w[`countUnderChunk${bits(data)}`];
        w.tableBegin(bits(data));
        stream(call, data, region, (count, _from, a, b) => {
          chunk(a, b, count);
          return 0;
        });
        return call.readScan(w.tableEnd(0) >>> 0, false);
      }, ownerOf(data, true));
    },

    equals(data: LabelArray, label: number, invert: boolean, out?: Uint8Array, accumulate = false): Uint8Array {
      if (!fitsLabelType(data, label)) {
        // No voxel can hold it: nothing is equal.
        if (accumulate) return invert ? checkAccumulateOut(out, data.length).fill(1, 0, data.length) : checkAccumulateOut(out, data.length);
        const result = out ?? new Uint8Array(data.length);
        return result.fill(invert ? 1 : 0, 0, data.length);
      }
      return run((call, w) => {
        const kernel = w[`equals${bits(data)}`];
        return toBinary(call, w, data, out, accumulate, (count, a, o) => kernel(a, count, label, invert ? 1 : 0, o));
      }, ownerOf(data));
    },

    select(data: LabelArray, labels: readonly number[], out?: Uint8Array, accumulate = false): Uint8Array {
      return run((call, w) => toBinary(call, w, data, out, accumulate, selectKernel(call, w, data, labels)), ownerOf(data));
    },

    selectLayers(parts: readonly LayerSelection[], length: number, out?: Uint8Array): Uint8Array {
      checkLayerSelections(parts, length, out);
      // In place where every layer (and `out`, if given) lies in one resident memory.
      const owner = ownerOf(parts[0]?.data ?? new Uint8Array(0));
      const shared = parts.every((p) => ownerOf(p.data) === owner) ? owner : undefined;
      return run((call, w) => {
        // Parts that share their labels (a layer's rows, slice by slice) share one kernel and its tables.
        const made = new Map<string, (count: number, a: number, o: number) => void>();
        const ids = new Map<readonly number[], number>();
        const kernels = parts.map((p) => {
          const key = `${ids.get(p.labels) ?? ids.set(p.labels, ids.size).size - 1}:${bits(p.data)}:${p.invert === true}`;
          let kernel = made.get(key);
          if (!kernel) made.set(key, (kernel = p.invert ? notEqualKernel(w, p.data, p.labels[0]!) : selectKernel(call, w, p.data, p.labels)));
          return kernel;
        });
        const result = out ?? new Uint8Array(length);
        const outInPlace = out !== undefined && call.owns(out);
        const [input, second, scratch] = call.scratch;
        const size = Math.max(1, ...parts.map((p) => p.data.BYTES_PER_ELEMENT));
        for (const [c0, c1] of chunks(length, call.chunk / size)) {
          const o = outInPlace ? result.byteOffset + c0 : scratch;
          let written = false;
          parts.forEach((p, i) => {
            const from = Math.max(c0, p.from), to = Math.min(c1, p.to);
            if (from >= to) return;
            const bytes = p.data.BYTES_PER_ELEMENT;
            let a = p.data.byteOffset + from * bytes;
            if (!call.owns(p.data)) {
              call.heap().set(new Uint8Array(p.data.buffer, a, (to - from) * bytes), input);
              a = input;
            }
            if (!written && from === c0 && to === c1) kernels[i]!(to - from, a, o);
            else {
              if (!written) call.heap().fill(0, o, o + c1 - c0);
              kernels[i]!(to - from, a, second);
              w.orBytes(o + from - c0, second, to - from);
            }
            written = true;
          });
          if (!written) call.heap().fill(0, o, o + c1 - c0);
          if (!outInPlace) result.set(call.heap().subarray(o, o + c1 - c0), c0);
        }
        return result;
      }, shared);
    },

    contains(data: LabelArray, label: number): boolean {
      if (!fitsLabelType(data, label)) return false;
      return run((call, w) => {
        const kernel = w[`contains${bits(data)}`];
        for (const [count, , a] of chunksIn(call, data, null)) if (kernel(a, count, label)) return true;
        return false;
      }, ownerOf(data));
    },

    paint(data: LabelArray, region: Uint8Array, label: number, keep: boolean): number {
      return run((call, w) => paintStream(call, w[`paint${bits(data)}`], data, region, label, keep), ownerOf(data));
    },

    paintCounting(data: LabelArray, region: Uint8Array, label: number, keep: boolean): { under: ScanResult; painted: number } {
      return run((call, w) => {
        w.tableBegin(bits(data));
        const painted = paintStream(call, w[`paintCounting${bits(data)}`], data, region, label, keep);
        return { under: call.readScan(w.tableEnd(0) >>> 0, false), painted };
      }, ownerOf(data));
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

    largest(data: LabelArray): number {
      return run((call, w) => {
        const kernel = w[`largest${bits(data)}`];
        let best = 0;
        stream(call, data, null, (count, _from, a) => {
          best = Math.max(best, kernel(a, count) >>> 0);
          return 0;
        });
        return best;
      }, ownerOf(data));
    },

    unpackBits(packed: Uint8Array, out: Uint8Array, zeroed = false): void {
      checkPacked(packed, out);
      run((call, w) => {
        // Voxels per step: whole packed bytes, as many voxels as a scratch buffer holds.
        const step = Math.max(8, Math.floor(call.chunk / 8) * 8);
        const [input, , scratchOut] = call.scratch;
        const target = step <= call.chunk ? scratchOut : call.alloc(step);
        for (let from = 0; from < out.length; from += step) {
          const count = Math.min(step, out.length - from);
          call.heap().set(packed.subarray(from >> 3, (from + count + 7) >> 3), input);
          // An all-background step over zeroed memory is left alone: its pages stay untouched.
          if (w.unpackBits(input, count, target) === 0 && zeroed) continue;
          out.set(call.heap().subarray(target, target + count), from);
        }
      });
    },

    packBits(data: Uint8Array, given?: Uint8Array): Uint8Array {
      const out = packedOut(data, given);
      run((call, w) => {
        // Voxels per step: a multiple of 8, as many as a scratch buffer holds.
        const step = Math.max(8, Math.floor(call.chunk / 8) * 8);
        const [input, , scratchOut] = call.scratch;
        const source = step <= call.chunk ? input : call.alloc(step);
        const target = step <= call.chunk ? scratchOut : call.alloc(step >> 3);
        for (let from = 0; from < data.length; from += step) {
          const count = Math.min(step, data.length - from);
          call.heap().set(data.subarray(from, from + count), source);
          w.packBits(source, count, target);
          out.set(call.heap().subarray(target, target + ((count + 7) >> 3)), from >> 3);
        }
      });
      return out;
    },

    bitRuns(packed: Uint8Array, start: number, count: number): Int32Array {
      checkBitRange(packed, start, count);
      return run((call, w) => {
        // Whole 8-byte words per step (no more than the range needs: a frame is often far
        // smaller than a step), read with 16 bytes of room past them.
        const end = start + count;
        const rangeBytes = ((end + 7) >>> 3) - (start >>> 3);
        const stepBytes = Math.max(8, Math.ceil(Math.min(Math.floor(Math.min(call.chunk, 64 * 1024) / 8) * 8, rangeBytes) / 8) * 8);
        const input = call.alloc(stepBytes + 16);
        const edgesAt = call.alloc(stepBytes * 8 * 4);
        let edges = new Int32Array(64);
        let n = 0;
        for (let byte = start >>> 3; byte * 8 < end; byte += stepBytes) {
          const to = Math.min(byte + stepBytes, (end + 7) >>> 3);
          call.heap().set(packed.subarray(byte, to), input);
          const first = Math.max(start, byte * 8);
          const last = Math.min(end, to * 8);
          const found = w.bitEdges(input, first - byte * 8, last - first, n & 1, edgesAt) >>> 0;
          if (n + found + 1 > edges.length) {
            const grown = new Int32Array(Math.max(2 * edges.length, n + found + 1));
            grown.set(edges.subarray(0, n));
            edges = grown;
          }
          const view = new Int32Array(w.memory.buffer, edgesAt, found);
          const shift = first - start;
          for (let i = 0; i < found; i++) edges[n + i] = view[i]! + shift;
          n += found;
        }
        // A run still open at the end closes there.
        if (n & 1) edges[n++] = count;
        return edges.slice(0, n);
      });
    },

    run: (body) => run(body),
  };
}
