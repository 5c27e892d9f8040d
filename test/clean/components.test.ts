// connectedComponents, keepLargestComponents and removeSmallComponents (SPEC section 14) on
// both backends: statistics against a hand-made case, label safety, inputs unchanged (scipy's
// ndimage.label as the oracle: components-scipy.test.ts).
import { describe, expect, it } from "vitest";
import { SegmentationMask, Space, connectedComponents, fillHoles, keepLargestComponents, removeSmallComponents } from "../../src/node.js";
import { BACKENDS, useBackend } from "../helpers/backends.js";
import { codeOf } from "../helpers/errors.js";
import { sha256 } from "../helpers/files.js";

describe.each(BACKENDS)("cleaning on %s", (backend) => {
  useBackend(backend);
  const space = new Space({ shape: [3, 6, 8], spacing: [2, 1, 0.5] });
  // liver: a 2x2x3 block at the front and a lone voxel at the back; spleen: a bar.
  const data = new Uint8Array(space.voxelCount);
  for (const z of [0, 1]) for (const y of [1, 2]) for (const x of [1, 2, 3]) data[(z * 6 + y) * 8 + x] = 1;
  data[(2 * 6 + 5) * 8 + 7] = 1;
  for (let x = 0; x < 8; x++) data[(1 * 6 + 4) * 8 + x] = 2;
  const seg = new SegmentationMask(data, { liver: 1, spleen: 2 }, space, { metadata: { liver: { color: [1, 0, 0] } } });

  it("connectedComponents: count, sizes, mL, boxes and centroids, largest first; labels over the grid when read", () => {
    const { count, components, labels } = connectedComponents(seg, "liver");
    expect(count).toBe(2);
    expect(components[0]).toEqual({ id: 1, voxels: 12, volumeMl: 0.012, bbox: { min: [0, 1, 1], max: [1, 2, 3] }, centroid: [0.5, 1.5, 2] });
    expect(components[1]).toEqual({ id: 2, voxels: 1, volumeMl: 0.001, bbox: { min: [2, 5, 7], max: [2, 5, 7] }, centroid: [2, 5, 7] });
    expect(labels.length).toBe(space.voxelCount);
    expect(Array.from(labels).map((v, i) => (v === 0) === (data[i] !== 1))).not.toContain(false);
    expect(labels[(2 * 6 + 5) * 8 + 7]).toBe(2);
    expect(connectedComponents(seg, "spleen").count).toBe(1);
    const none = connectedComponents(new SegmentationMask(new Uint8Array(space.voxelCount), { liver: 1 }, space), "liver");
    expect([none.count, none.components, none.labels.every((v) => v === 0)]).toEqual([0, [], true]);
    expect(codeOf(() => connectedComponents(seg, "livr"))).toBe("UNKNOWN_NAME");
    expect(codeOf(() => connectedComponents(seg, "liver", { connectivity: 8 as 6 }))).toBe("INVALID_ARGUMENT");
  });

  it("connectedComponents of a list of names, or of every label: each label's pieces from one pass, as one name at a time gives them", () => {
    const all = connectedComponents(seg);
    expect([...all.keys()]).toEqual(["liver", "spleen"]);
    for (const name of ["liver", "spleen"]) {
      const one = connectedComponents(seg, name);
      expect(all.get(name)!.components).toEqual(one.components);
      expect(all.get(name)!.labels).toEqual(one.labels);
    }
    const some = connectedComponents(seg, ["spleen"], { connectivity: 6 });
    expect([...some.keys()]).toEqual(["spleen"]);
    expect(some.get("spleen")!.components[0]).toMatchObject({ voxels: 8, bbox: { min: [1, 4, 0], max: [1, 4, 7] }, centroid: [1, 4, 3.5] });
    const layered = new SegmentationMask(data.slice(), { liver: 1, spleen: 2 }, space);
    layered.addLabel(new Uint8Array(space.voxelCount).fill(1, 10, 12), 3, "tumour", { onOverlap: "layer" });
    expect(layered.layers.length).toBe(2);
    const inLayers = connectedComponents(layered, ["tumour", "liver"]);
    expect(inLayers.get("tumour")!.components.map((c) => c.voxels)).toEqual([2]);
    expect(inLayers.get("liver")!.components.map((c) => c.voxels)).toEqual([12, 1]);
    expect(codeOf(() => connectedComponents(seg, 7 as unknown as string))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => connectedComponents(seg, ["liver", "livr"]))).toBe("UNKNOWN_NAME");
  });

  it("connectivity: voxels touching by an edge are one component at 18 and 26, two at 6", () => {
    const d = new Uint8Array(8);
    d[0] = d[3] = 1; // (0,0,0) and (0,1,1): an edge apart
    const two = new SegmentationMask(d, { a: 1 }, new Space({ shape: [2, 2, 2] }));
    expect([6, 18, 26].map((c) => connectedComponents(two, "a", { connectivity: c as 6 }).count)).toEqual([2, 1, 1]);
    d[3] = 0;
    d[7] = 1; // (1,1,1): a corner apart
    expect([6, 18, 26].map((c) => connectedComponents(two, "a", { connectivity: c as 6 }).count)).toEqual([2, 2, 1]);
  });

  it("keepLargestComponents and removeSmallComponents: the island goes, other labels, mapping, metadata and the input stay", () => {
    const before = sha256(seg.data);
    const kept = keepLargestComponents(seg);
    expect(kept.labelStats().map((s) => s.voxels)).toEqual([12, 8]);
    expect(kept.getBinaryMaskByNames("spleen")).toEqual(seg.getBinaryMaskByNames("spleen"));
    expect(kept.mapping.toJSON()).toEqual({ liver: 1, spleen: 2 });
    expect(kept.metadata("liver").color).toEqual([1, 0, 0]);
    expect(sha256(seg.data)).toBe(before);
    expect(keepLargestComponents(seg, { count: 2 }).labelStats().map((s) => s.voxels)).toEqual([13, 8]);
    expect(keepLargestComponents(seg, { names: ["spleen"] }).labelStats().map((s) => s.voxels)).toEqual([13, 8]);
    expect(removeSmallComponents(seg, { minVoxels: 2 }).labelStats().map((s) => s.voxels)).toEqual([12, 8]);
    expect(removeSmallComponents(seg, { minMl: 0.009 }).labelStats().map((s) => s.voxels)).toEqual([12, 0]);
    expect(codeOf(() => removeSmallComponents(seg))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => keepLargestComponents(seg, { count: 0 }))).toBe("INVALID_ARGUMENT");
    // Layers stay layers: an overlapping label in a second layer is cleaned there.
    const layered = seg.clone();
    layered.addLabel(new Uint8Array(space.voxelCount).fill(1, 0, 2).fill(1, 140, 141), 3, "tumour", { onOverlap: "layer" });
    const cleaned = keepLargestComponents(layered, { names: ["tumour"] });
    expect(cleaned.layerCount).toBe(layered.layerCount);
    expect(cleaned.labelStats().find((s) => s.name === "tumour")!.voxels).toBe(2);
  });

  it("fillHoles: a cavity is filled with background only (a tumour inside stays), a dent open to the border is not, other labels untouched", () => {
    const sp = new Space({ shape: [5, 5, 7] });
    const d = new Uint8Array(sp.voxelCount);
    const at = (z: number, y: number, x: number) => (z * 5 + y) * 7 + x;
    // A hollow 5x5x5 cube of liver (x 0..4): its 3x3x3 inside empty but for a tumour voxel.
    for (let z = 0; z < 5; z++) for (let y = 0; y < 5; y++) for (let x = 0; x < 5; x++) if (z % 4 === 0 || y % 4 === 0 || x % 4 === 0) d[at(z, y, x)] = 1;
    d[at(2, 2, 2)] = 3;
    // A spleen bar beside it, with a dent reaching the grid's edge.
    for (let z = 0; z < 5; z++) for (let y = 0; y < 5; y++) d[at(z, y, 6)] = 2;
    d[at(2, 2, 6)] = 0;
    const seg2 = new SegmentationMask(d, { liver: 1, spleen: 2, tumour: 3 }, sp);
    const filled = fillHoles(seg2);
    expect(filled.labelStats().map((s) => [s.name, s.voxels])).toEqual([["liver", 124], ["spleen", 24], ["tumour", 1]]);
    expect(filled.data[at(2, 2, 2)]).toBe(3);
    expect(filled.data[at(2, 2, 6)]).toBe(0);
    expect(fillHoles(seg2, { names: ["spleen"] }).labelStats()[0]!.voxels).toBe(98);
    expect(seg2.data[at(1, 1, 1)]).toBe(0);
  });
});
