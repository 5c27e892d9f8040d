// What both backends of the distance family share: the local search's table.

/**
 * How far (voxels along each axis) the local search of `surfaceDistances` looks before the
 * exact transform decides: surfaces of masks that nearly agree (a prediction against its
 * reference) are settled within it, so they need no transform (`npm run bench compare`).
 */
export const LOCAL_RADIUS = 2;

/** The local search's offsets, nearest first. */
export interface SearchTable {
  /** (dz, dy, dx) of each offset, nearest first. */
  steps: Int32Array;
  /** Each offset's squared length in mm^2 (one formula, so both backends get the same bits). */
  squared: Float64Array;
  /** The squared distance within which a hit is the nearest of all: (radius + 1) x the smallest spacing, squared. */
  reach: number;
}

/**
 * Every offset of the cube of `radius` voxels about a voxel, nearest first through `spacing`
 * (z, y, x): the first feature met walking it is the nearest in the cube, and the nearest of
 * all when within `reach` (anything outside the cube is at least that far).
 */
export function searchTable([sz, sy, sx]: readonly [number, number, number], radius = LOCAL_RADIUS): SearchTable {
  const offsets: Array<[number, number, number, number]> = [];
  for (let dz = -radius; dz <= radius; dz++)
    for (let dy = -radius; dy <= radius; dy++)
      for (let dx = -radius; dx <= radius; dx++) {
        const fz = dz * sz, fy = dy * sy, fx = dx * sx;
        offsets.push([dz, dy, dx, fz * fz + fy * fy + fx * fx]);
      }
  offsets.sort((a, b) => a[3] - b[3]);
  const reach = (radius + 1) * Math.min(sz, sy, sx);
  return { steps: Int32Array.from(offsets.flatMap(([dz, dy, dx]) => [dz, dy, dx])), squared: Float64Array.from(offsets.map((o) => o[3])), reach: reach * reach };
}
