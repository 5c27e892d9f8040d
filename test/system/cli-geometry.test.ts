// `medmask crop | reorient | resample` and their batch forms (SPEC section 13): each says
// what the grid became and writes what the library gives; --like takes a CT's grid from
// its NIfTI header (any datatype); batch resample --like runs on the pool and on a Redis
// queue, whose record carries the grid to the workers.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { SegmentationMask, Space, crop, encodeMask, encodeNifti, loadMask, reorient, resample } from "../../src/node.js";
import { medmask } from "../helpers/cli.js";
import { sha256, tempDir } from "../helpers/files.js";
import { TEST_SECRET, freePort, hasRedis, startRedis } from "../helpers/redis.js";
import { randomBalls } from "../helpers/volumes.js";

const space = new Space({ shape: [12, 14, 16], spacing: [2.5, 0.9, 0.9], origin: [-30, 12, 40] });
const seg = new SegmentationMask(randomBalls(space.shape, 3, { count: 4, minRadius: 2, spread: 2 }), { liver: 1, spleen: 2, kidney: 3 }, space);

/** A CT-like NIfTI: int16 Hounsfield units (negative values), on a grid of its own. */
function ctNifti(grid: Space): Uint8Array {
  const file = new Uint8Array(gunzipSync(encodeNifti(new SegmentationMask(new Uint8Array(grid.voxelCount), {}, grid))));
  // Datatype 4 (int16), 16 bits: the header of a CT; the voxels are not read for --like.
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  view.setInt16(70, 4, true);
  view.setInt16(72, 16, true);
  return gzipSync(file);
}

describe("medmask crop | reorient | resample", () => {
  const dir = tempDir();
  const input = join(dir, "case.msk");
  writeFileSync(input, encodeMask(seg));

  it("crop --names --margin-mm, reorient CODES, resample --spacing: the library's results, the new grid said", async () => {
    const c = medmask("crop", input, join(dir, "crop.msk"), "--names", "spleen", "--margin-mm", "2");
    expect(c.code, c.stderr).toBe(0);
    const cropped = crop(seg, { names: ["spleen"], marginMm: 2 });
    expect(c.stdout).toContain(`crop: 12x14x16 voxels of 2.5 x 0.9 x 0.9 mm, axes LPS -> ${cropped.shape.join("x")} voxels`);
    expect(sha256((await loadMask(join(dir, "crop.msk"))).data)).toBe(sha256(cropped.data));
    expect((await loadMask(join(dir, "crop.msk"))).space.equals(cropped.space)).toBe(true);

    const r = medmask("reorient", input, join(dir, "r.msk"), "IAR");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/axes LPS -> \S+ voxels .* axes IAR$/m);
    expect(sha256((await loadMask(join(dir, "r.msk"))).data)).toBe(sha256(reorient(seg, "IAR").data));

    const s = medmask("resample", input, join(dir, "s.msk"), "--spacing", "1.25", "--method", "label-linear");
    expect(s.code, s.stderr).toBe(0);
    expect(sha256((await loadMask(join(dir, "s.msk"))).data)).toBe(sha256(resample(seg, { spacing: 1.25 }, { method: "label-linear" }).data));
  });

  it("resample --like a CT's NIfTI (int16): the mask on the CT's grid", async () => {
    const grid = new Space({ shape: [10, 20, 20], spacing: [3, 0.7, 0.7], origin: [-28, 10, 38] });
    writeFileSync(join(dir, "ct.nii.gz"), ctNifti(grid));
    const r = medmask("resample", input, join(dir, "on-ct.nii.gz"), "--like", join(dir, "ct.nii.gz"));
    expect(r.code, r.stderr).toBe(0);
    const out = await loadMask(join(dir, "on-ct.nii.gz"));
    expect(out.space.equals(grid, 1e-4)).toBe(true);
    expect(sha256(out.data)).toBe(sha256(resample(seg, out.space).data));
  });

  it("refuses what it cannot do, with a message and no output", () => {
    expect(medmask("resample", input, join(dir, "x.msk")).stderr).toMatch(/one of --spacing MM and --like FILE/);
    expect(medmask("resample", input, join(dir, "x.msk"), "--spacing", "0").stderr).toMatch(/--spacing takes a positive number/);
    expect(medmask("resample", input, join(dir, "x.msk"), "--like", join(dir, "nope.nii.gz")).stderr).toMatch(/no such file or folder/);
    expect(medmask("reorient", input, join(dir, "x.msk"), "LPR").stderr).toMatch(/one of L\/R, one of P\/A and one of S\/I/);
    expect(medmask("crop", input, join(dir, "x.msk"), "--names", "heart").stderr).toMatch(/UNKNOWN_NAME|no label named|heart/);
    expect(medmask("crop", input, join(dir, "crop.msk")).stderr).toMatch(/already exists/);
  });
});

describe("medmask batch resample", () => {
  const dir = tempDir();
  mkdirSync(join(dir, "in"));
  for (let i = 0; i < 3; i++) writeFileSync(join(dir, "in", `c${i}.msk`), encodeMask(new SegmentationMask(randomBalls(space.shape, 10 + i, { count: 3, minRadius: 2, spread: 2 }), { a: 1, b: 2, c: 3 }, space)));
  const grid = new Space({ shape: [8, 9, 10], spacing: [3, 1.3, 1.3], origin: [-29, 13, 41] });
  writeFileSync(join(dir, "grid.msk"), encodeMask(new SegmentationMask(new Uint8Array(grid.voxelCount), {}, grid)));

  async function expectOnGrid(out: string): Promise<void> {
    for (let i = 0; i < 3; i++) {
      const input = await loadMask(join(dir, "in", `c${i}.msk`));
      const got = await loadMask(join(out, `c${i}.msk`));
      expect(got.space.equals(grid)).toBe(true);
      expect(sha256(got.data)).toBe(sha256(resample(input, grid).data));
    }
  }

  it("--like on the pool: every case on the grid", async () => {
    const r = medmask("batch", "resample", join(dir, "in"), join(dir, "out"), "--like", join(dir, "grid.msk"), "--workers", "2");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/3 cases: 3 converted/);
    await expectOnGrid(join(dir, "out"));
    const bad = medmask("batch", "reorient", join(dir, "in"), join(dir, "out2"), "XYZ");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/three axis codes/);
  });

  it.skipIf(!hasRedis())("--like on a Redis queue: the record carries the grid to the workers", async () => {
    const port = await freePort();
    const redis = await startRedis(port);
    try {
      const { spawnSync } = await import("node:child_process");
      const { CLI } = await import("../helpers/cli.js");
      const r = spawnSync(process.execPath, [CLI, "batch", "resample", join(dir, "in"), join(dir, "queued"), "--like", join(dir, "grid.msk"), "--queue", `redis://127.0.0.1:${port}`, "--workers", "1"], { encoding: "utf8", env: { ...process.env, MEDMASK_QUEUE_SECRET: TEST_SECRET } });
      expect(r.status, r.stderr).toBe(0);
      await expectOnGrid(join(dir, "queued"));
    } finally {
      redis.kill();
    }
  }, 60_000);
});
