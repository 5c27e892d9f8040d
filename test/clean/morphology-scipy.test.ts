// dilate and erode against scipy (test/helpers/morphology_reference.py: binary_dilation and
// binary_erosion with the same ellipsoid, label-safe as medmask is), on random blobs of
// anisotropic spacing (radii where the element's rows are used, and one where the distance
// transform is) and on the 117-organ case, both backends, voxel for voxel. An oracle
// suite: it runs once, not per Node.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { byElementRows } from "../../src/clean/morphology.js";
import { ellipsoidRows } from "../../src/kernels/morphology.js";
import { SegmentationMask, Space, dilate, erode } from "../../src/node.js";
import { BACKENDS, useBackend } from "../helpers/backends.js";
import { hasScipy } from "../helpers/compare-reference.js";
import { sha256, tempDir } from "../helpers/files.js";
import { randomBalls } from "../helpers/volumes.js";
import { realFlatCase } from "../helpers/real-case.js";

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "../helpers/morphology_reference.py");

function scipyMorphology(seg: SegmentationMask<string>, radius: number): { dilated: Uint8Array; eroded: Uint8Array } {
  const dir = tempDir();
  writeFileSync(join(dir, "in.raw"), seg.data as Uint8Array);
  const labels = seg.labelStats().filter((s) => s.voxels > 0).map((s) => s.label);
  const request = { path: join(dir, "in.raw"), dilatedPath: join(dir, "d.raw"), erodedPath: join(dir, "e.raw"), dtype: "uint8", shape: seg.shape, spacing: seg.space.spacing, radius, labels };
  const r = spawnSync("/usr/bin/python3", [SCRIPT], { input: JSON.stringify(request), encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(r.stderr);
  return { dilated: new Uint8Array(readFileSync(join(dir, "d.raw"))), eroded: new Uint8Array(readFileSync(join(dir, "e.raw"))) };
}

/** Balls of labels 1..3 (seeded), some touching, one at the grid's edge. */
const blobs = (space: Space, seed: number) => randomBalls(space.shape, seed, { count: 5, minRadius: 2, spread: 4, edge: true });

describe.skipIf(!hasScipy)("dilate and erode against scipy", () => {
  describe.each(BACKENDS)("on %s", (backend) => {
    useBackend(backend);

    // Up to 4.7 mm each label takes the element's rows; at 8 mm, a distance transform of its box.
    it.each([1.1, 2.3, 4.7, 8])("random blobs on an anisotropic grid, radius %f mm", (radius) => {
      const space = new Space({ shape: [14, 18, 22], spacing: [1.7, 0.9, 0.6] });
      const seg = new SegmentationMask(blobs(space, Math.round(radius * 100)), { a: 1, b: 2, c: 3 }, space);
      const rows = seg.labelStats().filter((s) => s.voxels > 0).map((s) => byElementRows(seg, s, ellipsoidRows(radius, space.spacing as [number, number, number]), radius));
      expect(rows, "the way each label takes").toEqual(rows.map(() => radius < 8));
      const want = scipyMorphology(seg, radius);
      expect(sha256(dilate(seg, radius).data), "dilate").toBe(sha256(want.dilated));
      expect(sha256(erode(seg, radius).data), "erode").toBe(sha256(want.eroded));
    });

    describe("the 117-organ case", () => {
      let real: SegmentationMask<string>;
      beforeAll(async () => {
        real = await realFlatCase();
      }, 120_000);
      it("every organ dilated and eroded by 3.1 mm, voxel for voxel", () => {
        const want = scipyMorphology(real, 3.1);
        expect(sha256(dilate(real, 3.1).data)).toBe(sha256(want.dilated));
        expect(sha256(erode(real, 3.1).data)).toBe(sha256(want.eroded));
      }, 120_000);
    });
  });
});
