// `npm run bench geometry`: resampling the real 117-organ mask to 1 mm and a CT-sized mask
// to 1.5 mm, beside scipy's ndimage.map_coordinates (order 0) through the same world
// transform in the same run (test/helpers/resample_reference.py); reorienting beside a copy
// of the same bytes (a new array and TypedArray.set), by flips only and with the axes
// reordered.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SegmentationMask, Space, reorient, resample } from "../dist/node.js";
import { median, timedBackends } from "./harness.mjs";
import { pythonEnv } from "./huge-pages.mjs";

const SCRIPT = fileURLToPath(new URL("../test/helpers/resample_reference.py", import.meta.url));

/** Median ms of a new array of the mask's size and TypedArray.set of its bytes. */
function copyMs(data, repeats = 9) {
  const t = [];
  for (let r = 0; r < repeats; r++) {
    globalThis.gc?.();
    const started = performance.now();
    new data.constructor(data.length).set(data);
    t.push(performance.now() - started);
  }
  return median(t);
}

/** scipy's seconds (as ms) for the same resampling, or undefined without scipy. */
function scipy(mask, target) {
  const dir = mkdtempSync(join(tmpdir(), "medmask-geometry-"));
  try {
    writeFileSync(join(dir, "in.raw"), new Uint8Array(mask.data.buffer, mask.data.byteOffset, mask.data.byteLength));
    const request = { path: join(dir, "in.raw"), outPath: join(dir, "out.raw"), dtype: `uint${mask.data.BYTES_PER_ELEMENT * 8}`, source: mask.space.toJSON(), target: target.toJSON() };
    const r = spawnSync("/usr/bin/python3", [SCRIPT], { input: JSON.stringify(request), encoding: "utf8", env: pythonEnv() });
    return r.status === 0 ? JSON.parse(r.stdout).seconds * 1000 : undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A CT-sized mask: three organ-like ellipsoids in a 512x512x300 grid of 0.7 x 0.7 x 1 mm. */
function ctMask() {
  const space = new Space({ shape: [300, 512, 512], spacing: [1, 0.7, 0.7] });
  const data = new Uint8Array(space.voxelCount);
  const organs = [[150, 250, 220, 110, 160, 170], [120, 300, 380, 60, 50, 60], [200, 200, 300, 40, 40, 40]];
  for (let z = 0; z < 300; z++)
    for (let y = 0; y < 512; y++) {
      const row = (z * 512 + y) * 512;
      for (let x = 0; x < 512; x++) organs.forEach(([cz, cy, cx, rz, ry, rx], k) => { if (((z - cz) / rz) ** 2 + ((y - cy) / ry) ** 2 + ((x - cx) / rx) ** 2 <= 1) data[row + x] = k + 1; });
    }
  return new SegmentationMask(data, { liver: 1, spleen: 2, kidney: 3 }, space);
}

export function geometryRows(mask) {
  const rows = [];
  const oneMm = mask.space.applySpacing([1, 1, 1]);
  rows.push({ what: `117-organ case (${mask.shape.join("x")}, 1.5 mm) to 1 mm (${oneMm.shape.join("x")}), nearest`, ...timedBackends(() => resample(mask, oneMm), 5), scipy: scipy(mask, oneMm) });
  rows.push({ what: "the same, label-linear", ...timedBackends(() => resample(mask, oneMm, { method: "label-linear" }), 3) });
  const ct = ctMask();
  const coarse = ct.space.applySpacing([1.5, 1.5, 1.5]);
  rows.push({ what: `CT-sized 512x512x300 (0.7 x 0.7 x 1 mm) to 1.5 mm (${coarse.shape.join("x")}), nearest`, ...timedBackends(() => resample(ct, coarse), 5), scipy: scipy(ct, coarse) });
  const copy = copyMs(mask.data);
  const codes = mask.space.axisCodes.join("");
  const flipped = codes.replace(/[LRPA]/g, (c) => ({ L: "R", R: "L", P: "A", A: "P" })[c]);
  rows.push({ what: `reorient the 117-organ case ${codes} -> ${flipped} (flips only)`, ...timedBackends(() => reorient(mask, flipped), 9), copy });
  const reordered = [...codes].reverse().join("");
  rows.push({ what: `reorient ${codes} -> ${reordered} (axes reordered)`, ...timedBackends(() => reorient(mask, reordered), 9), copy });
  return rows;
}
