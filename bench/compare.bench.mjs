// `npm run bench compare`: compareMasks (Dice, Hausdorff, HD95, ASSD, NSD of every label) on
// the real 117-organ mask against a copy of it with every organ grown by one voxel, beside
// scipy (Debian's python3-scipy: distance_transform_edt with sampling, binary_erosion,
// numpy.percentile, each organ on the union of its two boxes, as medmask works: the
// reference test/helpers/compare_reference.py) in the same run; and a CT-sized pair
// (512x512x300, 100 labels, one copy shifted by a voxel). Surfaces that nearly agree are
// settled by a local search; a row with surfaces 6 voxels apart measures the transform.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SegmentationMask, compareMasks, setBackend } from "../dist/node.js";
import { synthetic } from "./ct.bench.mjs";
import { median } from "./harness.mjs";
import { pythonEnv } from "./huge-pages.mjs";

const SCRIPT = fileURLToPath(new URL("../test/helpers/compare_reference.py", import.meta.url));

/** Every organ grown by one voxel (6-neighbours) into the background around it. */
function grown(mask) {
  const [nz, ny, nx] = mask.shape;
  const src = mask.data, out = src.slice();
  const plane = ny * nx;
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const i = z * plane + y * nx + x;
        if (src[i] !== 0) continue;
        const near = (x > 0 && src[i - 1]) || (x + 1 < nx && src[i + 1]) || (y > 0 && src[i - nx]) || (y + 1 < ny && src[i + nx]) || (z > 0 && src[i - plane]) || (z + 1 < nz && src[i + plane]);
        if (near) out[i] = near;
      }
  return new SegmentationMask(out, mask.mapping.toJSON(), mask.space);
}

/** Every voxel moved `steps` along x, within its row (what falls off the row's end is gone). */
function shifted(mask, steps = 1) {
  const out = new mask.data.constructor(mask.data.length);
  const nx = mask.shape[2];
  for (let row = 0; row < mask.data.length; row += nx) out.set(mask.data.subarray(row, row + nx - steps), row + steps);
  return new SegmentationMask(out, mask.mapping.toJSON(), mask.space, { bitDepth: mask.bitDepth });
}

/** medmask's median ms over `repeats` on each backend. */
function ours(a, b, repeats) {
  const times = {};
  for (const backend of ["wasm", "js"]) {
    setBackend(backend);
    compareMasks(a, b); // warm
    const t = [];
    for (let r = 0; r < repeats; r++) {
      const started = performance.now();
      compareMasks(a, b);
      t.push(performance.now() - started);
    }
    times[backend] = median(t);
  }
  setBackend("auto");
  return times;
}

/** scipy's seconds for the same labels (the loop only, not the load). */
function scipy(a, b) {
  const dir = mkdtempSync(join(tmpdir(), "medmask-compare-"));
  try {
    const bytes = (m) => new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.byteLength);
    writeFileSync(join(dir, "a.raw"), bytes(a));
    writeFileSync(join(dir, "b.raw"), bytes(b));
    const labels = a.labelStats().filter((s) => s.voxels > 0).map((s) => [s.label, s.label]);
    const dtype = (m) => `uint${m.data.BYTES_PER_ELEMENT * 8}`;
    const request = { a: join(dir, "a.raw"), b: join(dir, "b.raw"), dtypeA: dtype(a), dtypeB: dtype(b), shape: a.shape, spacing: a.space.spacing, pairs: labels };
    const r = spawnSync("/usr/bin/python3", [SCRIPT], { input: JSON.stringify(request), encoding: "utf8", maxBuffer: 1 << 28, env: pythonEnv() });
    if (r.status !== 0) return { ms: NaN, why: r.stderr.trim().split("\n").pop() };
    return { ms: JSON.parse(r.stdout).seconds * 1000, organs: labels.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The rows: the real case against its grown copy, and the CT-sized pair. */
export function compareRows(mask) {
  const rows = [];
  const real = grown(mask);
  const present = mask.labelStats().filter((s) => s.voxels > 0).length;
  rows.push({ what: `117-organ case (${present} organs present) vs every organ grown 1 voxel`, ...ours(mask, real, 9), scipy: scipy(mask, real) });
  // Surfaces 6 voxels apart: past the local search, so every organ takes the exact transform.
  const far = shifted(mask, 6);
  rows.push({ what: "117-organ case vs every organ moved 6 voxels (the transform's path)", ...ours(mask, far, 5), scipy: scipy(mask, far) });
  const ct = synthetic(8, 100);
  rows.push({ what: "CT-sized 512x512x300, 100 labels vs shifted 1 voxel", ...ours(ct, shifted(ct), 3), scipy: { ms: NaN, why: "not run (minutes)" } });
  return rows;
}
