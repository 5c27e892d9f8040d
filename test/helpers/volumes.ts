import fc from "fast-check";
import type { BitDepth, LabelArray } from "../../src/index.js";

export const BIT_DEPTHS: readonly BitDepth[] = [1, 8, 16, 32];
/** Lengths where SIMD main loops and scalar tails meet, plus one past a page-ish size. */
export const EDGE_LENGTHS = [0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 4097] as const;
/** Shapes whose rows are not multiples of the vector width. */
export const ODD_DIMS: ReadonlyArray<readonly [number, number, number]> = [
  [1, 1, 1], [1, 1, 17], [3, 5, 7], [2, 3, 17], [4, 1, 33], [5, 7, 16], [2, 2, 4097],
];

export function maxOf(bitDepth: BitDepth): number {
  return bitDepth === 32 ? 0xffffffff : 2 ** bitDepth - 1;
}

export function arrayFor(bitDepth: BitDepth, values: ArrayLike<number>): LabelArray {
  if (bitDepth === 32) return Uint32Array.from(values);
  if (bitDepth === 16) return Uint16Array.from(values);
  return Uint8Array.from(values);
}

/** Labels worth testing for a bit depth: background, small ones, and the top of the range. */
export function interestingLabels(bitDepth: BitDepth): number[] {
  const max = maxOf(bitDepth);
  return [...new Set([0, 1, 2, 3, Math.min(7, max), max - 1, max].filter((v) => v >= 0 && v <= max))];
}

/** A volume made of runs of labels, like real masks, for one bit depth and shape. */
export function volumeArb(bitDepth: BitDepth, length: number): fc.Arbitrary<LabelArray> {
  const max = maxOf(bitDepth);
  const label = fc.oneof(fc.constantFrom(...interestingLabels(bitDepth)), fc.integer({ min: 0, max }));
  const run = fc.tuple(label, fc.integer({ min: 1, max: 40 }));
  return fc.array(run, { maxLength: 64 }).map((runs) => {
    const values = new Array<number>(length).fill(0);
    let p = 0;
    for (let r = 0; p < length && runs.length > 0; r++) {
      const [v, n] = runs[r % runs.length]!;
      for (let k = 0; k < n && p < length; k++) values[p++] = v;
    }
    return arrayFor(bitDepth, values);
  });
}

/** Dims from the odd list or random small ones (some empty). */
export const dimsArb: fc.Arbitrary<readonly [number, number, number]> = fc.oneof(
  fc.constantFrom(...ODD_DIMS),
  fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 40 })),
);

/** A random binary region of `length` voxels (runs of 0/1, sometimes all empty). */
export function regionArb(length: number): fc.Arbitrary<Uint8Array> {
  return volumeArb(1, length).map((v) => v as Uint8Array);
}

/**
 * Mostly-background volumes: one or two labels anywhere in `lengths` voxels (or 0-600), at a
 * byte offset of 0-3, every bit depth. Labels whose only non-zero byte is the high one (256
 * in 16 bits, 2^24 in 32) catch a byte index turned into the wrong voxel.
 */
export function sparseVolumeArb(lengths: readonly number[]): fc.Arbitrary<LabelArray> {
  return fc
    .constantFrom(...BIT_DEPTHS)
    .chain((bitDepth) =>
      fc.record({
        bitDepth: fc.constant(bitDepth),
        length: fc.oneof(fc.constantFrom(...lengths), fc.integer({ min: 0, max: 600 })),
        offset: fc.integer({ min: 0, max: 3 }),
        spots: fc.array(fc.tuple(fc.nat(), fc.constantFrom(1, maxOf(bitDepth), bitDepth >= 16 ? 256 : 2, bitDepth === 32 ? 2 ** 24 : 3)), { maxLength: 2 }),
      }),
    )
    .map(({ bitDepth, length, offset, spots }) => {
      const data = arrayFor(bitDepth, new Array(length + offset).fill(0)).subarray(offset) as LabelArray;
      for (const [at, v] of spots) if (length > 0) data[at % length] = v;
      return data;
    });
}

/**
 * Seeded balls of labels 1..3 on `space`'s grid (index units): `count` of them, radii from
 * `minRadius` to `minRadius + spread`; with `edge`, the first is centred on the x = 0 face.
 */
export function randomBalls(shape: readonly number[], seed: number, { count, minRadius, spread, edge = false }: { count: number; minRadius: number; spread: number; edge?: boolean }): Uint8Array {
  const [nz, ny, nx] = shape as [number, number, number];
  const data = new Uint8Array(nz * ny * nx);
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (let k = 0; k < count; k++) {
    const c = [rand() * nz, rand() * ny, edge && k === 0 ? 0 : rand() * nx], r = minRadius + rand() * spread;
    for (let z = 0; z < nz; z++) for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) if (Math.hypot(z - c[0]!, y - c[1]!, x - c[2]!) <= r) data[(z * ny + y) * nx + x] = 1 + (k % 3);
  }
  return data;
}
