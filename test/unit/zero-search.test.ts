// The platform's in-place search for background at a volume's ends (Node: memcmp), which
// replaces the kernels' search for arrays outside WASM memory.
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { jsKernels, wasmBackend } from "../../src/index.js";
import { residentLabels } from "../../src/kernels/index.js";
import { occupiedEnds } from "../../src/kernels/occupied.js";
import type { ZeroSearch } from "../../src/kernels/zero-search.js";
import { registerPlatform } from "../../src/platform.js";
import { nodeZeroSearch } from "../../src/node/zero-search.js";
import { refOccupied } from "../helpers/reference.js";
import { EDGE_LENGTHS, sparseVolumeArb } from "../helpers/volumes.js";

const BLOCK = 64 * 1024;
/** Lengths at the edges of the vector widths and of the 64 KiB compare blocks. */
const LENGTHS = [...EDGE_LENGTHS, BLOCK - 1, BLOCK, BLOCK + 1, 2 * BLOCK + 63, 3 * BLOCK + 17];

const refLeading = (b: Uint8Array) => {
  const i = b.findIndex((v) => v !== 0);
  return i < 0 ? b.length : i;
};
const refTrailing = (b: Uint8Array) => {
  const i = b.findLastIndex((v) => v !== 0);
  return i < 0 ? b.length : b.length - 1 - i;
};

afterEach(() => registerPlatform({ zeroSearch: null }));

describe("nodeZeroSearch", () => {
  it("counts the zero bytes at each end like a plain loop: any length, offset and non-zero bytes", () => {
    const arb = fc.record({
      length: fc.oneof(fc.constantFrom(...LENGTHS), fc.integer({ min: 0, max: 3 * BLOCK })),
      offset: fc.integer({ min: 0, max: 7 }),
      spots: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(arb, ({ length, offset, spots }) => {
        const bytes = new Uint8Array(length + offset + 5).fill(9).subarray(offset, offset + length).fill(0);
        for (const [at, v] of spots) if (length > 0) bytes[at % length] = v;
        expect(nodeZeroSearch.leadingZeros(bytes)).toBe(refLeading(bytes));
        expect(nodeZeroSearch.trailingZeros(bytes)).toBe(refTrailing(bytes));
      }),
      { numRuns: 300 },
    );
  });

  it("finds one non-zero byte at every position around the block and narrowing edges", () => {
    const bytes = new Uint8Array(3 * BLOCK + 17);
    const positions = [0, 1, 63, 64, 65, 127, 128, BLOCK / 2, BLOCK - 1, BLOCK, BLOCK + 1, 2 * BLOCK - 1, 3 * BLOCK, bytes.length - 1];
    for (const at of positions) {
      bytes[at] = 1;
      expect([nodeZeroSearch.leadingZeros(bytes), nodeZeroSearch.trailingZeros(bytes)]).toEqual([at, bytes.length - 1 - at]);
      bytes[at] = 0;
    }
    expect([nodeZeroSearch.leadingZeros(bytes), nodeZeroSearch.trailingZeros(bytes)]).toEqual([bytes.length, bytes.length]);
  });
});

describe("occupiedEnds with the Node search registered", () => {
  it("gives the reference first and last voxel at every bit depth (labels set in their high byte only)", () => {
    registerPlatform({ zeroSearch: nodeZeroSearch });
    fc.assert(
      fc.property(sparseVolumeArb(LENGTHS.filter((n) => n < 2 * BLOCK)), (data) => {
        for (const kernels of [jsKernels, wasmBackend()]) expect(occupiedEnds(kernels, data)).toEqual(refOccupied(data));
      }),
      { numRuns: 200 },
    );
  });

  it("is used for ordinary arrays and not for voxels in WASM memory, which the kernels read in place", () => {
    const calls: string[] = [];
    const spy: ZeroSearch = {
      leadingZeros: (b) => (calls.push("leading"), nodeZeroSearch.leadingZeros(b)),
      trailingZeros: (b) => (calls.push("trailing"), nodeZeroSearch.trailingZeros(b)),
    };
    registerPlatform({ zeroSearch: spy });
    const ordinary = new Uint16Array(100);
    ordinary[40] = 512;
    expect(occupiedEnds(wasmBackend(), ordinary)).toEqual([40, 40]);
    expect(calls).toEqual(["leading", "trailing"]);
    calls.length = 0;
    const resident = residentLabels(2, 100).data;
    resident[40] = 512;
    expect(occupiedEnds(wasmBackend(), resident)).toEqual([40, 40]);
    expect(calls).toEqual([]);
  });
});
