// `npm run bench surfaces`: meshLabels (surface nets, closed, every organ in one call) on the
// real 117-organ mask and on a CT-sized mask of 117 organs, on each backend, beside VTK's
// vtkDiscreteMarchingCubes and vtkDiscreteFlyingEdges3D on the same labels in the same run
// (test/helpers/surfaces_bench.py, Debian's python3-vtk9); the CT-sized case's peak memory
// in a process of its own; and the floor of any new CT-sized result: a copy of its bytes.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SegmentationMask, Space, init, initMeshSimplifier, meshLabels } from "../dist/node.js";
import { timedBackends } from "./harness.mjs";
import { pythonEnv } from "./huge-pages.mjs";

const SCRIPT = fileURLToPath(new URL("../test/helpers/surfaces_bench.py", import.meta.url));

function vtk(mask, labels) {
  const dir = mkdtempSync(join(tmpdir(), "medmask-surfaces-"));
  try {
    writeFileSync(join(dir, "in.raw"), new Uint8Array(mask.data.buffer, mask.data.byteOffset, mask.data.byteLength));
    const request = { path: join(dir, "in.raw"), dtype: `uint${mask.data.BYTES_PER_ELEMENT * 8}`, shape: mask.shape, spacing: mask.space.spacing, labels, repeats: 3 };
    const r = spawnSync("/usr/bin/python3", [SCRIPT], { input: JSON.stringify(request), encoding: "utf8", env: pythonEnv(), maxBuffer: 1 << 24 });
    return r.status === 0 ? JSON.parse(r.stdout) : {};
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A CT-sized mask (512x512x300, 0.7 x 0.7 x 1 mm) of 117 organ-like ellipsoids of 1 to 60 mm
 * radius, packed so that many touch: every organ of a whole-body segmentation at CT size.
 */
export function ctOrgans() {
  const space = new Space({ shape: [300, 512, 512], spacing: [1, 0.7, 0.7] });
  const data = new Uint8Array(space.voxelCount);
  let seed = 7;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const mapping = {};
  for (let k = 1; k <= 117; k++) {
    const [cz, cy, cx] = [30 + rnd() * 240, 60 + rnd() * 392, 60 + rnd() * 392];
    const [rz, ry, rx] = [4 + rnd() * 40, 6 + rnd() * 60, 6 + rnd() * 60].map((r) => (k % 10 === 0 ? r * 1.8 : r));
    for (let z = Math.max(0, Math.floor(cz - rz)); z <= Math.min(299, cz + rz); z++)
      for (let y = Math.max(0, Math.floor(cy - ry)); y <= Math.min(511, cy + ry); y++) {
        const row = (z * 512 + y) * 512;
        for (let x = Math.max(0, Math.floor(cx - rx)); x <= Math.min(511, cx + rx); x++) if (((z - cz) / rz) ** 2 + ((y - cy) / ry) ** 2 + ((x - cx) / rx) ** 2 <= 1) data[row + x] = k;
      }
    mapping[`organ_${k}`] = k;
  }
  return new SegmentationMask(data, mapping, space);
}

const triangles = (meshes) => meshes.reduce((n, m) => n + m.indices.length / 3, 0);

/**
 * Peak memory (MB) of meshing the CT-sized case in a process of its own: VmHWM, the high-water
 * mark of this process's memory (getrusage's maxRSS would keep the forking parent's).
 */
function ctPeak() {
  const hwm = `Number(/VmHWM:\\s+(\\d+)/.exec(readFileSync("/proc/self/status", "utf8"))[1]) / 1e3`;
  const child = `import { readFileSync } from "node:fs"; import { init, meshLabels } from "${new URL("../dist/node.js", import.meta.url).href}"; import { ctOrgans } from "${import.meta.url}"; await init(); const seg = ctOrgans(); const before = process.memoryUsage().rss; meshLabels(seg); console.log(JSON.stringify({ before: before / 1e6, peak: ${hwm} }));`;
  return JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", child], { encoding: "utf8", env: { ...process.env, MEDMASK_BENCH_CHILD: "1" } }).trim());
}

export async function surfaceRows(mask) {
  await init();
  const rows = [];
  for (const [what, seg] of [["117-organ case", mask], ["CT-sized case of 117 organs", ctOrgans()]]) {
    const labels = seg.labelStats().filter((s) => s.voxels > 0).map((s) => s.label);
    const theirs = vtk(seg, labels);
    const t = timedBackends(() => meshLabels(seg), 3);
    rows.push({ what: `${what} (${seg.shape.join("x")}): every organ (${labels.length}), ${triangles(meshLabels(seg))} triangles`, ...t, vtk: theirs.marchingCubes?.ms, vtkTriangles: theirs.marchingCubes?.triangles, flyingEdges: theirs.flyingEdges?.ms });
    if (seg !== mask) rows.push({ what: "the same, smoothing 10 (Taubin, every organ together)", ...timedBackends(() => meshLabels(seg, { smoothing: 10 }), 1) });
    else {
      await initMeshSimplifier();
      const halved = meshLabels(seg, { decimate: 0.5 });
      rows.push({ what: `the same, decimate 0.5 (meshoptimizer's simplifier, every organ): ${triangles(halved)} triangles`, ...timedBackends(() => meshLabels(seg, { decimate: 0.5 }), 3) });
    }
  }
  const peak = ctPeak();
  return { rows, peak };
}
