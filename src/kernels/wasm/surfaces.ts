// The WASM adapter of the surfaces family (assembly/surfaces.ts): the volume in WASM memory
// once (in place when it is resident), then per label its runs, its slices of corners one
// call each, and its outputs grown when a slice fills them (the slice is then made again from
// the counts before it), copied out once per label; each label's blocks are freed before the
// next, so memory holds one label's work beside the volume.
import type { LabelArray } from "../../bitdepth.js";
import { TABLE_BYTES, type SurfaceTables } from "../surface-tables.js";
import type { Box6, Dims, RawSurface } from "../types.js";
import type { Call, KernelExports, Runner } from "../wasm-instance.js";
import { gatherRuns } from "./components.js";

// The state block's i32 slots (assembly/surfaces.ts S_*).
const S = {
  data: 0, nx: 1, ny: 2, nz: 3, label: 4, x0: 5, y0: 6, z0: 7, x1: 8, y1: 9, z1: 10, runs: 11, rowStart: 12, tables: 13,
  basePrev: 14, baseCur: 15, codePrev: 16, codeCur: 17, midXPrev: 18, midXCur: 19, midYPrev: 20, midYCur: 21, midZ: 22, mixed: 23,
  positions: 24, keys: 25, tris: 26, mids: 27, nV: 28, nT: 29, nM: 30, capV: 31, capT: 32, capM: 33,
} as const;
const SLOTS = 34;

/** An output buffer of the state: its pointer and capacity slots, and bytes per item. */
interface Output {
  ptr: number;
  count: number;
  cap: number;
  bytes: number;
}
const OUTPUTS: readonly Output[] = [
  { ptr: S.positions, count: S.nV, cap: S.capV, bytes: 12 },
  { ptr: S.keys, count: S.nV, cap: S.capV, bytes: 8 },
  { ptr: S.tris, count: S.nT, cap: S.capT, bytes: 12 },
  { ptr: S.mids, count: S.nM, cap: S.capM, bytes: 12 },
];

/** `SurfaceKernels.surfaces` (see assembly/surfaces.ts). */
export function surfaces(run: Runner, data: LabelArray, dims: Dims, labels: readonly number[], boxes: readonly Box6[], t: SurfaceTables, withKeys: boolean): RawSurface[] {
  // Without keys their block is 0: the kernel writes none, and it is never grown.
  const outputs = OUTPUTS.filter((o) => withKeys || o.ptr !== S.keys);
  const size = data.BYTES_PER_ELEMENT;
  // A label the type cannot hold is on no voxel: its surface is empty.
  const empty = (): RawSurface => ({ positions: new Float32Array(0), keys: new Float64Array(0), indices: new Uint32Array(0), mids: new Uint32Array(0) });
  return run((call, w) => {
    const [nz, ny, nx] = dims;
    const dataPtr = call.owns(data) ? data.byteOffset : call.copyIn(data);
    const tables = call.copyIn(t.packed.subarray(0, TABLE_BYTES));
    const state = call.alloc(4 * SLOTS);
    const slice = (state: number, cz: number): number => w.surfaceSlice(state, cz, size);
    // The volume as the components adapter reads it: a view of WASM memory, made now.
    const resident = (): LabelArray => {
      const buffer = w.memory.buffer;
      return size === 1 ? new Uint8Array(buffer, dataPtr, data.length) : size === 2 ? new Uint16Array(buffer, dataPtr, data.length) : new Uint32Array(buffer, dataPtr, data.length);
    };
    return labels.map((label, index) => {
      if (label >= 2 ** (8 * size)) return empty();
      const [z0, y0, x0, z1, y1, x1] = boxes[index]!;
      const blocks: number[] = [];
      const own = (bytes: number): number => {
        const ptr = call.alloc(bytes);
        blocks.push(ptr);
        return ptr;
      };
      const { runs, count } = gatherRuns(call, w, resident(), dims, label, [z0, y0, z1, y1]);
      blocks.push(runs);
      const rowStart = own(4 * (nz * ny + 1));
      w.rowStarts(runs, count, nz * ny, rowStart);
      const corners = (x1 - x0 + 2) * (y1 - y0 + 2);
      const set = (slot: number, value: number): void => {
        new Int32Array(w.memory.buffer, state, SLOTS)[slot] = value;
      };
      const get = (slot: number): number => new Int32Array(w.memory.buffer, state, SLOTS)[slot]!;
      const slots: [number, number][] = [[S.basePrev, 4], [S.baseCur, 4], [S.codePrev, 1], [S.codeCur, 1], [S.midXPrev, 4], [S.midXCur, 4], [S.midYPrev, 4], [S.midYCur, 4], [S.midZ, 4], [S.mixed, 4]];
      const pointers = slots.map(([slot, bytes]) => [slot, own(bytes * corners)] as const);
      // A first guess from the label's runs (its faces are near twice its runs' ends); grown on demand.
      const guess = Math.max(1024, 4 * count);
      const blocksOut = new Map<number, number>([[S.keys, 0]]);
      for (const o of outputs) blocksOut.set(o.ptr, call.alloc(o.bytes * (o.cap === S.capM ? 64 : o.cap === S.capT ? 2 * guess : guess)));
      const values: (readonly [number, number])[] = [
        [S.data, dataPtr], [S.nx, nx], [S.ny, ny], [S.nz, nz], [S.label, label], [S.x0, x0], [S.y0, y0], [S.z0, z0], [S.x1, x1], [S.y1, y1], [S.z1, z1],
        [S.runs, runs], [S.rowStart, rowStart], [S.tables, tables], [S.nV, 0], [S.nT, 0], [S.nM, 0], [S.capV, guess], [S.capT, 2 * guess], [S.capM, 64],
        ...pointers,
      ];
      for (const [slot, value] of values) set(slot, value);
      for (const [slot, ptr] of blocksOut) set(slot, ptr);
      for (let cz = z0; cz <= z1 + 1; cz++) {
        const before = [get(S.nV), get(S.nT), get(S.nM)] as const;
        while (slice(state, cz) !== 0) grow(call, w, outputs, before, get, set);
        for (const [a, b] of [[S.basePrev, S.baseCur], [S.codePrev, S.codeCur], [S.midXPrev, S.midXCur], [S.midYPrev, S.midYCur]] as const) {
          const [pa, pb] = [get(a), get(b)];
          set(a, pb);
          set(b, pa);
        }
      }
      const [nV, nT, nM] = [get(S.nV), get(S.nT), get(S.nM)];
      const buffer = w.memory.buffer;
      const result: RawSurface = {
        positions: new Float32Array(buffer, get(S.positions), 3 * nV).slice(),
        keys: withKeys ? new Float64Array(buffer, get(S.keys), nV).slice() : new Float64Array(0),
        indices: new Uint32Array(buffer, get(S.tris), 3 * nT).slice(),
        mids: new Uint32Array(buffer, get(S.mids), 3 * nM).slice(),
      };
      for (const o of outputs) call.release(get(o.ptr));
      for (const ptr of blocks) call.release(ptr);
      return result;
    });
  });
}

/** Every output the slice overfilled, grown to half again what it needed; the counts back to `before`. */
function grow(call: Call, w: KernelExports, outputs: readonly Output[], before: readonly [number, number, number], get: (slot: number) => number, set: (slot: number, value: number) => void): void {
  const capacities = [[S.nV, S.capV, before[0]], [S.nT, S.capT, before[1]], [S.nM, S.capM, before[2]]] as const;
  for (const [count, capSlot, kept] of capacities) {
    const need = get(count), cap = get(capSlot);
    if (need <= cap) continue;
    const grownCap = Math.max(2 * cap, Math.ceil(need * 1.5));
    for (const o of outputs.filter((output) => output.cap === capSlot)) {
      const grown = call.alloc(o.bytes * grownCap), old = get(o.ptr);
      new Uint8Array(w.memory.buffer).copyWithin(grown, old, old + o.bytes * kept);
      call.release(old);
      set(o.ptr, grown);
    }
    set(capSlot, grownCap);
  }
  for (const [count, , kept] of capacities) set(count, kept);
}
