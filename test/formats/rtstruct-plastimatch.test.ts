// RT Structure Sets against plastimatch (Debian's plastimatch: ITK and its own rasteriser, with
// --xor-contours for holes), the independent reference, both ways: plastimatch rasterises a
// structure set onto the CT and each structure agrees with ours (Dice at least 0.97, holes
// empty in both): the structure set pydicom wrote (our reader), ours (our writer), and the one
// plastimatch writes from label images (our reader on a third party's contours, keyholes and
// all). An oracle suite: it runs once, not per Node.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { SegmentationMask, Space, decodeRtStruct, encodeRtStruct, loadMask, saveNifti, saveNrrd } from "../../src/node.js";
import { requireComponent } from "../helpers/component.js";
import { hasOutside, outside } from "../helpers/outside.js";
import { CT, ROIS, hasPydicom, peer, space, writeCase } from "../helpers/rtstruct-case.js";
import { tempDir } from "../helpers/files.js";

const hasPlastimatch = requireComponent("plastimatch", spawnSync("plastimatch", ["--version"]).status === 0, "apt-get install plastimatch");

const dice = (a: Uint8Array, b: Uint8Array): number => {
  let both = 0, sum = 0;
  for (let i = 0; i < a.length; i++) {
    both += a[i]! & b[i]!;
    sum += a[i]! + b[i]!;
  }
  return sum === 0 ? 1 : (2 * both) / sum;
};

function plastimatch(...args: string[]): void {
  const r = spawnSync("plastimatch", args, { encoding: "utf8" });
  expect(r.status, r.stderr || r.stdout).toBe(0);
}

/** The contoured structures of the test set: all but the marker (a point and an open contour). */
const CONTOURED = ROIS.filter((x) => x.contours.some((c) => c.type === "CLOSED_PLANAR")).map((r) => r.name);

describe.skipIf(!hasPlastimatch || !hasPydicom)("RT Structure Sets against plastimatch", () => {
  let written: ReturnType<typeof writeCase>;
  beforeAll(() => {
    written = writeCase();
    // The CT as ITK reads it: the grid plastimatch rasterises onto.
    plastimatch("convert", "--input", join(written.dir, "ct"), "--output-img", join(written.dir, "ct.nrrd"));
  }, 60_000);

  /** plastimatch's rasterisation of the structure set at `rs` onto the CT: each structure's voxels by name. */
  async function rasterised(rs: string, name: string): Promise<Map<string, Uint8Array>> {
    const out = join(written.dir, name);
    plastimatch("convert", "--input", rs, "--fixed", join(written.dir, "ct.nrrd"), "--output-prefix", out, "--prefix-format", "nrrd", "--xor-contours");
    const byName = new Map<string, Uint8Array>();
    for (const file of readdirSync(out)) {
      const theirs = await loadMask(join(out, file));
      expect(theirs.space.equals(space, 1e-3)).toBe(true);
      byName.set(file.replace(/\.nrrd$/, ""), theirs.toBinary());
    }
    return byName;
  }

  function expectAgree(ours: SegmentationMask<string>, theirs: Map<string, Uint8Array>, what: string): Record<string, number> {
    const scores: Record<string, number> = {};
    for (const name of CONTOURED) {
      expect(theirs.has(name), `${name} among ${[...theirs.keys()].join(", ")}`).toBe(true);
      scores[name] = +dice(ours.getBinaryMaskByNames(name), theirs.get(name)!).toFixed(4);
    }
    for (const [name, d] of Object.entries(scores)) expect(d, `${what}, ${name}: ${JSON.stringify(scores)}`).toBeGreaterThanOrEqual(0.97);
    // The ring's hole (centres within 2 mm of its axis) empty in both.
    const ring = [ours.getBinaryMaskByNames("Ring"), theirs.get("Ring")!];
    for (let k = 3; k <= 5; k++)
      for (let j = 0; j < CT.rows; j++)
        for (let i = 0; i < CT.columns; i++) {
          const [x, y] = [CT.origin[0]! + i * CT.spacing[1]!, CT.origin[1]! + j * CT.spacing[0]!];
          if (Math.hypot(x - 12, y + 5) < 2) for (const r of ring) expect(r[(k * CT.rows + j) * CT.columns + i]).toBe(0);
        }
    console.log(`Dice against plastimatch, ${what}: ${JSON.stringify(scores)}`);
    return scores;
  }

  it("the structure set pydicom wrote, rasterised by plastimatch onto the CT: every structure's Dice at least 0.97 against ours, the ring's hole empty in both", async () => {
    expectAgree(decodeRtStruct(written.rtstruct, { source: written.ct }).mask, await rasterised(join(written.dir, "rs.dcm"), "theirs-of-pydicom"), "pydicom's structure set read");
  }, 120_000);

  it("our structure set of the mask, rasterised by plastimatch onto the CT: every structure's Dice at least 0.97 against the mask, the ring's hole empty", async () => {
    const mask = decodeRtStruct(written.rtstruct, { source: written.ct }).mask;
    const ours = join(written.dir, "ours.dcm");
    writeFileSync(ours, encodeRtStruct(mask, { source: written.ct }));
    expectAgree(mask, await rasterised(ours, "theirs-of-ours"), "our structure set written");
  }, 120_000);

  it("plastimatch's structure set of label images (its contours, holes keyholed), read by us onto the CT: every structure's Dice at least 0.97 against plastimatch's own rasterisation", async () => {
    // One binary NIfTI per structure, the folder plastimatch makes a structure set of.
    const mask = decodeRtStruct(written.rtstruct, { source: written.ct }).mask;
    const labels = join(written.dir, "labels");
    mkdirSync(labels);
    for (const name of CONTOURED) await saveNifti(new SegmentationMask(mask.getBinaryMaskByNames(name), { [name]: 1 }, mask.space), join(labels, `${name}.nii.gz`));
    plastimatch("convert", "--input-prefix", labels, "--referenced-ct", join(written.dir, "ct"), "--output-dicom", join(written.dir, "plastimatch-rs"));
    const file = readdirSync(join(written.dir, "plastimatch-rs")).find((f) => f.startsWith("rtss"))!;
    const theirs = join(written.dir, "plastimatch-rs", file);
    const ours = decodeRtStruct(new Uint8Array(readFileSync(theirs)), { source: written.ct });
    expect(ours.mask.mapping.names().sort()).toStrictEqual([...CONTOURED].sort());
    expectAgree(ours.mask, await rasterised(theirs, "theirs-of-theirs"), "plastimatch's structure set read");
  }, 120_000);
});

describe.skipIf(!hasPlastimatch || !hasPydicom || !hasOutside)("a real structure set (Varian Eclipse, SlicerRT's EclipseProstate) against plastimatch", () => {
  it("on a 1 mm grid over its contours' extent: every structure's volume within 1% of plastimatch's and Dice at least 0.97; written again by us, the same voxels", async () => {
    const path = outside("slicerrt/RS.1.2.246.352.71.4.2088656855.2404649.20110920153449.dcm");
    // The grid: the contours' box in x and y with a margin, at 1 mm; their planes in z.
    const box = peer({ extent: path }) as { x: [number, number]; y: [number, number]; z: number[] };
    const dz = box.z[1]! - box.z[0]!;
    const origin: [number, number, number] = [Math.floor(box.x[0]) - 2, Math.floor(box.y[0]) - 2, box.z[0]!];
    const shape: [number, number, number] = [Math.round((box.z.at(-1)! - box.z[0]!) / dz) + 1, Math.ceil(box.y[1]) + 2 - origin[1] + 1, Math.ceil(box.x[1]) + 2 - origin[0] + 1];
    const grid = new Space({ shape, spacing: [dz, 1, 1], origin, xOrientation: [0, 0, 1], yOrientation: [0, 1, 0], zOrientation: [1, 0, 0] });
    const dir = tempDir();
    await saveNrrd(new SegmentationMask(new Uint8Array(grid.voxelCount), {}, grid), join(dir, "grid.nrrd"));
    plastimatch("convert", "--input", path, "--fixed", join(dir, "grid.nrrd"), "--output-prefix", join(dir, "theirs"), "--prefix-format", "nrrd", "--xor-contours");
    const { mask, rois } = decodeRtStruct(new Uint8Array(readFileSync(path)), { space: grid });
    expect(rois).toHaveLength(16);
    const files = readdirSync(join(dir, "theirs"));
    const key = (name: string) => name.replace(/\.nrrd$/, "").replace(/[^A-Za-z0-9]+/g, "_").toLowerCase();
    const rows: string[] = [];
    for (const roi of rois.filter((r) => r.contours > 0)) {
      const file = files.find((f) => key(f) === key(roi.name));
      expect(file, `${roi.name} among ${files.join(", ")}`).toBeDefined();
      const theirs = (await loadMask(join(dir, "theirs", file!))).toBinary(), ours = mask.getBinaryMaskByNames(roi.name);
      const [a, b] = [ours.reduce((s, v) => s + v, 0), theirs.reduce((s, v) => s + v, 0)];
      const d = dice(ours, theirs);
      rows.push(`${roi.name}: ${((a * dz) / 1000).toFixed(2)} / ${((b * dz) / 1000).toFixed(2)} mL, Dice ${d.toFixed(4)}`);
      expect(Math.abs(a - b) / b, roi.name).toBeLessThanOrEqual(0.01);
      expect(d, roi.name).toBeGreaterThanOrEqual(0.97);
    }
    console.log(`The Eclipse set, ours / plastimatch's: ${rows.join("; ")}`);
    // Written again by us and read back: every structure's voxels.
    const again = decodeRtStruct(encodeRtStruct(mask), { space: grid }).mask;
    // (Counted, not toStrictEqual: a deep comparison of 6.8 M voxels takes minutes.)
    for (const roi of rois) expect(Buffer.compare(again.getBinaryMaskByNames(roi.name), mask.getBinaryMaskByNames(roi.name)), roi.name).toBe(0);
  }, 120_000);
});
