// `npm run bench rtstruct`: a CT-sized RT Structure Set (20 structures on a 512x512 CT of 120
// slices, written with pydicom: test/helpers/rtstruct_peer.py) rasterised onto the CT by the
// whole command line (`medmask convert RS.dcm out.msk --source ct/`) beside plastimatch doing
// the same (`plastimatch convert --input RS.dcm --fixed ct.nrrd --output-labelmap`; its CT
// made once beforehand); and the structures written back as an RT Structure Set of the CT
// (`medmask convert out.msk RS.dcm --format rtstruct --source ct/`) beside plastimatch making
// one of the same structures, one binary image each (`plastimatch convert --input-prefix
// labels/ --referenced-ct ct/ --output-dicom`), whole processes, in the same run.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./harness.mjs";
import { pythonEnv } from "./huge-pages.mjs";

const PEER = fileURLToPath(new URL("../test/helpers/rtstruct_peer.py", import.meta.url));
const CLI = fileURLToPath(new URL("../cli/bin/medmask.js", import.meta.url));
export const CT = { rows: 512, columns: 512, slices: 120, spacing: [0.7, 0.7], thickness: 2.5, origin: [-179, -179, 0], orientation: [1, 0, 0, 0, 1, 0], frameOfReference: "1.2.826.0.1.3680043.8.498.11", study: "1.2.826.0.1.3680043.8.498.12", series: "1.2.826.0.1.3680043.8.498.13" };

/** 20 structures: ellipses over runs of slices, some nested (holes), some overlapping. */
export function structures() {
  let seed = 3;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  return Array.from({ length: 20 }, (_, s) => {
    const [cx, cy, rx, ry] = [-100 + rnd() * 200, -100 + rnd() * 200, 10 + rnd() * 60, 10 + rnd() * 60];
    const k0 = Math.floor(rnd() * 80), k1 = k0 + 10 + Math.floor(rnd() * 30);
    const contours = [];
    for (let k = k0; k <= Math.min(CT.slices - 1, k1); k++) {
      const points = [];
      for (let p = 0; p < 64; p++) points.push(cx + rx * Math.cos((2 * Math.PI * p) / 64), cy + ry * Math.sin((2 * Math.PI * p) / 64), CT.origin[2] + k * CT.thickness);
      contours.push({ type: "CLOSED_PLANAR", points });
    }
    return { number: s + 1, name: `structure_${s + 1}`, color: [200, 100, 50], type: "ORGAN", contours };
  });
}

/** Median seconds of `repeats` runs of a whole process. */
function timed(command, args, repeats = 3, env = process.env) {
  const t = [];
  for (let r = 0; r < repeats; r++) {
    const started = performance.now();
    const run = spawnSync(command, args, { encoding: "utf8", env });
    if (run.status !== 0) throw new Error(`${command} ${args.join(" ")}: ${run.stderr || run.stdout}`);
    t.push(performance.now() - started);
  }
  return median(t);
}

export function rtstructRows() {
  const dir = mkdtempSync(join(tmpdir(), "medmask-rtstruct-"));
  try {
    execFileSync("/usr/bin/python3", [PEER], { input: JSON.stringify({ ct: join(dir, "ct"), ...CT }), env: pythonEnv() });
    execFileSync("/usr/bin/python3", [PEER], { input: JSON.stringify({ rtstruct: join(dir, "rs.dcm"), ct: join(dir, "ct"), frameOfReference: CT.frameOfReference, study: CT.study, rois: structures() }), env: pythonEnv() });
    const ours = timed(process.execPath, [CLI, "convert", join(dir, "rs.dcm"), join(dir, "out.msk"), "--source", join(dir, "ct"), "--force"]);
    const written = timed(process.execPath, [CLI, "convert", join(dir, "out.msk"), join(dir, "ours-rs.dcm"), "--format", "rtstruct", "--source", join(dir, "ct"), "--force"]);
    let theirs, theirsWritten;
    if (spawnSync("plastimatch", ["--version"]).status === 0) {
      execFileSync("plastimatch", ["convert", "--input", join(dir, "ct"), "--output-img", join(dir, "ct.nrrd")]);
      theirs = timed("plastimatch", ["convert", "--input", join(dir, "rs.dcm"), "--fixed", join(dir, "ct.nrrd"), "--output-labelmap", join(dir, "plastimatch.nrrd"), "--xor-contours"]);
      // The structures as plastimatch takes them for a structure set: one binary image each.
      execFileSync("plastimatch", ["convert", "--input", join(dir, "rs.dcm"), "--fixed", join(dir, "ct.nrrd"), "--output-prefix", join(dir, "labels"), "--prefix-format", "nrrd", "--xor-contours"]);
      theirsWritten = timed("plastimatch", ["convert", "--input-prefix", join(dir, "labels"), "--referenced-ct", join(dir, "ct"), "--output-dicom", join(dir, "plastimatch-rs")]);
    }
    return [
      { what: `20 structures on a 512x512x${CT.slices} CT, rasterised onto it and written (.msk / plastimatch's labelmap .nrrd), whole processes`, ours, theirs },
      { what: `the same 20 structures written as an RT Structure Set of the CT (from a .msk / plastimatch from 20 binary .nrrd), whole processes`, ours: written, theirs: theirsWritten },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
