// `medmask clean IN OUT`: islands removed, largest pieces kept, holes filled, each step's
// changes said per organ; the output reads back as the library's result.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SegmentationMask, Space, encodeMask, fillHoles, keepLargestComponents, loadMask } from "../../src/node.js";
import { medmask } from "../helpers/cli.js";
import { sha256, tempDir } from "../helpers/files.js";

describe("medmask clean", () => {
  const space = new Space({ shape: [5, 5, 9] });
  const d = new Uint8Array(space.voxelCount);
  const at = (z: number, y: number, x: number) => (z * 5 + y) * 9 + x;
  for (let z = 0; z < 5; z++) for (let y = 0; y < 5; y++) for (let x = 0; x < 5; x++) if (z % 4 === 0 || y % 4 === 0 || x % 4 === 0) d[at(z, y, x)] = 1;
  d[at(0, 0, 8)] = 1; // an island of liver
  d[at(4, 4, 7)] = 2; // the spleen, one voxel
  const seg = new SegmentationMask(d, { liver: 1, spleen: 2 }, space);
  const dir = tempDir();
  writeFileSync(join(dir, "case.msk"), encodeMask(seg));

  it("--keep-largest --fill-holes: says what changed per organ, writes what the library gives", async () => {
    const out = join(dir, "clean.msk");
    const r = medmask("clean", join(dir, "case.msk"), out, "--keep-largest", "liver", "--fill-holes");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^largest piece kept: liver -1 voxel\(s\) \(-0\.001 mL\), now 0\.098 mL$/m);
    expect(r.stdout).toMatch(/^holes filled: liver \+27 voxel\(s\) \(\+0\.027 mL\), now 0\.125 mL$/m);
    expect(r.stdout).not.toMatch(/spleen/);
    const want = fillHoles(keepLargestComponents(seg, { names: ["liver"] }));
    expect(sha256((await loadMask(out)).data)).toBe(sha256(want.data));
  });

  it("--min-voxels removes the one-voxel spleen; no step, a bad --connectivity and an existing output are refused", () => {
    const r = medmask("clean", join(dir, "case.msk"), join(dir, "small.msk"), "--min-voxels", "2", "--connectivity", "6");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^islands removed: liver -1 voxel/m);
    expect(r.stdout).toMatch(/^islands removed: spleen -1 voxel\(s\) .* now 0\.000 mL$/m);
    expect(medmask("clean", join(dir, "case.msk"), join(dir, "x.msk")).stderr).toMatch(/needs a step/);
    expect(medmask("clean", join(dir, "case.msk"), join(dir, "x.msk"), "--fill-holes", "--connectivity", "8").code).toBe(2);
    expect(medmask("clean", join(dir, "case.msk"), join(dir, "small.msk"), "--fill-holes").stderr).toMatch(/already exists/);
  });

  it("--dilate-mm grows only the named organ into background, and says by how much", () => {
    const r = medmask("clean", join(dir, "case.msk"), join(dir, "grown.msk"), "--dilate-mm", "1", "--names", "spleen");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^dilated 1 mm: spleen \+4 voxel\(s\)/m);
    expect(r.stdout).not.toMatch(/liver/);
  });
});

describe("medmask batch clean", () => {
  it("cleans every case on the pool as `medmask clean` does; no step is a usage error before any case", async () => {
    const space = new Space({ shape: [3, 4, 6] });
    const dir = tempDir();
    const { mkdirSync } = await import("node:fs");
    mkdirSync(join(dir, "in"));
    for (let i = 0; i < 3; i++) {
      const d = new Uint8Array(space.voxelCount).fill(1, 0, 20 + i);
      d[71] = 1; // an island far from the block
      writeFileSync(join(dir, "in", `c${i}.msk`), encodeMask(new SegmentationMask(d, { liver: 1 }, space)));
    }
    const r = medmask("batch", "clean", join(dir, "in"), join(dir, "out"), "--keep-largest", "--workers", "2");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/3 cases: 3 converted/);
    for (let i = 0; i < 3; i++) expect((await loadMask(join(dir, "out", `c${i}.msk`))).labelStats()[0]!.voxels).toBe(20 + i);
    const none = medmask("batch", "clean", join(dir, "in"), join(dir, "out2"));
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/needs a step/);
  });
});
