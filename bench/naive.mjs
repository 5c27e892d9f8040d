// The naive JavaScript loops the performance issue quotes (histogram 17 ms, boxes 23 ms,
// 6-label LUT union 19 ms on its machine), measured here in the same run: the pure-JS
// backend must be no slower than these, so the WASM/JS ratio is against a fair build.
import { measure } from "./harness.mjs";

/** Voxel count of every 8-bit label: one increment per voxel. */
function histogram(data) {
  const counts = new Float64Array(256);
  for (let i = 0; i < data.length; i++) counts[data[i]]++;
  return counts;
}

/** Inclusive box of every 8-bit label: a min/max update per labelled voxel. */
function boxes(data, [nz, ny, nx]) {
  const box = new Int32Array(256 * 6);
  for (let l = 0; l < 256; l++) box.set([nz, ny, nx, -1, -1, -1], l * 6);
  let i = 0;
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const l = data[i++];
        if (l === 0) continue;
        const b = l * 6;
        if (z < box[b]) box[b] = z;
        if (y < box[b + 1]) box[b + 1] = y;
        if (x < box[b + 2]) box[b + 2] = x;
        if (z > box[b + 3]) box[b + 3] = z;
        if (y > box[b + 4]) box[b + 4] = y;
        if (x > box[b + 5]) box[b + 5] = x;
      }
  return box;
}

/** 0/1 union of `labels` through a 256-entry lookup table, into a fresh array. */
function lutUnion(data, labels) {
  const lut = new Uint8Array(256);
  for (const l of labels) lut[l] = 1;
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = lut[data[i]];
  return out;
}

/** Mean ms of each naive loop on `mask` (uint8). */
export function naiveTimes(mask, sixLabels) {
  const data = mask.data;
  return {
    histogram: measure("naive histogram", () => histogram(data)).mean,
    boxes: measure("naive boxes", () => boxes(data, mask.shape)).mean,
    union6: measure("naive 6-label union", () => lutUnion(data, sixLabels)).mean,
  };
}
