// `npm run bench:batch [cases] [convert|compare]`: `medmask batch convert` over N copies
// (symlinks) of the TotalSegmentator case, or `medmask batch compare` of N pairs (the case as
// one .msk against a copy with every organ grown by a voxel), with 1 and 2 workers; prints
// cases/s and the speed-up.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DATA_DIR, machine } from "./harness.mjs";

const cases = Number(process.argv[2] ?? 200);
const operation = process.argv[3] ?? "convert";
const cli = fileURLToPath(new URL("../cli/bin/medmask.js", import.meta.url));
const root = mkdtempSync(join(tmpdir(), "medmask-batch-"));
const input = join(root, "in");
mkdirSync(input);
const name = (i) => `case${String(i).padStart(4, "0")}`;
/** The arguments of one run with `workers` threads. */
let args;
if (operation === "compare") {
  const { loadNiftiFolder, saveMask, SegmentationMask } = await import("../dist/node.js");
  const truth = (await loadNiftiFolder(DATA_DIR)).mask.flatten().mask;
  const [nz, ny, nx] = truth.shape, src = truth.data, grown = src.slice(), plane = ny * nx;
  for (let i = 0; i < src.length; i++) {
    if (src[i]) continue;
    const x = i % nx, y = Math.floor(i / nx) % ny, z = Math.floor(i / plane);
    grown[i] = (x > 0 && src[i - 1]) || (x + 1 < nx && src[i + 1]) || (y > 0 && src[i - nx]) || (y + 1 < ny && src[i + nx]) || (z > 0 && src[i - plane]) || (z + 1 < nz && src[i + plane]) || 0;
  }
  await saveMask(truth, join(root, "truth.msk"));
  await saveMask(new SegmentationMask(grown, truth.mapping.toJSON(), truth.space), join(root, "pred.msk"));
  mkdirSync(join(root, "truths"));
  for (let i = 0; i < cases; i++) {
    symlinkSync(join(root, "pred.msk"), join(input, `${name(i)}.msk`));
    symlinkSync(join(root, "truth.msk"), join(root, "truths", `${name(i)}.msk`));
  }
  args = (workers) => ["batch", "compare", input, join(root, "truths"), "--csv", join(root, `eval${workers}.csv`), "--workers", String(workers)];
  console.log(`medmask batch compare, ${cases} pairs (the TotalSegmentator case against every organ grown a voxel, .msk), on ${machine()}`);
} else {
  for (let i = 0; i < cases; i++) symlinkSync(DATA_DIR, join(input, name(i)));
  args = (workers) => ["batch", "convert", input, join(root, `out${workers}`), "--workers", String(workers)];
  console.log(`medmask batch convert, ${cases} copies of the 117-mask TotalSegmentator case, on ${machine()}`);
}
const rates = {};
for (const workers of [1, 2]) {
  const started = performance.now();
  execFileSync(process.execPath, [cli, ...args(workers)], { stdio: ["ignore", "ignore", "ignore"] });
  const seconds = (performance.now() - started) / 1000;
  rates[workers] = cases / seconds;
  console.log(`${workers} worker(s): ${seconds.toFixed(1)} s, ${rates[workers].toFixed(2)} cases/s`);
}
console.log(`speed-up with 2 workers: ${(rates[2] / rates[1]).toFixed(2)}x`);
rmSync(root, { recursive: true, force: true });
