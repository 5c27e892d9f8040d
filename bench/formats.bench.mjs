// `npm run bench formats`: the real 117-organ mask as FreeSurfer MGZ, MetaImage (.mha, zlib)
// and NRRD (gzip), each read from disk by loadMask (by content: one pass over the bytes), beside
// nibabel (MGZ) and VTK (MetaImage) reading the same files in the same run
// (test/helpers/formats_bench.py).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { encodeMetaImage, encodeMgh, encodeNrrd, loadMask } from "../dist/node.js";
import { median } from "./harness.mjs";
import { pythonEnv } from "./huge-pages.mjs";

const SCRIPT = fileURLToPath(new URL("../test/helpers/formats_bench.py", import.meta.url));

/** Median ms of `repeats` awaited calls of `fn`, after one to warm up. */
async function timed(fn, repeats) {
  await fn();
  const t = [];
  for (let r = 0; r < repeats; r++) {
    globalThis.gc?.();
    const started = performance.now();
    await fn();
    t.push(performance.now() - started);
  }
  return median(t);
}

export async function formatRows(mask) {
  const dir = mkdtempSync(join(tmpdir(), "medmask-formats-"));
  try {
    const files = { mgz: join(dir, "case.mgz"), mha: join(dir, "case.mha"), nrrd: join(dir, "case.nrrd") };
    const bytes = { mgz: encodeMgh(mask), mha: encodeMetaImage(mask), nrrd: encodeNrrd(mask) };
    for (const k of Object.keys(files)) writeFileSync(files[k], bytes[k]);
    const r = spawnSync("/usr/bin/python3", [SCRIPT], { input: JSON.stringify({ ...files, repeats: 7, voxels: mask.data.length }), encoding: "utf8", env: pythonEnv() });
    const theirs = r.status === 0 ? JSON.parse(r.stdout) : {};
    const who = { mgz: "nibabel", mha: "VTK vtkMetaImageReader", nrrd: "(VTK reads no gzip NRRD)" };
    const rows = [];
    for (const k of Object.keys(files)) rows.push({ what: `${k} (${bytes[k].length} B)`, ours: await timed(() => loadMask(files[k]), 7), theirs: theirs[k], who: who[k] });
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
