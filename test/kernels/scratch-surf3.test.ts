import { it } from "vitest";
import { appendFileSync } from "node:fs";
import { init, setBackend, readNiftiFolder, combineBinaryMasks } from "../../src/node.js";
import { meshLabels } from "../../src/surfaces/mesh-labels.js";
import { surfaceKernels } from "../../src/kernels/surfaces.js";

const log = (...a: unknown[]) => appendFileSync("/tmp/s3.out", a.join(" ") + "\n");
it("bench", async () => {
  await init();
  const { space, masks } = await readNiftiFolder("data/totalsegmentator-s0000/");
  const { mask: seg } = combineBinaryMasks(space, masks, { onOverlap: "overwrite" });
  const stats = seg.labelStats().filter((s) => s.voxels > 0);
  const labels = stats.map((s) => s.label), boxes = stats.map((s) => [...s.bbox!.min, ...s.bbox!.max] as any);
  log(seg.shape, stats.length);
  for (const b of ["wasm", "js", "wasm", "js", "wasm"] as const) {
    setBackend(b);
    let t0 = performance.now();
    const meshes = meshLabels(seg);
    const t1 = performance.now();
    surfaceKernels().surfaces(seg.data, seg.shape, labels, boxes);
    const t2 = performance.now();
    let v = 0, t = 0;
    for (const m of meshes) { v += m.positions.length / 3; t += m.indices.length / 3; }
    log(b, (t1 - t0).toFixed(1), "ms; kernel", (t2 - t1).toFixed(1), meshes.length, v, t);
  }
}, 600000);
