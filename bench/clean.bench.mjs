// `npm run bench clean`: connected components of every organ of the real 117-organ mask
// (in one call, and one name at a time; 26-connected) beside scipy's ndimage.label on the same boxes in the same
// run (test/helpers/clean_bench.py); single-label throughput on a CT-sized mask (megavoxels
// per second of the label's box, as cc3d's README reports it); a 5 mm dilation of a CT-sized
// organ, beside scipy's binary_dilation with the same ellipsoid (and erosion), and the floor
// of any new CT-sized mask: a copy of its bytes into new memory.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SegmentationMask, Space, connectedComponents, dilate, erode } from "../dist/node.js";
import { timedBackends } from "./harness.mjs";
import { pythonEnv } from "./huge-pages.mjs";

const SCRIPT = fileURLToPath(new URL("../test/helpers/clean_bench.py", import.meta.url));

function scipy(mask, extra = {}) {
  const dir = mkdtempSync(join(tmpdir(), "medmask-clean-"));
  try {
    writeFileSync(join(dir, "in.raw"), new Uint8Array(mask.data.buffer, mask.data.byteOffset, mask.data.byteLength));
    const request = { path: join(dir, "in.raw"), dtype: `uint${mask.data.BYTES_PER_ELEMENT * 8}`, shape: mask.shape, spacing: mask.space.spacing, ...extra };
    const r = spawnSync("/usr/bin/python3", [SCRIPT], { input: JSON.stringify(request), encoding: "utf8", env: pythonEnv() });
    return r.status === 0 ? JSON.parse(r.stdout) : {};
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A CT-sized mask: one organ-like ellipsoid (the liver's size) in a 512x512x300 grid. */
function ctOrgan() {
  const space = new Space({ shape: [300, 512, 512], spacing: [1, 0.7, 0.7] });
  const data = new Uint8Array(space.voxelCount);
  for (let z = 0; z < 300; z++)
    for (let y = 0; y < 512; y++) {
      const row = (z * 512 + y) * 512;
      for (let x = 0; x < 512; x++) if (((z - 150) / 110) ** 2 + ((y - 250) / 160) ** 2 + ((x - 220) / 170) ** 2 <= 1) data[row + x] = 1;
    }
  return new SegmentationMask(data, { organ: 1 }, space);
}

export function cleanRows(mask) {
  const names = mask.labelStats().filter((s) => s.voxels > 0).map((s) => s.name);
  const rows = [];
  const theirsAll = scipy(mask).labelAll;
  rows.push({ what: `components of every organ (${names.length}) of the 117-organ case, 26-connected, in one call`, ...timedBackends(() => connectedComponents(mask), 7), scipy: theirsAll });
  rows.push({ what: `the same, one name at a time (${names.length} calls, each a pass over the mask)`, ...timedBackends(() => names.forEach((n) => connectedComponents(mask, n)), 7), scipy: theirsAll });
  const ct = ctOrgan();
  const box = ct.labelStats()[0].bbox;
  const boxVoxels = (box.max[0] - box.min[0] + 1) * (box.max[1] - box.min[1] + 1) * (box.max[2] - box.min[2] + 1);
  const one = timedBackends(() => connectedComponents(ct, "organ"), 3);
  rows.push({ what: `one CT-sized organ (${(boxVoxels / 1e6).toFixed(1)} M voxels of box): components`, ...one, mvps: (boxVoxels / 1e6) / (one.wasm / 1000) });
  const theirs = scipy(ct, { dilateLabel: 1, radiusMm: 5, repeats: 1 });
  rows.push({ what: "the same organ dilated by 5 mm", ...timedBackends(() => dilate(ct, 5), 3), scipy: theirs.dilate });
  rows.push({ what: "the same organ eroded by 5 mm", ...timedBackends(() => erode(ct, 5), 3), scipy: theirs.erode });
  // What any new CT-sized mask costs here before a voxel is computed: its bytes in new memory.
  const floor = timedBackends(() => new Uint8Array(ct.data), 3);
  rows.push({ what: "floor: a copy of that mask into new memory (every call above returns a new mask)", ...floor });
  return rows;
}
