// compareMasks against scipy (Debian's python3-scipy: distance_transform_edt with sampling,
// binary_erosion, numpy.percentile; test/helpers/compare_reference.py), on random blobs of
// random spacing and on the real 117-organ case against perturbed copies of itself (organs
// dilated, eroded, shifted, removed, added): every count exact, every distance to 1e-4 mm,
// on both backends.
import { beforeAll, describe, expect, it } from "vitest";
import { SegmentationMask, Space, compareMasks, type CompareRow } from "../../src/node.js";
import { BACKENDS, useBackend } from "../helpers/backends.js";
import { hasScipy, scipyCompare, type ScipyRow } from "../helpers/compare-reference.js";
import { randomBalls } from "../helpers/volumes.js";
import { realFlatCase } from "../helpers/real-case.js";

function agree(ours: CompareRow, theirs: ScipyRow, what: string): void {
  expect([ours.voxelsA, ours.voxelsB, ours.intersection], what).toEqual([theirs.voxelsA, theirs.voxelsB, theirs.intersection]);
  if (theirs.empty) {
    expect(ours.empty, what).not.toBeNull();
    return;
  }
  for (const k of ["dice", "jaccard", "hausdorff", "hd95", "assd", "nsd"] as const) expect(Math.abs(ours[k] - theirs[k]!), `${what}: ${k} ${ours[k]} vs scipy ${theirs[k]}`).toBeLessThan(1e-4);
}

/** Random blobs: balls of labels 1..3 (seeded). */
const blobs = (space: Space, seed: number) => randomBalls(space.shape, seed, { count: 6, minRadius: 1, spread: 5 });

/** `label`'s voxels grown (+1) or shrunk (-1) by one 6-neighbour step, into background only / out of the label. */
function morph(data: Uint8Array, [nz, ny, nx]: readonly number[], label: number, step: 1 | -1): Uint8Array {
  const out = data.slice();
  const at = (z: number, y: number, x: number) => (z < 0 || y < 0 || x < 0 || z >= nz! || y >= ny! || x >= nx! ? -1 : data[(z * ny! + y) * nx! + x]!);
  for (let z = 0; z < nz!; z++)
    for (let y = 0; y < ny!; y++)
      for (let x = 0; x < nx!; x++) {
        const i = (z * ny! + y) * nx! + x, v = data[i]!;
        const near = [at(z - 1, y, x), at(z + 1, y, x), at(z, y - 1, x), at(z, y + 1, x), at(z, y, x - 1), at(z, y, x + 1)];
        if (step === 1 && v === 0 && near.includes(label)) out[i] = label;
        if (step === -1 && v === label && near.some((n) => n !== label)) out[i] = 0;
      }
  return out;
}

describe.skipIf(!hasScipy)("compareMasks against scipy", () => {
  describe.each(BACKENDS)("on %s", (backend) => {
    useBackend(backend);

    it("random blobs on random anisotropic grids, one mask against a perturbed other", () => {
      for (let t = 0; t < 6; t++) {
        const space = new Space({ shape: [10 + t * 3, 14 + t, 12 + 2 * t], spacing: [0.5 + t * 0.7, 0.8, 1.1 + t * 0.1] });
        const a = blobs(space, 17 + t), b = morph(blobs(space, 17 + t), space.shape, 1 + (t % 3), t % 2 ? 1 : -1);
        b.copyWithin(0, 3); // and shifted by three voxels along x
        const mapping = { one: 1, two: 2, three: 3 };
        const ours = compareMasks(new SegmentationMask(a, mapping, space), new SegmentationMask(b, mapping, space), { percentile: 90, toleranceMm: 1.5 });
        const theirs = scipyCompare(new SegmentationMask(a, mapping, space), new SegmentationMask(b, mapping, space), [[1, 1], [2, 2], [3, 3]], { percentile: 90, tolerance: 1.5 });
        ours.forEach((row, i) => agree(row, theirs.rows[i]!, `case ${t} ${row.name}`));
      }
    });

    describe("the 117-organ case against perturbed copies", () => {
      let truth: SegmentationMask<string>;
      let perturbed: SegmentationMask<string>;
      let labels: Array<[string, number]>;
      beforeAll(async () => {
        truth = await realFlatCase();
        const present = truth.labelStats().filter((s) => s.voxels > 0);
        labels = present.map((s) => [s.name, s.label]);
        let data = truth.data as Uint8Array;
        const [grow, shrink, shift, remove] = present.map((s) => s.label);
        data = morph(data, truth.shape, grow!, 1);
        data = morph(data, truth.shape, shrink!, -1);
        const nx = truth.shape[2];
        const moved = data.map((v) => (v === shift ? 0 : v));
        for (let i = 0; i + 2 < data.length; i++) if (data[i] === shift && (i % nx) + 2 < nx && moved[i + 2] === 0) moved[i + 2] = shift!;
        data = moved.map((v) => (v === remove ? 0 : v));
        data[5] = 200; // a label only the copy has
        const mapping = Object.fromEntries([...truth.mapping.items(), ["extra", 200]]);
        perturbed = new SegmentationMask(data, mapping, truth.space);
      }, 120_000);

      it("every present organ's counts exact and distances to 1e-4 mm", () => {
        const ours = compareMasks(truth, perturbed, { names: labels.map(([n]) => n) });
        const theirs = scipyCompare(truth, perturbed, labels.map(([, l]) => [l, l] as const));
        expect(ours.length).toBeGreaterThanOrEqual(20);
        ours.forEach((row, i) => agree(row, theirs.rows[i]!, row.name));
        const all = compareMasks(truth, perturbed);
        expect(all.find((r) => r.name === "extra")!.empty).toBe("a");
        expect(all.filter((r) => r.empty === "b").length).toBe(1); // the removed organ
      }, 120_000);
    });
  });
});
