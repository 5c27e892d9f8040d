import { GeometryError, InputError } from "./errors.js";

/** A binary region: a Uint8Array (non-zero = inside) or any array of booleans/numbers. */
export type RegionLike = Uint8Array | ArrayLike<boolean | number>;

/** The region as a Uint8Array of `length` voxels (non-zero = inside), copying only when needed. */
export function toRegion(region: RegionLike, length: number): Uint8Array {
  if (region === null || typeof region !== "object" || typeof region.length !== "number") {
    throw new InputError("INVALID_DATA", "A region must be a Uint8Array or an array of booleans/numbers, one per voxel.");
  }
  if (region.length !== length) {
    throw new GeometryError(
      "SHAPE_MISMATCH",
      `The region has ${region.length} voxels but the mask has ${length}; both must cover the same grid.`,
    );
  }
  if (region instanceof Uint8Array) return region;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = region[i] ? 1 : 0;
  return out;
}
