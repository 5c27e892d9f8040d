import { describe, expect, it } from "vitest";
import { LabelMapping, SegmentationMask, Space, setBackend, type BitDepth } from "../../src/index.js";
import { BACKENDS, sum, useBackend } from "../helpers/backends.js";
import { arrayFor, maxOf } from "../helpers/volumes.js";
import { codeOf } from "../helpers/errors.js";

const space = new Space({ shape: [2, 3, 4], spacing: [2, 1, 0.5] });

describe.each(BACKENDS)("SegmentationMask on %s", (backend) => {
  useBackend(backend);

  it.each([1, 8, 16, 32] as BitDepth[])("works at bit depth %i", (bitDepth) => {
    const top = maxOf(bitDepth);
    const values = Array.from({ length: 24 }, (_, i) => (i % 5 === 0 ? top : i % 7 === 0 ? 1 : 0));
    const seg = new SegmentationMask(arrayFor(bitDepth, values), undefined, space, { bitDepth });
    expect(seg.bitDepth).toBe(bitDepth);
    expect(seg.presentLabels()).toEqual([...new Set([1, top])].sort((a, b) => a - b));
    expect(seg.mapping.get(`idx_${top}`)).toBe(top);
    expect(sum(seg.getBinaryMaskByLabels(top))).toBe(values.filter((v) => v === top).length);
    expect(sum(seg.toBinary())).toBe(values.filter((v) => v !== 0).length);
  });

  it("names unmapped labels idx_<label> and keeps mapped names", () => {
    const seg = new SegmentationMask(Uint16Array.from([0, 5, 5, 300, 0, 0]), { tumor: 5 }, new Space({ shape: [1, 2, 3] }));
    expect(seg.mapping.items()).toEqual([["tumor", 5], ["idx_300", 300]]);
    expect(sum(seg.getBinaryMaskByNames("idx_300"))).toBe(1);
  });

  it("computes label statistics: voxels, mm^3 and inclusive boxes", () => {
    const data = new Uint8Array(24);
    data[0 * 12 + 1 * 4 + 2] = 3; // z0 y1 x2
    data[1 * 12 + 2 * 4 + 3] = 3; // z1 y2 x3
    data[1 * 12 + 0 * 4 + 0] = 9;
    const seg = new SegmentationMask(data, { kidney: 3, spleen: 9, absent: 4 }, space);
    expect(seg.labelStats()).toEqual([
      { name: "kidney", label: 3, voxels: 2, volumeMm3: 2, volumeMl: 0.002, bbox: { min: [0, 1, 2], max: [1, 2, 3] } },
      { name: "absent", label: 4, voxels: 0, volumeMm3: 0, volumeMl: 0, bbox: null },
      { name: "spleen", label: 9, voxels: 1, volumeMm3: 1, volumeMl: 0.001, bbox: { min: [1, 0, 0], max: [1, 0, 0] } },
    ]);
  });

  it("binary masks write into a caller's buffer with `out`, and refuse one of the wrong size", () => {
    const seg = new SegmentationMask(Uint8Array.from([0, 1, 2, 2, 1, 0, 3, 0]), { a: 1, b: 2, c: 3 }, new Space({ shape: [2, 2, 2] }));
    for (const backend of ["js", "wasm"] as const) {
      setBackend(backend);
      const out = new Uint8Array(8).fill(9);
      expect(seg.getBinaryMaskByNames("a", { out })).toBe(out);
      expect(Array.from(out)).toEqual([0, 1, 0, 0, 1, 0, 0, 0]);
      expect(Array.from(seg.getBinaryMaskByNames(["b", "c"], { out }))).toEqual([0, 0, 1, 1, 0, 0, 1, 0]);
      expect(Array.from(seg.getBinaryMaskByLabels([], { out }))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
      expect(Array.from(seg.toBinary({ out }))).toEqual([0, 1, 1, 1, 1, 0, 1, 0]);
      expect(codeOf(() => seg.getBinaryMaskByNames("a", { out: new Uint8Array(7) }))).toBe("INVALID_ARGUMENT");
      expect(codeOf(() => seg.toBinary({ out: new Uint16Array(8) as unknown as Uint8Array }))).toBe("INVALID_ARGUMENT");
    }
    setBackend("auto");
  });

  it("addLabel overlap policies: overwrite (default), keep, error", () => {
    const first = new Uint8Array(24).fill(1, 0, 12);
    const second = new Uint8Array(24).fill(1, 8, 20);
    for (const [policy, expectVoxels, expectLiver] of [
      ["overwrite", 12, 8],
      ["keep", 8, 12],
    ] as const) {
      const seg = SegmentationMask.lazyInit(8, { space });
      expect(seg.addLabel(first, 1, "liver")).toEqual({ voxels: 12, overlapped: 0, overlappedLabels: [], overlapCounts: [], layer: 0 });
      const r = seg.addLabel(second, 2, "spleen", { onOverlap: policy });
      expect(r).toEqual({ voxels: expectVoxels, overlapped: 4, overlappedLabels: [1], overlapCounts: [{ label: 1, name: "liver", voxels: 4 }], layer: 0 });
      expect(sum(seg.getBinaryMaskByNames("liver"))).toBe(expectLiver);
      expect(sum(seg.getBinaryMaskByNames(["liver", "spleen"]))).toBe(20);
    }
    const seg = SegmentationMask.lazyInit(8, { space });
    seg.addLabel(first, 1, "liver");
    const before = seg.data.slice();
    expect(codeOf(() => seg.addLabel(second, 2, "spleen", { onOverlap: "error" }))).toBe("OVERLAP");
    expect(seg.data).toEqual(before);
    expect(seg.mapping.hasName("spleen")).toBe(false);
    expect(() => seg.addLabel(second, 2, "spleen", { onOverlap: "error" })).toThrow(/overlaps 4 labelled voxels: liver \(4\)/);
  });

  it("addLabel accepts boolean arrays and checks duplicates in mapping and data", () => {
    const seg = new SegmentationMask(Uint8Array.from([0, 0, 7, 0]), { a: 1 }, new Space({ shape: [1, 1, 4] }));
    seg.addLabel([true, false, false, false], 2, "b");
    expect(Array.from(seg.data)).toEqual([2, 0, 7, 0]);
    expect(codeOf(() => seg.addLabel([0, 1, 0, 0], 1, "c"))).toBe("DUPLICATE_LABEL");
    expect(codeOf(() => seg.addLabel([0, 1, 0, 0], 7, "c"))).toBe("DUPLICATE_LABEL");
    expect(codeOf(() => seg.addLabel([0, 1, 0, 0], 3, "a"))).toBe("DUPLICATE_NAME");
    expect(codeOf(() => seg.addLabel([0, 1, 0, 0], 3, ""))).toBe("INVALID_NAME");
    expect(codeOf(() => seg.addLabel([0, 1, 0], 3, "c"))).toBe("SHAPE_MISMATCH");
    expect(codeOf(() => seg.addLabel([0, 1, 0, 0], 256, "c"))).toBe("LABEL_OUT_OF_RANGE");
    expect(codeOf(() => seg.addLabel([0, 1, 0, 0], 0, "c"))).toBe("LABEL_OUT_OF_RANGE");
    expect(codeOf(() => seg.addLabel([0, 1, 0, 0], 3, "c", { onOverlap: "merge" as "keep" }))).toBe("INVALID_ARGUMENT");
  });

  it("still sees labels written straight into seg.data when checking duplicates", () => {
    const seg = SegmentationMask.lazyInit(8, { shape: [2, 3, 4] });
    seg.addLabel(new Uint8Array(24).fill(1, 0, 4), 1, "a");
    seg.data[20] = 9; // the caller writes a label the mask did not paint
    expect(codeOf(() => seg.addLabel(new Uint8Array(24).fill(1, 8, 10), 9, "b"))).toBe("DUPLICATE_LABEL");
    const empty = seg.addLabel(new Uint8Array(24), 5, "nothing");
    expect(empty).toEqual({ voxels: 0, overlapped: 0, overlappedLabels: [], overlapCounts: [], layer: 0 });
    expect(seg.mapping.get("nothing")).toBe(5);
  });

  it("refuses volumes beyond what a typed array holds with OUT_OF_MEMORY, up front", () => {
    expect(codeOf(() => SegmentationMask.lazyInit(32, { shape: [2048, 2048, 2048] }))).toBe("OUT_OF_MEMORY");
    expect(() => SegmentationMask.lazyInit(8, { shape: [4096, 4096, 4096] })).toThrow(/slabs/);
  });

  it("bit depth 1 holds only label 1", () => {
    const seg = SegmentationMask.lazyInit(1, { shape: [1, 2, 2] });
    seg.addLabel([1, 1, 0, 0], 1, "lesion");
    expect(codeOf(() => seg.addLabel([0, 0, 1, 0], 2, "other"))).toBe("LABEL_OUT_OF_RANGE");
    expect(codeOf(() => new SegmentationMask(Uint8Array.from([0, 2]), undefined, undefined, { bitDepth: 1 }))).toBe("LABEL_OUT_OF_RANGE");
  });

  it("validates data, shapes and queries", () => {
    expect(codeOf(() => new SegmentationMask(new Uint8Array(5), {}, space))).toBe("SHAPE_MISMATCH");
    expect(() => new SegmentationMask(new Uint8Array(5), {}, space)).toThrow(/5 voxels but the space shape \[2,3,4\] holds 24/);
    expect(codeOf(() => new SegmentationMask(new Int16Array(24) as unknown as Uint8Array, {}, space))).toBe("INVALID_DATA");
    expect(codeOf(() => new SegmentationMask(new Uint16Array(24), {}, space, { bitDepth: 8 }))).toBe("INVALID_DATA");
    expect(codeOf(() => new SegmentationMask(new Uint8Array(24), { big: 300 }, space))).toBe("LABEL_OUT_OF_RANGE");
    expect(codeOf(() => SegmentationMask.lazyInit(12 as BitDepth, { space }))).toBe("INVALID_ARGUMENT");
    const seg = new SegmentationMask(new Uint8Array(24), { liver: 1 }, space);
    // Any string compiles (a name from a user is a string), and an unknown one is refused when asked.
    expect(codeOf(() => seg.getBinaryMaskByNames("livr"))).toBe("UNKNOWN_NAME");
    const fromUser: string = ["spl", "een"].join("");
    expect(codeOf(() => seg.getBinaryMaskByNames(fromUser))).toBe("UNKNOWN_NAME");
    expect(codeOf(() => seg.getBinaryMaskByLabels(2))).toBe("UNKNOWN_LABEL");
    expect(codeOf(() => seg.getBinaryMaskByLabels(256))).toBe("LABEL_OUT_OF_RANGE");
    expect(codeOf(() => seg.getBinaryMaskByLabels(1.5))).toBe("INVALID_LABEL");
    expect(sum(seg.getBinaryMaskByLabels(0))).toBe(24);
    expect(seg.getBinaryMaskByNames([])).toEqual(new Uint8Array(24));
    // A name addLabel adds is queried like the literal ones (and a user's string finds it).
    seg.addLabel(new Uint8Array(24).fill(1, 0, 3), 2, "spleen");
    expect(sum(seg.getBinaryMaskByNames("spleen"))).toBe(3);
    expect(sum(seg.getBinaryMaskByNames(fromUser))).toBe(3);
  });

  it("defaults to a flat space, copies mappings, clones and disposes", () => {
    const mapping = new LabelMapping({ a: 1 });
    const seg = new SegmentationMask(Uint8Array.from([1, 0, 0]), mapping);
    expect(seg.shape).toEqual([1, 1, 3]);
    seg.addLabel([0, 1, 0], 2, "b");
    expect(mapping.hasName("b")).toBe(false);
    const copy = seg.clone();
    copy.data[2] = 1;
    expect(seg.data[2]).toBe(0);
    seg.dispose();
    expect(seg.disposed).toBe(true);
    expect(codeOf(() => seg.labelStats())).toBe("DISPOSED");
    expect(copy.labelStats().map((s) => s.voxels)).toEqual([2, 1]);
  });
});

describe("per-organ questions (issue 23, item 6)", () => {
  const space = new Space({ shape: [1, 2, 4], spacing: [2, 2.5, 2] });
  const seg: SegmentationMask<string> = new SegmentationMask(Uint8Array.of(1, 1, 0, 2, 3, 3, 3, 0), { liver: 1, spleen: 2, kidney: 3, lung: 4 }, space);

  it("labelStats of given names answers for those only, in their order; mL beside mm^3", () => {
    expect(seg.labelStats("spleen").map((s) => [s.name, s.voxels])).toEqual([["spleen", 1]]);
    expect(seg.labelStats(["kidney", "liver", "lung"]).map((s) => [s.name, s.voxels])).toEqual([["kidney", 3], ["liver", 2], ["lung", 0]]);
    const [kidney] = seg.labelStats("kidney");
    expect(kidney!.volumeMm3).toBe(30);
    expect(kidney!.volumeMl).toBeCloseTo(0.03, 12);
    expect(seg.labelStats([])).toEqual([]);
  });

  it("refuses names it does not know and arguments it does not take", () => {
    expect(codeOf(() => seg.labelStats("pancreas"))).toBe("UNKNOWN_NAME");
    expect(codeOf(() => seg.labelStats(3 as unknown as string))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => seg.labelStats([1] as unknown as string[]))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => seg.labelStats({ names: ["liver"] } as unknown as string))).toBe("INVALID_ARGUMENT");
  });

  it("a mask iterates its organs with their statistics", () => {
    const seen = [];
    for (const { name, voxels, volumeMl } of seg) seen.push([name, voxels, volumeMl]);
    expect(seen).toEqual(seg.labelStats().map((s) => [s.name, s.voxels, s.volumeMl]));
    expect([...seg].map((s) => s.name)).toEqual(["liver", "spleen", "kidney", "lung"]);
  });
});

describe("a query's out never overwrites the mask (Reliability III item 12)", () => {
  it.each(BACKENDS)("%s: out = seg.data, a view into it, or a layer of a resident mask is INVALID_ARGUMENT, the voxels untouched; maskBuffer() and fresh arrays work", (backend) => {
    useBackend(backend);
    const space = new Space({ shape: [4, 8, 8] });
    const data = new Uint8Array(space.voxelCount).fill(2, 0, 100).fill(1, 100, 160);
    const seg = new SegmentationMask(data.slice(), { liver: 1, spleen: 2 }, space);
    const before = seg.data.slice();
    const whole = new Uint8Array(seg.data.buffer, seg.data.byteOffset, seg.data.length);
    expect(codeOf(() => seg.getBinaryMaskByNames("liver", { out: seg.data as Uint8Array }))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => seg.getBinaryMaskByLabels(2, { out: whole }))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => seg.toBinary({ out: whole }))).toBe("INVALID_ARGUMENT");
    expect(seg.data).toEqual(before);
    const resident = seg.toResident();
    expect(codeOf(() => resident.getBinaryMaskByNames("spleen", { out: resident.data as Uint8Array }))).toBe("INVALID_ARGUMENT");
    expect(resident.labelStats().map((s) => s.voxels)).toEqual([60, 100]);
    const buffer = resident.maskBuffer();
    expect(resident.getBinaryMaskByNames("liver", { out: buffer }).reduce((a, b) => a + b, 0)).toBe(60);
    expect(seg.getBinaryMaskByNames("spleen", { out: new Uint8Array(space.voxelCount) }).reduce((a, b) => a + b, 0)).toBe(100);
    resident.dispose();
  });
});
