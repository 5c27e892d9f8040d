// flip, permute, reorient, crop and pad on masks (SPEC section 13), on both backends: every
// voxel of the result, taken through its space to the world and back through the input's,
// lands on a voxel of the input with the same label (or off the input, as background).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LabelMapping, SegmentationMask, Space, crop, decodeDicomSeg, decodeNifti, decodeSegNrrd, encodeDicomSeg, encodeNifti, encodeSegNrrd, flip, pad, permute, reorient, resample } from "../../src/index.js";
import { BACKENDS, useBackend } from "../helpers/backends.js";
import { codeOf } from "../helpers/errors.js";
import { spaceArb } from "../helpers/spaces.js";

/** Each voxel of `out` against `seg` through the world; voxels off `seg` must be 0. */
function expectSameWorld(seg: SegmentationMask<string>, out: SegmentationMask<string>): void {
  const [n0, n1, n2] = out.shape;
  const wrong: string[] = [];
  for (let l = 0; l < out.layerCount; l++) {
    const layer = out.layers[l]!, source = seg.layers[l]!;
    for (let i = 0, v = 0; i < n0; i++)
      for (let j = 0; j < n1; j++)
        for (let k = 0; k < n2; k++, v++) {
          const at = seg.space.worldToIndex(out.space.indexToWorld([i, j, k]));
          const r = at.map(Math.round);
          const inside = r.every((x, a) => x >= 0 && x < seg.shape[a]!);
          const want = inside ? source[(r[0]! * seg.shape[1] + r[1]!) * seg.shape[2] + r[2]!] : 0;
          if (Math.max(...at.map((x, a) => Math.abs(x - r[a]!))) > 1e-6 || layer[v] !== want) wrong.push(`layer ${l} voxel ${[i, j, k]} -> ${at}: ${layer[v]} for ${want}`);
        }
  }
  expect(wrong.slice(0, 5)).toEqual([]);
}

/**
 * Whether two assignments of world axes to array axes keep as much of the orientation (a
 * grid turned exactly between axes, as quaternions of equal parts give): its codes are
 * then a tie, broken by array order, and a reordered grid may break it the other way.
 */
function tiedCodes(space: Space): boolean {
  const axes = [space.xOrientation, space.yOrientation, space.zOrientation];
  const scores = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]].map((p) => p.reduce((sum, w, a) => sum + Math.abs(axes[a]![w]!), 0)).sort((a, b) => b - a);
  return scores[0]! - scores[1]! < 1e-9;
}

/** A random mask of two layers on a random space, labels 1..4 named. */
const maskArb = spaceArb([6, 7, 9]).chain((space) =>
  fc
    .tuple(fc.constant(space), fc.array(fc.constantFrom(0, 0, 1, 2), { minLength: space.voxelCount, maxLength: space.voxelCount }), fc.array(fc.constantFrom(0, 0, 3, 4), { minLength: space.voxelCount, maxLength: space.voxelCount }))
    .map(([s, a, b]) => {
      // Layer 1 only where layer 0 is background, so the two never hold one voxel twice.
      const second = Uint8Array.from(b, (v, i) => (a[i] ? 0 : v));
      return new SegmentationMask([Uint8Array.from(a), second], new LabelMapping({ a: 1, b: 2, c: 3, d: 4 }), s, { metadata: { a: { color: [1, 0, 0] } } });
    }),
);

describe.each(BACKENDS)("geometry on %s", (backend) => {
  useBackend(backend);

  it("flip, permute and reorient keep every voxel's world position, layers, mapping and metadata", () => {
    fc.assert(
      fc.property(maskArb, fc.constantFrom(0, 1, 2), fc.constantFrom([0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]), fc.constantFrom("SPL", "SAR", "RAS", "LPS", "IAR", "ASL", "PIR"), (seg, axis, order, codes) => {
        for (const out of [flip(seg, axis as 0 | 1 | 2), permute(seg, order), reorient(seg, codes)]) {
          expect(out.layerCount).toBe(2);
          expect(out.mapping.toJSON()).toEqual(seg.mapping.toJSON());
          expect(out.metadata("a").color).toEqual([1, 0, 0]);
          expectSameWorld(seg, out);
        }
        if (!tiedCodes(seg.space)) expect(reorient(seg, codes).space.axisCodes.join("")).toBe(codes);
      }),
      { numRuns: 60 },
    );
  });

  it("crop and pad keep every voxel's world position; outside the input is background", () => {
    fc.assert(
      fc.property(maskArb.chain((seg) => fc.tuple(fc.constant(seg), boxArb(seg.shape), fc.tuple(...[0, 1, 2].map(() => fc.tuple(fc.nat(3), fc.nat(3)))))), ([seg, box, padding]) => {
        const cut = crop(seg, box);
        expect(cut.shape).toEqual(box.map(([s, e]) => e - s));
        expectSameWorld(seg, cut);
        const grown = pad(seg, padding);
        expect(grown.shape).toEqual(seg.shape.map((n, a) => n + padding[a]![0] + padding[a]![1]));
        expectSameWorld(seg, grown);
      }),
      { numRuns: 60 },
    );
  });

  it("crops to labels grown by a margin in mm, clipped to the grid", () => {
    const data = new Uint8Array(10 * 20 * 30);
    data[(5 * 20 + 10) * 30 + 15] = 1;
    data[(6 * 20 + 12) * 30 + 16] = 2;
    data[(0 * 20 + 0) * 30 + 0] = 3;
    const seg = new SegmentationMask(data, { liver: 1, spleen: 2, far: 3 }, new Space({ shape: [10, 20, 30], spacing: [3, 1, 0.5] }));
    expect(crop(seg, { names: ["liver"] }).shape).toEqual([1, 1, 1]);
    expect(crop(seg, { names: ["liver", "spleen"] }).shape).toEqual([2, 3, 2]);
    // 2 mm: one slice of 3 mm, two rows of 1 mm, four columns of 0.5 mm each way.
    const grown = crop(seg, { names: ["liver"], marginMm: 2 });
    expect(grown.shape).toEqual([3, 5, 9]);
    expect(grown.space.origin).toEqual(seg.space.indexToWorld([4, 8, 11]));
    expect(crop(seg, { names: ["far"], marginMm: 100 }).shape).toEqual([10, 20, 30]);
    expect(crop(seg, {}).shape).toEqual([7, 13, 17]);
    expect(codeOf(() => crop(seg, { names: ["kidney"] }))).toBe("UNKNOWN_NAME");
    expect(codeOf(() => crop(new SegmentationMask(new Uint8Array(8), { liver: 1 }, new Space({ shape: [2, 2, 2] })), { names: ["liver"] }))).toBe("EMPTY_LABEL");
    expect(codeOf(() => crop(seg, [[0, 11], [0, 20], [0, 30]]))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => crop(seg, { names: ["liver"], marginMm: -1 }))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => pad(seg, [[0, 0], [-1, 0], [0, 0]]))).toBe("INVALID_ARGUMENT");
  });

  it("refuses bad axes, orders and codes", () => {
    const seg = new SegmentationMask(new Uint8Array(8), { a: 1 }, new Space({ shape: [2, 2, 2] }));
    expect(codeOf(() => flip(seg, 3 as 0))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => permute(seg, [0, 0, 1]))).toBe("INVALID_ARGUMENT");
    for (const codes of ["LPR", "LP", "XYZ", "LLS"]) expect(codeOf(() => reorient(seg, codes)), codes).toBe("INVALID_ARGUMENT");
  });
});

/** A box inside a grid of `shape`: per axis [start, end), never empty. */
const boxArb = (shape: readonly number[]) => fc.tuple(...shape.map((n) => fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 1, max: n })).map(([s, len]) => [s, Math.min(n, s + len)] as [number, number])));

describe("axis codes", () => {
  it("goes to the closest codes for a grid that is not axis-aligned, three different letters", () => {
    // Turned 45 degrees about the first axis: the second and third axes are equally
    // far from two world axes; each still gets its own.
    const s = new Space({ shape: [2, 2, 2] }).applyRotate(0, 45);
    expect(new Set(s.axisCodes.map((c) => "LRPASI".indexOf(c) >> 1)).size).toBe(3);
    const seg = new SegmentationMask(Uint8Array.from({ length: 8 }, (_, i) => i % 3), { a: 1, b: 2 }, new Space({ shape: [2, 2, 2] }).applyRotate(2, 30));
    const out = reorient(seg, "IRA");
    expect(out.space.axisCodes).toEqual(["I", "R", "A"]);
    expectSameWorld(seg, out);
  });
});

describe("the writers take the new spaces unchanged", () => {
  it("a cropped, reoriented and resampled mask on a rotated grid reads back from NIfTI, .seg.nrrd and DICOM SEG on the same world grid", () => {
    const space = new Space({ shape: [9, 11, 13], spacing: [2.5, 0.8, 0.9], origin: [-20, 14, 33] }).applyRotate(2, 20).applyRotate(0, 7);
    const data = new Uint8Array(space.voxelCount);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7919) % 11 < 3 ? 1 + (i % 2) : 0;
    const seg = new SegmentationMask(data, { liver: 1, spleen: 2 }, space);
    const steps = [crop(seg, { marginMm: 1 }), reorient(seg, "SAR"), resample(seg, { spacing: 1.1 }), pad(seg, [[1, 0], [0, 2], [3, 3]])];
    for (const out of steps) {
      const nifti = decodeNifti(encodeNifti(out));
      const nrrd = decodeSegNrrd(encodeSegNrrd(out)).mask;
      const dicom = decodeDicomSeg(encodeDicomSeg(out)).mask;
      for (const [name, back] of [["NIfTI", nifti], ["seg.nrrd", nrrd], ["DICOM SEG", dicom]] as const) {
        expect(back.space.equals(out.space, 1e-4), `${name}: ${JSON.stringify(back.space.toJSON())} vs ${JSON.stringify(out.space.toJSON())}`).toBe(true);
        expect(back.labelStats().map((s) => [s.name, s.voxels]), name).toEqual(out.labelStats().map((s) => [s.name, s.voxels]));
      }
    }
  });
});
