// Random spaces for property tests: any rotation (from a unit quaternion), the signed axis
// permutations files carry (RAS, LPS, sagittal, coronal), and the identity, with anisotropic
// spacing and any origin.
import fc from "fast-check";
import { Space } from "../../src/index.js";

type V3 = [number, number, number];

/** Orientation columns from a quaternion (normalised here). */
function rotation(q: readonly number[]): [V3, V3, V3] {
  const n = Math.hypot(...q);
  const [w, x, y, z] = q.map((v) => v / n) as [number, number, number, number];
  return [
    [1 - 2 * (y * y + z * z), 2 * (x * y + w * z), 2 * (x * z - w * y)],
    [2 * (x * y - w * z), 1 - 2 * (x * x + z * z), 2 * (y * z + w * x)],
    [2 * (x * z + w * y), 2 * (y * z - w * x), 1 - 2 * (x * x + y * y)],
  ];
}

const quaternionArb = fc.tuple(...[0, 1, 2, 3].map(() => fc.double({ min: -1, max: 1, noNaN: true }))).filter((q) => Math.hypot(...q) > 0.1);

/** Each axis along a world axis, either way: the orientations of real files. */
const signedPermutationArb = fc.tuple(fc.constantFrom([0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]), fc.tuple(fc.boolean(), fc.boolean(), fc.boolean())).map(([p, signs]) =>
  p.map((w, a) => [0, 1, 2].map((r) => (r === w ? (signs[a] ? -1 : 1) : 0))) as [V3, V3, V3],
);

/** The orientation of a random space: identity, axis-aligned or rotated. */
export const orientationArb = fc.oneof(fc.constant<[V3, V3, V3]>([[1, 0, 0], [0, 1, 0], [0, 0, 1]]), signedPermutationArb, quaternionArb.map(rotation));

/** A random space with `shape` entries up to `maxShape`. */
export const spaceArb = (maxShape: V3 = [7, 9, 11], orientation = orientationArb): fc.Arbitrary<Space> =>
  fc
    .record({
      shape: fc.tuple(...maxShape.map((m) => fc.integer({ min: 1, max: m }))),
      spacing: fc.tuple(...[0, 1, 2].map(() => fc.double({ min: 0.05, max: 8, noNaN: true }))),
      origin: fc.tuple(...[0, 1, 2].map(() => fc.double({ min: -900, max: 900, noNaN: true }))),
      axes: orientation,
    })
    .map(({ shape, spacing, origin, axes }) => new Space({ shape, spacing, origin, xOrientation: axes[0], yOrientation: axes[1], zOrientation: axes[2] }));

/** Rotated spaces only (the python-peer suite's). */
export const rotatedSpaceArb = (maxShape?: V3): fc.Arbitrary<Space> => spaceArb(maxShape, quaternionArb.map(rotation));
