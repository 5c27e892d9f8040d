// What both backends of the distance family share.

/**
 * How far (voxels along each axis) the local search of `surfaceDistances` looks before the
 * exact transform decides: surfaces of masks that nearly agree (a prediction against its
 * reference) are settled within it, so they need no transform (`npm run bench compare`).
 */
export const LOCAL_RADIUS = 2;
