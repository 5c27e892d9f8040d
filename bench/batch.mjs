// `npm run bench:batch [cases]`: `medmask batch convert` over N copies (symlinks) of the
// TotalSegmentator case, with 1 and 2 workers; prints cases/s and the speed-up.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DATA_DIR, machine } from "./harness.mjs";

const cases = Number(process.argv[2] ?? 200);
const cli = fileURLToPath(new URL("../cli/bin/medmask.js", import.meta.url));
const root = mkdtempSync(join(tmpdir(), "medmask-batch-"));
const input = join(root, "in");
mkdirSync(input);
for (let i = 0; i < cases; i++) symlinkSync(DATA_DIR, join(input, `case${String(i).padStart(4, "0")}`));
console.log(`medmask batch convert, ${cases} copies of the 117-mask TotalSegmentator case, on ${machine()}`);
const rates = {};
for (const workers of [1, 2]) {
  const out = join(root, `out${workers}`);
  const started = performance.now();
  execFileSync(process.execPath, [cli, "batch", "convert", input, out, "--workers", String(workers)], { stdio: ["ignore", "ignore", "ignore"] });
  const seconds = (performance.now() - started) / 1000;
  rates[workers] = cases / seconds;
  console.log(`${workers} worker(s): ${seconds.toFixed(1)} s, ${rates[workers].toFixed(2)} cases/s`);
}
console.log(`speed-up with 2 workers: ${(rates[2] / rates[1]).toFixed(2)}x`);
rmSync(root, { recursive: true, force: true });
