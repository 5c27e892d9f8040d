import type { LabelArray } from "../bitdepth.js";
import { checkAccumulateOut } from "./checks.js";
import { IN_PLACE_CHUNKS, PAGE_BYTES, bytesOf, chunks, type Call, type CoreExports } from "./wasm-instance.js";

// Streaming: a volume crosses into WASM memory a chunk at a time (or is read in place when it
// lies in the call's memory, a resident volume), each chunk goes through a kernel while it
// is in cache, and outputs come back out a chunk at a time. The adapters in wasm.ts give
// each kernel its chunk function.

/** paint and paintCounting: (data, region, voxels, label, keep) -> voxels painted. */
export type PaintKernel = (data: number, region: number, len: number, label: number, keep: number) => number;

/**
 * `data` (and `region`, voxel for voxel) a chunk at a time, as WASM pointers: copied into
 * scratch[0] (and scratch[1]), or in place when they lie in the call's memory (a resident
 * volume). Yields each chunk's voxel count, first voxel, and the two pointers. A
 * consumer may stop early. Chunks larger than the scratch buffers are taken only when
 * nothing goes through them: the inputs lie in the call's memory and so does the
 * output (`outputInPlace`), else an output chunk written to scratch would overrun it.
 */
export function* chunksIn(call: Call, data: LabelArray, region: Uint8Array | null, outputInPlace = true): Generator<[number, number, number, number]> {
  const size = data.BYTES_PER_ELEMENT;
  const bytes = bytesOf(data);
  const [sa, sb] = call.scratch;
  const inPlace = call.owns(data), regionInPlace = region !== null && call.owns(region);
  // Nothing to copy: chunks only bound the calls (a copied chunk must fit the scratch).
  const step = inPlace && (region === null || regionInPlace) && outputInPlace ? call.chunk * IN_PLACE_CHUNKS : call.chunk;
  for (const [from, to] of chunks(data.length, step / size)) {
    const heap = call.heap();
    if (!inPlace) heap.set(bytes.subarray(from * size, to * size), sa);
    if (region && !regionInPlace) heap.set(region.subarray(from, to), sb);
    const a = inPlace ? data.byteOffset + from * size : sa;
    const b = regionInPlace ? region.byteOffset + from : sb;
    yield [to - from, from, a, b];
  }
}

/**
 * Streams `data` (and `region`) through the kernel: `kernel` sees each chunk's pointers
 * and returns how many voxels of it changed, in which case (with `writeBack`) a copied
 * chunk is copied back over `data` (a resident one was changed in place).
 */
export function stream(call: Call, data: LabelArray, region: Uint8Array | null, kernel: (count: number, from: number, a: number, b: number) => number, writeBack = false, outputInPlace = true): void {
  const size = data.BYTES_PER_ELEMENT;
  const back = writeBack && !call.owns(data);
  for (const [count, from, a, b] of chunksIn(call, data, region, outputInPlace)) {
    const changed = kernel(count, from, a, b);
    if (back && changed > 0) bytesOf(data).set(call.heap().subarray(a, a + count * size), from * size);
  }
}

/**
 * Streams `data` and `region` through a paint kernel, writing back the chunks it changed;
 * the number of voxels painted.
 */
export function paintStream(call: Call, kernel: PaintKernel, data: LabelArray, region: Uint8Array, label: number, keep: boolean): number {
  let painted = 0;
  stream(
    call,
    data,
    region,
    (count, _from, a, b) => {
      const n = kernel(a, b, count, label, keep ? 1 : 0) >>> 0;
      painted += n;
      return n;
    },
    true,
  );
  return painted;
}

/**
 * Streams `data` through a binary-output kernel `kernel(count, input, output)` into
 * `out`: written in place when `out` lies in the call's memory (a resident volume's mask
 * buffer), else into scratch[2] and copied out. Into a fresh (zeroed) array only the
 * spans that hold voxels are copied (see below): untouched pages of new memory cost
 * nothing.
 */
export function streamToBinary(call: Call, w: CoreExports, data: LabelArray, out: Uint8Array | undefined, kernel: (count: number, a: number, o: number) => void): Uint8Array {
  const result = out ?? new Uint8Array(data.length);
  const inPlace = out !== undefined && call.owns(out);
  // Into fresh (zeroed) memory only the spans that hold voxels are copied: an organ's mask
  // has far fewer pages with voxels than the chunks that hold any, and each fresh page
  // written costs a fault.
  const spans = out ? 0 : call.alloc(8 * (Math.floor(call.chunk / PAGE_BYTES / 2) + 1));
  stream(call, data, null, (count, from, a) => {
    const o = inPlace ? result.byteOffset + from : call.scratch[2];
    kernel(count, a, o);
    if (inPlace) return 0;
    const heap = call.heap();
    if (out) {
      result.set(heap.subarray(o, o + count), from);
      return 0;
    }
    const n = w.nonZeroSpans(o, count, PAGE_BYTES, spans) >>> 0;
    const list = new Uint32Array(heap.buffer, spans, 2 * n);
    for (let i = 0; i < list.length; i += 2) result.set(heap.subarray(o + list[i]!, o + list[i + 1]!), from + list[i]!);
    return 0;
  }, false, inPlace);
  return result;
}

/**
 * `streamToBinary` OR-ed into `out` (`accumulate`): each chunk's selection goes to
 * scratch[2] and is OR-ed into `out`'s chunk (copied in at scratch[1], or in place when
 * `out` lies in the call's memory), so a union across layers reads each layer once.
 */
export function streamOrBinary(call: Call, w: CoreExports, data: LabelArray, out: Uint8Array, kernel: (count: number, a: number, o: number) => void): Uint8Array {
  const size = data.BYTES_PER_ELEMENT;
  const bytes = bytesOf(data);
  const [sa, sb, so] = call.scratch;
  const dataInPlace = call.owns(data), outInPlace = call.owns(out);
  for (const [from, to] of chunks(data.length, call.chunk / size)) {
    const count = to - from;
    const heap = call.heap();
    if (!dataInPlace) heap.set(bytes.subarray(from * size, to * size), sa);
    if (!outInPlace) heap.set(out.subarray(from, to), sb);
    const b = outInPlace ? out.byteOffset + from : sb;
    kernel(count, dataInPlace ? data.byteOffset + from * size : sa, so);
    w.orBytes(b, so, count);
    if (!outInPlace) out.set(call.heap().subarray(b, b + count), from);
  }
  return out;
}

/** The binary output of `kernel`: written into `out` (or a fresh array), or OR-ed into `out` with `accumulate`. */
export function toBinary(call: Call, w: CoreExports, data: LabelArray, out: Uint8Array | undefined, accumulate: boolean, kernel: (count: number, a: number, o: number) => void): Uint8Array {
  return accumulate ? streamOrBinary(call, w, data, checkAccumulateOut(out, data.length), kernel) : streamToBinary(call, w, data, out, kernel);
}
