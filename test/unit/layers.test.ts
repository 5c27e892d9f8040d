import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  MaskArchive,
  SegmentationMask,
  Space,
  combineBinaryMasks,
  decodeMask,
  decodeSegNrrd,
  encodeMask,
  initZstd,
  readMaskInfo,
  readNifti,
  encodeNifti,
  encodeSegNrrd,
  type BitDepth,
  type LabelMetadata,
} from "../../src/index.js";
import { readNativeHeader } from "../../src/formats/native/native.js";
import { BACKENDS, sum, useBackend } from "../helpers/backends.js";
import { codeOf } from "../helpers/errors.js";
import { rewriteNativeHeader } from "../helpers/native-file.js";

// Layers (SPEC section 8): masks that share voxels keep every voxel, on both backends and
// through every format that holds layers; the reference is the input binaries themselves.

const small = new Space({ shape: [3, 4, 5], spacing: [2, 1, 1] });
const boxArb = fc.tuple(fc.nat(2), fc.nat(2), fc.nat(3), fc.nat(3), fc.nat(4), fc.nat(4));

/** Binary masks over `small`: boxes (some empty), so that they overlap or not, anywhere. */
const masksArb = fc.array(fc.tuple(boxArb, fc.boolean()), { minLength: 1, maxLength: 7 }).map((specs) =>
  specs.map(([[za, zb, ya, yb, xa, xb], empty], i) => {
    const data = new Uint8Array(small.voxelCount);
    if (!empty) {
      for (let z = Math.min(za, zb); z <= Math.max(za, zb); z++)
        for (let y = Math.min(ya, yb); y <= Math.max(ya, yb); y++) for (let x = Math.min(xa, xb); x <= Math.max(xa, xb); x++) data[(z * 4 + y) * 5 + x] = 1;
    }
    return { name: `organ${i}`, data };
  }),
);

const or = (masks: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(small.voxelCount);
  for (const m of masks) m.forEach((v, i) => (out[i] = out[i]! | v));
  return out;
};

/** The inclusive box of a binary mask, as labelStats gives it, or null. */
function boxOf(data: Uint8Array): { min: number[]; max: number[] } | null {
  const [, ny, nx] = small.shape;
  let box: { min: number[]; max: number[] } | null = null;
  data.forEach((v, i) => {
    if (!v) return;
    const p = [Math.floor(i / (ny * nx)), Math.floor(i / nx) % ny, i % nx];
    box = box ? { min: box.min.map((m, a) => Math.min(m, p[a]!)), max: box.max.map((m, a) => Math.max(m, p[a]!)) } : { min: [...p], max: [...p] };
  });
  return box;
}

/** Every query of `mask` answers as the binaries `masks` say. */
function expectSameAs(mask: SegmentationMask<string>, masks: readonly { name: string; data: Uint8Array }[], subset: readonly number[]): void {
  for (const m of masks) expect(Array.from(mask.getBinaryMaskByNames(m.name)), m.name).toEqual(Array.from(m.data));
  const chosen = subset.map((i) => masks[i % masks.length]!);
  expect(Array.from(mask.getBinaryMaskByNames(chosen.map((m) => m.name)))).toEqual(Array.from(or(chosen.map((m) => m.data))));
  const labels = chosen.map((m) => mask.mapping.get(m.name));
  expect(Array.from(mask.getBinaryMaskByLabels([0, ...labels]))).toEqual(Array.from(or([or(masks.map((m) => m.data)).map((v) => 1 - v), ...chosen.map((m) => m.data)])));
  expect(Array.from(mask.toBinary())).toEqual(Array.from(or(masks.map((m) => m.data))));
  const stats = new Map(mask.labelStats().map((s) => [s.name, s]));
  for (const m of masks) {
    expect(stats.get(m.name)!.voxels).toBe(sum(m.data));
    expect(stats.get(m.name)!.bbox).toEqual(boxOf(m.data));
  }
  expect(mask.presentLabels()).toEqual(masks.filter((m) => sum(m.data) > 0).map((m) => mask.mapping.get(m.name)).sort((a, b) => a - b));
}

describe.each(BACKENDS)("layers on %s", (backend) => {
  useBackend(backend);

  it("any set of overlapping binary masks -> a layered mask -> every format that holds layers -> back, voxel for voxel", async () => {
    await fc.assert(
      fc.asyncProperty(masksArb, fc.constantFrom<BitDepth>(8, 16), fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), async (masks, bitDepth, subset) => {
        const mask = SegmentationMask.lazyInit(bitDepth, { space: small });
        masks.forEach((m, i) => mask.addLabel(m.data, bitDepth === 16 ? 300 + i : i + 1, m.name, { onOverlap: "layer", metadata: { color: [i / 10, 0.5, 1] } }));
        // Within a layer nothing overlaps, and no more layers than masks.
        expect(mask.layerCount).toBeLessThanOrEqual(masks.length);
        for (const layer of mask.layers) {
          const names = masks.filter((m) => sum(m.data) > 0 && layer.some((v) => v === mask.mapping.get(m.name)));
          expect(sum(or(names.map((m) => m.data)))).toBe(names.reduce((s, m) => s + sum(m.data), 0));
        }
        expectSameAs(mask, masks, subset);
        expectSameAs(combineBinaryMasks(small, masks).mask, masks, subset);
        const native = decodeMask(encodeMask(mask, { slabDepth: 2 }));
        expect(native.layerCount).toBe(mask.layerCount);
        expectSameAs(native, masks, subset);
        expect(native.allMetadata()).toEqual(mask.allMetadata());
        const archive = MaskArchive.inMemory(small);
        archive.add("case", mask);
        const reopened = await MaskArchive.fromBlob(new Blob([archive.toBytes() as BlobPart]));
        expectSameAs(await reopened.load("case"), masks, subset);
        expect(reopened.metadata("case")).toEqual(mask.allMetadata());
        const nrrd = decodeSegNrrd(encodeSegNrrd(mask)).mask;
        expectSameAs(nrrd, masks, subset);
        expect(Object.values(nrrd.allMetadata()).map((m) => m.color)).toEqual(Object.values(mask.allMetadata()).map((m) => m.color));
        if (backend === "wasm") {
          const live = mask.toResident();
          expect(live.resident).toBe(true);
          expectSameAs(live, masks, subset);
          // A union into the mask buffer beside the voxels, across layers, in place.
          const union = live.getBinaryMaskByNames(masks.map((m) => m.name), { out: live.maskBuffer() });
          expect(union).toBe(live.maskBuffer());
          expect(Array.from(union)).toEqual(Array.from(or(masks.map((m) => m.data))));
        }
      }),
      { numRuns: 40 },
    );
  });

  it("a layered mask is built from layers; a label in two layers is DUPLICATE_LABEL; data says LAYERED; flatten paints later layers over earlier ones", () => {
    const space = new Space({ shape: [1, 1, 4] });
    const mask = new SegmentationMask([Uint8Array.of(1, 1, 0, 0), Uint8Array.of(0, 2, 2, 0)], { a: 1, b: 2 }, space);
    expect(mask.layerCount).toBe(2);
    expect(mask.layerOf("b")).toBe(1);
    expect(Array.from(mask.getBinaryMaskByNames("a"))).toEqual([1, 1, 0, 0]);
    expect(Array.from(mask.getBinaryMaskByNames(["a", "b"]))).toEqual([1, 1, 1, 0]);
    expect(codeOf(() => mask.data)).toBe("LAYERED");
    const { mask: flat, covered } = mask.flatten();
    expect(flat.layerCount).toBe(1);
    expect(Array.from(flat.data)).toEqual([1, 2, 2, 0]);
    expect(covered).toBe(1);
    const twice = new SegmentationMask([Uint8Array.of(1, 0), Uint8Array.of(0, 1)], { a: 1 }, new Space({ shape: [1, 1, 2] }));
    expect(codeOf(() => twice.labelStats())).toBe("DUPLICATE_LABEL");
    expect(codeOf(() => new SegmentationMask([Uint8Array.of(1, 0), Uint16Array.of(0, 1)], {}, new Space({ shape: [1, 1, 2] })))).toBe("INVALID_DATA");
    expect(codeOf(() => new SegmentationMask([Uint8Array.of(1, 0), Uint8Array.of(0)], {}, new Space({ shape: [1, 1, 2] })))).toBe("INVALID_DATA");
    expect(codeOf(() => new SegmentationMask([], {}))).toBe("INVALID_DATA");
  });

  it("overwrite, keep and error on a layered mask take every layer into account", () => {
    const space = new Space({ shape: [1, 1, 6] });
    const build = () => new SegmentationMask<string>([Uint8Array.of(1, 1, 0, 0, 0, 0), Uint8Array.of(0, 2, 2, 0, 0, 0)], { a: 1, b: 2 }, space);
    const region = Uint8Array.of(0, 1, 1, 1, 0, 0);
    const over = build();
    const r = over.addLabel(region, 3, "c");
    expect(r.overlapCounts).toEqual([{ label: 1, name: "a", voxels: 1 }, { label: 2, name: "b", voxels: 2 }]);
    expect(Array.from(over.getBinaryMaskByNames("c"))).toEqual([0, 1, 1, 1, 0, 0]);
    expect(Array.from(over.getBinaryMaskByNames(["a", "b"]))).toEqual([1, 0, 0, 0, 0, 0]);
    const keep = build();
    expect(keep.addLabel(region, 3, "c", { onOverlap: "keep" }).voxels).toBe(1);
    expect(Array.from(keep.getBinaryMaskByNames("c"))).toEqual([0, 0, 0, 1, 0, 0]);
    expect(Array.from(keep.getBinaryMaskByNames("b"))).toEqual([0, 1, 1, 0, 0, 0]);
    const error = build();
    expect(codeOf(() => error.addLabel(region, 3, "c", { onOverlap: "error" }))).toBe("OVERLAP");
    expect(error.mapping.hasName("c")).toBe(false);
    const layered = build();
    expect(layered.addLabel(region, 3, "c", { onOverlap: "layer" }).layer).toBe(2);
    expect(layered.addLabel(Uint8Array.of(0, 0, 0, 0, 1, 1), 4, "d", { onOverlap: "layer" }).layer).toBe(0);
    expect(layered.labelStats().map((s) => [s.name, s.voxels])).toEqual([["a", 2], ["b", 2], ["c", 3], ["d", 2]]);
  });
});

describe("the native format's versions", () => {
  const space = new Space({ shape: [2, 2, 3] });
  const plain = new SegmentationMask(Uint8Array.of(1, 1, 0, 0, 2, 2, 0, 0, 0, 0, 0, 0), { a: 1, b: 2 }, space);

  it("writes the oldest version that holds the mask: 1.0 plain, 1.1 with metadata, 2.0 with layers; header-only info knows layers and metadata", () => {
    const version = (bytes: Uint8Array) => `${bytes[4]}.${bytes[5]}`;
    expect(version(encodeMask(plain))).toBe("1.0");
    const colored = plain.clone();
    colored.setMetadata("a", { color: [1, 0, 0], type: ["SCT", "10200004", "Liver"] });
    const metaBytes = encodeMask(colored);
    expect(version(metaBytes)).toBe("1.1");
    expect(readMaskInfo(metaBytes).metadata).toEqual({ a: { color: [1, 0, 0], type: ["SCT", "10200004", "Liver"] } });
    expect(decodeMask(metaBytes).metadata("a").type).toEqual(["SCT", "10200004", "Liver"]);
    const layered = colored.clone();
    layered.addLabel(Uint8Array.of(0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0), 3, "c", { onOverlap: "layer" });
    const bytes = encodeMask(layered);
    expect(version(bytes)).toBe("2.0");
    const info = readMaskInfo(bytes);
    expect(info.layerCount).toBe(2);
    expect(info.stats!.map((s) => [s.name, s.voxels])).toEqual([["a", 2], ["b", 2], ["c", 2]]);
    expect(readNativeHeader(bytes).header.labels!.find((l) => l.name === "c")!.layer).toBe(1);
    // A flattened save is a version-1 file again.
    expect(version(encodeMask(layered, { flatten: true }))).toBe("1.1");
  });

  it("refuses a version-2 header that lies about layers, or metadata that is not valid, with BAD_FORMAT", () => {
    const layered = new SegmentationMask([Uint8Array.of(1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), Uint8Array.of(0, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0)], { a: 1, b: 2 }, space);
    const good = encodeMask(layered);
    const edit = (fn: (h: Record<string, unknown>) => void) => codeOf(() => decodeMask(rewriteNativeHeader(good, fn)));
    expect(edit((h) => ((h.labels as { layer?: number }[])[1]!.layer = 0))).toBe("BAD_FORMAT"); // says layer 0, voxels in 1
    expect(edit((h) => ((h.labels as { layer?: number }[])[1]!.layer = 2))).toBe("BAD_FORMAT"); // no layer 2
    expect(edit((h) => (h.slabs = (h.layers as { slabs: unknown }[])[0]!.slabs))).toBe("BAD_FORMAT");
    expect(edit((h) => (h.layers = []))).toBe("BAD_FORMAT");
    expect(edit((h) => (h.metadata = { a: { color: [2, 0, 0] } }))).toBe("BAD_FORMAT");
    expect(edit((h) => (h.metadata = { nobody: { color: [1, 0, 0] } }))).toBe("BAD_FORMAT");
    expect(edit((h) => (h.metadata = { a: { type: ["SCT", "1"] } }))).toBe("BAD_FORMAT");
    // Both layers hold label 1: DUPLICATE_LABEL inside, BAD_FORMAT for the file.
    const twice = rewriteNativeHeader(encodeMask(new SegmentationMask([Uint8Array.of(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), Uint8Array.of(0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)], { a: 1, b: 2 }, space)), (h) => {
      const layers = h.layers as { slabs: unknown }[];
      layers[1] = layers[0]!;
      delete h.labels;
    });
    expect(codeOf(() => decodeMask(twice))).toBe("BAD_FORMAT");
  });
});

describe("label metadata", () => {
  const space = new Space({ shape: [1, 2, 2] });
  const liver: LabelMetadata = { color: [0.86, 0.55, 0.39], category: ["SCT", "123037004", "Anatomical Structure"], type: ["SCT", "10200004", "Liver"] };

  it("is checked, kept by clone, toResident and flatten, and cleared with {}", () => {
    const seg = new SegmentationMask(Uint8Array.of(1, 0, 2, 0), { liver: 1, spleen: 2 }, space, { metadata: { liver } });
    expect(seg.metadata("liver")).toEqual(liver);
    expect(seg.metadata("spleen")).toEqual({});
    expect(codeOf(() => seg.metadata("kidney" as "liver"))).toBe("UNKNOWN_NAME");
    expect(codeOf(() => seg.setMetadata("spleen", { color: [1, 0] as unknown as [number, number, number] }))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => seg.setMetadata("spleen", { color: [1, 0, 1.5] }))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => seg.setMetadata("spleen", { type: ["SCT", "", "x"] }))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => seg.setMetadata("spleen", { colour: [1, 0, 0] } as LabelMetadata))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => new SegmentationMask(Uint8Array.of(1, 0, 0, 0), { liver: 1 }, space, { metadata: { kidney: liver } }))).toBe("UNKNOWN_NAME");
    seg.setMetadata("spleen", { color: [0.5, 0.5, 0.5] });
    expect(seg.clone().allMetadata()).toEqual(seg.allMetadata());
    expect(seg.toResident().allMetadata()).toEqual(seg.allMetadata());
    expect(seg.flatten().mask.allMetadata()).toEqual(seg.allMetadata());
    seg.setMetadata("spleen", {});
    expect(Object.keys(seg.allMetadata())).toEqual(["liver"]);
    // The caller's object is copied, not kept.
    const mine = { color: [0, 0, 1] as [number, number, number] };
    seg.setMetadata("spleen", mine);
    mine.color[0] = 1;
    expect(seg.metadata("spleen").color).toEqual([0, 0, 1]);
  });

  it("travels in the NIfTI names sidecar ({labels, metadata}) and back through saveNifti / loadNifti", async () => {
    const { saveNifti, loadNifti } = await import("../../src/node.js");
    const { readFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tempDir } = await import("../helpers/files.js");
    const dir = tempDir();
    const seg = new SegmentationMask(Uint8Array.of(1, 0, 2, 0), { liver: 1, spleen: 2 }, space, { metadata: { liver } });
    await saveNifti(seg, join(dir, "case.nii.gz"));
    expect(JSON.parse(readFileSync(join(dir, "case.json"), "utf8"))).toEqual({ labels: { liver: 1, spleen: 2 }, metadata: { liver } });
    const back = await loadNifti(join(dir, "case.nii.gz"));
    expect(back.allMetadata()).toEqual({ liver });
    // Without metadata the sidecar stays the plain {name: label} other tools read.
    await saveNifti(new SegmentationMask(Uint8Array.of(1, 0, 0, 0), { liver: 1 }, space), join(dir, "plain.nii.gz"));
    expect(JSON.parse(readFileSync(join(dir, "plain.json"), "utf8"))).toEqual({ liver: 1 });
    // A sidecar edited by hand with a bad colour is BAD_FORMAT, not a silent default.
    const { writeFileSync } = await import("node:fs");
    writeFileSync(join(dir, "bad.json"), JSON.stringify({ labels: { liver: 1 }, metadata: { liver: { color: [300, 0, 0] } } }));
    await saveNifti(new SegmentationMask(Uint8Array.of(1, 0, 0, 0), { liver: 1 }, space), join(dir, "bad.nii.gz"), { sidecar: false });
    const { asyncCodeOf } = await import("../helpers/errors.js");
    expect(await asyncCodeOf(() => loadNifti(join(dir, "bad.nii.gz"), { labels: join(dir, "bad.json") }))).toBe("BAD_FORMAT");
  });

  it("travels in NIfTI (inside the file) and refuses a layered mask there unless flattened", async () => {
    const seg = new SegmentationMask(Uint8Array.of(1, 0, 2, 0), { liver: 1, spleen: 2 }, space, { metadata: { liver } });
    const back = readNifti(encodeNifti(seg));
    expect(back.labels).toEqual({ labels: { liver: 1, spleen: 2 }, metadata: { liver } });
    const layered = seg.clone();
    layered.addLabel(Uint8Array.of(1, 1, 0, 0), 3, "tumour", { onOverlap: "layer" });
    expect(codeOf(() => encodeNifti(layered))).toBe("LAYERED");
    expect(Array.from(readNifti(encodeNifti(layered, { flatten: true })).data)).toEqual([3, 3, 2, 0]);
    await initZstd();
    expect(codeOf(() => encodeMask(layered, { format: "python" }))).toBe("LAYERED");
    expect(Array.from(decodeMask(encodeMask(layered, { format: "python", flatten: true })).data)).toEqual([3, 3, 2, 0]);
    const python = MaskArchive.inMemory(space, { format: "python" });
    expect(codeOf(() => python.add("case", layered))).toBe("LAYERED");
  });
});

describe("the 117 TotalSegmentator organs", () => {
  it("keep every voxel in two layers (greedy packing), femur_right all 73,391 of them; flattened, the shared voxels are lost", async () => {
    const { loadNiftiFolder, readNiftiFolder } = await import("../../src/node.js");
    const dir = new URL("../../data/totalsegmentator-s0000/", import.meta.url).pathname;
    const { mask, overlaps } = await loadNiftiFolder(dir);
    const { masks } = await readNiftiFolder(dir);
    expect(mask.layerCount).toBe(2);
    expect(overlaps.length).toBeGreaterThan(0);
    const stats = new Map(mask.labelStats().map((s) => [s.name, s.voxels]));
    for (const m of masks) expect(stats.get(m.name), m.name).toBe(sum(m.data));
    expect(stats.get("femur_right")).toBe(73391);
    const flat = mask.flatten();
    expect(flat.covered).toBeGreaterThan(0);
    expect(flat.mask.labelStats().reduce((s, l) => s + l.voxels, 0)).toBe(masks.reduce((s, m) => s + sum(m.data), 0) - flat.covered);
  }, 60_000);
});
