// `npm run bench memory`: the peak memory (max RSS) of each command of the command line on the
// 117-organ case, each in a process of its own, beside the size of the volumes it must hold at
// once (the case's one volume is 10.1 MB; a layered mask holds one per layer; a folder or
// archive read one mask at a time holds the mask being built and one input). The peak is the
// process's own (`process.resourceUsage().maxRSS`, written at exit by a preload the command's
// restart on huge pages keeps).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const CLI = fileURLToPath(new URL("../cli/bin/medmask.js", import.meta.url));
const DATA = fileURLToPath(new URL("../data/totalsegmentator-s0000/", import.meta.url));

/** Max RSS in MB of `medmask ...args`, and its wall time in s. */
function peak(dir, args) {
  const out = join(dir, "maxrss.txt"), preload = join(dir, "maxrss.cjs");
  writeFileSync(preload, `process.on("exit", () => { const fs = require("node:fs"); fs.writeFileSync(${JSON.stringify(out)}, /VmHWM:\\s*(\\d+)/.exec(fs.readFileSync("/proc/self/status", "utf8"))[1]); });\n`);
  const started = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", env: { ...process.env, NODE_OPTIONS: `--require=${preload}` } });
  if (r.status !== 0) throw new Error(`medmask ${args.join(" ")}: ${r.stderr}`);
  return { mb: Number(readFileSync(out, "utf8")) / 1024, seconds: (performance.now() - started) / 1000 };
}

export function memoryRows() {
  const dir = mkdtempSync(join(tmpdir(), "medmask-memory-"));
  try {
    const msk = join(dir, "case.msk"), mska = join(dir, "case.mska");
    // Inputs made first (untimed): the case as one layered mask and as an archive.
    for (const args of [["convert", DATA, msk], ["convert", DATA, mska]]) peak(dir, args);
    const volume = 10.1; // MB: 179 x 192 x 294 uint8
    const rows = [
      ["info case.msk", ["info", msk], 0],
      ["convert folder/ case.msk (117 files combined, 2 layers)", ["convert", DATA, join(dir, "a.msk")], 3],
      ["convert folder/ case.mska (Python layout, bool entries)", ["convert", DATA, join(dir, "b.mska"), "--format", "python"], 1],
      ["convert case.mska case.msk", ["convert", mska, join(dir, "c.msk")], 3],
      ["convert case.msk case.nii.gz --flatten", ["convert", msk, join(dir, "d.nii.gz"), "--flatten"], 3],
      ["overlaps folder/", ["overlaps", DATA], 3],
      ["overlaps case.msk (its 2 layers)", ["overlaps", msk], 3],
      ["compare case.msk case.msk", ["compare", msk, msk], 4],
      ["clean case.msk --keep-largest --fill-holes", ["clean", msk, join(dir, "e.msk"), "--keep-largest", "--fill-holes"], 4],
      ["mesh case.msk case.glb", ["mesh", msk, join(dir, "f.glb")], 2],
    ];
    return rows.map(([what, args, volumes]) => {
      const { mb, seconds } = peak(dir, args);
      return { what, mb, seconds, volumes, bound: volumes * volume };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
