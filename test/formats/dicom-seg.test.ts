import fc from "fast-check";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SegmentationMask, Space, decodeDicomSeg, decodeMask, encodeDicomSeg, loadDicomSeg, readSegNrrd, saveDicomSeg } from "../../src/node.js";
import { BACKENDS, useBackend } from "../helpers/backends.js";
import { dciodvfyErrors, hasDciodvfy, hasPydicom, pydicomEdit, pydicomImages, pydicomRead, pydicomTranscode } from "../helpers/dicom-tools.js";
import { codeOf } from "../helpers/files.js";

const FIXTURES = new URL("../fixtures/dicom-seg/", import.meta.url).pathname;
const FILES = [
  "highdicom/seg_image_ct_binary.dcm",
  "highdicom/seg_image_ct_binary_overlap.dcm",
  "highdicom/seg_image_ct_binary_fractional.dcm",
  "highdicom/seg_image_ct_true_fractional.dcm",
  "highdicom/seg_image_ct_binary_single_frame.dcm",
  "dcmqi/24x38x3/seg/label.seg",
  "dcmqi/liver.dcm",
  "dcmqi/sparse-labelmap-noppv.dcm",
  "pydicom-data/liver_deflate.dcm",
];
const read = (name: string) => new Uint8Array(readFileSync(FIXTURES + name));
const tmp = mkdtempSync(join(tmpdir(), "medmask-dicom-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The number of voxels of `name` in slice `z` of `mask`. */
function sliceCount(mask: SegmentationMask<string>, name: string, z: number): number {
  const [, rows, columns] = mask.space.shape;
  const binary = mask.getBinaryMaskByNames(name);
  let n = 0;
  for (let i = z * rows * columns; i < (z + 1) * rows * columns; i++) n += binary[i]!;
  return n;
}

/** The slice of `mask` at patient position `p` (which must lie on its grid). */
function sliceAt(mask: SegmentationMask<string>, p: readonly number[]): number {
  const s = mask.space;
  const d = [p[0]! - s.origin[0], p[1]! - s.origin[1], p[2]! - s.origin[2]];
  const k = (d[0]! * s.xOrientation[0] + d[1]! * s.xOrientation[1] + d[2]! * s.xOrientation[2]) / s.spacing[0];
  expect(Math.abs(k - Math.round(k))).toBeLessThan(1e-3);
  return Math.round(k);
}

/** Every frame pydicom read matches the slice of medmask's mask at that position. */
function expectSameAsPydicom(mask: SegmentationMask<string>, names: Map<number, string>, peer: ReturnType<typeof pydicomRead>[number]): void {
  expect([mask.space.shape[1], mask.space.shape[2]]).toEqual([peer.rows, peer.columns]);
  for (const f of peer.frames) {
    const z = sliceAt(mask, f.position);
    if (peer.type === "LABELMAP") {
      for (const [value, count] of Object.entries(f.counts ?? {})) expect(sliceCount(mask, names.get(Number(value))!, z)).toBe(count);
    } else {
      expect(sliceCount(mask, names.get(f.segment!)!, z)).toBe(f.set);
    }
  }
}

describe.each(BACKENDS)("DICOM SEG files of other tools (%s)", (backend) => {
  useBackend(backend);

  it.each(FILES)("%s reads, frame for frame as pydicom reads it", (name) => {
    const { mask, segments, segmentationType } = decodeDicomSeg(read(name));
    expect(segments.length).toBeGreaterThan(0);
    for (const s of segments) expect(mask.mapping.get(s.name)).toBe(s.number);
    if (!hasPydicom) return;
    const [peer] = pydicomRead([FIXTURES + name]);
    expect(segmentationType).toBe(peer!.type);
    expect(segments.map((s) => s.number)).toEqual(peer!.segments.map((s) => s.number).filter((n) => n !== 0));
    if (peer!.decoded) expectSameAsPydicom(mask, new Map(segments.map((s) => [s.number, s.name])), peer!);
  });

  it.runIf(hasPydicom).each([
    ["dcmqi/24x38x3/seg/label.seg", "big"],
    ["dcmqi/24x38x3/seg/label.seg", "deflated"],
    ["highdicom/seg_image_ct_true_fractional.dcm", "rle"],
    ["dcmqi/sparse-labelmap-noppv.dcm", "rle"],
  ] as const)("%s rewritten by pydicom as %s reads the same", (name, kind) => {
    const path = join(tmp, `${kind}-${backend}-${name.replace(/\//g, "_")}`);
    pydicomTranscode(FIXTURES + name, path, kind);
    const a = decodeDicomSeg(read(name)).mask;
    const b = decodeDicomSeg(new Uint8Array(readFileSync(path)));
    expect(b.transferSyntax).toBe({ big: "1.2.840.10008.1.2.2", deflated: "1.2.840.10008.1.2.1.99", rle: "1.2.840.10008.1.2.5" }[kind]);
    expect(b.mask.layers).toEqual(a.layers);
    expect(b.mask.space.equals(a.space)).toBe(true);
    expect(b.mask.mapping.toJSON()).toEqual(a.mapping.toJSON());
  });

  it("matches the label maps dcmqi made of its SEGs (NRRD): geometry to 1e-4 mm, every voxel", () => {
    for (const [seg, nrrd] of [["dcmqi/liver.dcm", "dcmqi/liver_seg.nrrd"], ["dcmqi/sparse-labelmap-noppv.dcm", "dcmqi/sparse_labelmap_noppv_seg.nrrd"], ["dcmqi/24x38x3/seg/label.seg", "dcmqi/24x38x3/nrrd/label.nrrd"]]) {
      const { mask } = decodeDicomSeg(read(seg!));
      const map = readSegNrrd(read(nrrd!));
      expect(map.layers).toHaveLength(1);
      expect(mask.space.shape, seg).toEqual(map.space.shape);
      for (const key of ["origin", "spacing", "xOrientation", "yOrientation", "zOrientation"] as const) {
        mask.space[key].forEach((v, i) => expect(Math.abs(v - map.space[key][i]!), `${seg} ${key}`).toBeLessThan(1e-4));
      }
      // dcmqi writes each segment's number as its value; medmask's labels are the segment numbers.
      const labels = map.layers[0]!;
      expect(labels.some((v) => v !== 0), nrrd).toBe(true);
      expect(Array.from(mask.data), seg).toEqual(Array.from(labels));
    }
  });

  it("the deflated liver (pydicom 2.3 cannot decode its frames) equals dcmqi's uncompressed one", () => {
    const a = decodeDicomSeg(read("pydicom-data/liver_deflate.dcm"));
    const b = decodeDicomSeg(read("dcmqi/liver.dcm"));
    expect(a.transferSyntax).toBe("1.2.840.10008.1.2.8.1");
    expect(a.mask.getBinaryMaskByNames("Liver")).toEqual(b.mask.getBinaryMaskByNames("Liver"));
    expect(a.mask.space.equals(b.mask.space)).toBe(true);
  });

  it("geometry, names, colours and codes come from the file (dcmqi's liver)", () => {
    const { mask } = decodeDicomSeg(read("dcmqi/liver.dcm"));
    expect(mask.space.shape).toEqual([3, 512, 512]);
    expect(mask.space.origin).toEqual([-235.2, -226.8, -128.69]);
    expect(mask.space.spacing).toEqual([1, 0.810547, 0.810547]);
    const meta = mask.metadata("Liver");
    expect(meta.type).toEqual(["SRT", "T-62000", "Liver"]);
    expect(meta.color![0]).toBeGreaterThan(meta.color![2]!);
  });

  it("overlapping segments go to layers; a gap between frames is empty slices on the grid", () => {
    const { mask, segments } = decodeDicomSeg(read("highdicom/seg_image_ct_binary_overlap.dcm"));
    expect(mask.layerCount).toBe(2);
    expect(segments.map((s) => s.layer)).toEqual([0, 1]);
    // Frames at -99.48 and 103.02..105.52 with 1.25 mm slices: 165 slices, most empty.
    expect(mask.space.shape[0]).toBe(165);
    expect(mask.labelStats().map((s) => s.voxels)).toEqual([64, 16]);
  });

  it("is opened by decodeMask and loadDicomSeg", async () => {
    expect(decodeMask(read("dcmqi/liver.dcm")).labelStats("Liver")[0]!.voxels).toBe(107098);
    expect((await loadDicomSeg(FIXTURES + "dcmqi/liver.dcm")).mask.mapping.get("Liver")).toBe(1);
  });
});

/** A random right-handed rotation's axes (DICOM's normal is row x column). */
const rotation = fc.tuple(fc.double({ min: -Math.PI, max: Math.PI, noNaN: true }), fc.double({ min: -Math.PI, max: Math.PI, noNaN: true })).map(([a, b]) => {
  const row = [Math.cos(a), Math.sin(a), 0];
  const col = [-Math.sin(a) * Math.cos(b), Math.cos(a) * Math.cos(b), Math.sin(b)];
  const normal = [row[1]! * col[2]! - row[2]! * col[1]!, row[2]! * col[0]! - row[0]! * col[2]!, row[0]! * col[1]! - row[1]! * col[0]!];
  return { x: normal, y: col, z: row };
});

const maskCase = fc
  .record({
    shape: fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 11 })),
    labels: fc.integer({ min: 1, max: 200 }),
    seed: fc.array(fc.nat(), { minLength: 1, maxLength: 64 }),
    layered: fc.boolean(),
    axes: rotation,
    spacing: fc.tuple(fc.double({ min: 0.1, max: 5, noNaN: true }), fc.double({ min: 0.1, max: 5, noNaN: true }), fc.double({ min: 0.1, max: 5, noNaN: true })),
  })
  .map(({ shape, labels, seed, layered, axes, spacing }) => {
    const n = shape[0] * shape[1] * shape[2];
    const data = new (labels > 255 ? Uint16Array : Uint8Array)(n);
    for (let i = 0; i < n; i++) data[i] = seed[i % seed.length]! % (labels + 1);
    // Labels 1..labels, every one present where the volume has room; a second layer overlaps the first.
    for (let l = 1; l <= Math.min(labels, n); l++) data[(l * 7919) % n] = l;
    const used = [...new Set(data)].filter((v) => v !== 0).sort((a, b) => a - b);
    const mapping = Object.fromEntries(used.map((v) => [`organ ${v}`, v]));
    const space = new Space({ shape, spacing, origin: [10.5, -20.25, 3], xOrientation: axes.x, yOrientation: axes.y, zOrientation: axes.z });
    if (!layered || used.length === 0) return new SegmentationMask(data, mapping, space);
    const top = used[used.length - 1]! + 1;
    const second = new (top > 255 ? Uint16Array : Uint8Array)(n);
    second[0] = top;
    return new SegmentationMask(top > 255 && data instanceof Uint8Array ? [Uint16Array.from(data), second] : [data, second], { ...mapping, extra: top }, space);
  });

/** Labels renumbered 1..n in order, as SEG segment numbers are: the same voxels by name. */
function expectSameByName(a: SegmentationMask<string>, b: SegmentationMask<string>): void {
  expect(b.mapping.names().sort()).toEqual(a.mapping.names().sort());
  for (const name of a.mapping.names()) expect(b.getBinaryMaskByNames(name)).toEqual(a.getBinaryMaskByNames(name));
  for (let i = 0; i < 3; i++) {
    expect(b.space.spacing[i]).toBeCloseTo(a.space.spacing[i]!, 4);
    expect(b.space.origin[i]).toBeCloseTo(a.space.origin[i]!, 4);
    for (const axis of ["xOrientation", "yOrientation", "zOrientation"] as const) expect(b.space[axis][i]).toBeCloseTo(a.space[axis][i]!, 5);
  }
}

describe.each(BACKENDS)("DICOM SEG written by medmask (%s)", (backend) => {
  useBackend(backend);

  it("random masks -> SEG -> back, voxel for voxel: BINARY (layers too) and LABELMAP", () => {
    fc.assert(
      fc.property(maskCase, (mask) => {
        if (mask.mapping.size === 0) return;
        expectSameByName(mask, decodeDicomSeg(encodeDicomSeg(mask)).mask);
        if (mask.layerCount === 1) expectSameByName(mask, decodeDicomSeg(encodeDicomSeg(mask, { type: "LABELMAP" })).mask);
      }),
      { numRuns: 60 },
    );
  });

  it("labels 1..n come back as the same labels, with names, colours and codes", () => {
    const data = Uint8Array.from([0, 1, 1, 2, 0, 2, 3, 0]);
    const mask = new SegmentationMask(data, { liver: 1, spleen: 2, kidney: 3 }, new Space({ shape: [2, 2, 2], spacing: [2.5, 0.7, 0.7] }), {
      metadata: { liver: { color: [0.8, 0.3, 0.2], category: ["SCT", "123037004", "Anatomical Structure"], type: ["SCT", "10200004", "Liver"] } },
    });
    for (const type of ["BINARY", "LABELMAP"] as const) {
      const back = decodeDicomSeg(encodeDicomSeg(mask, { type })).mask;
      expect(back.mapping.toJSON()).toEqual({ liver: 1, spleen: 2, kidney: 3 });
      expect(back.data).toEqual(data);
      const meta = back.metadata("liver");
      expect(meta.type).toEqual(["SCT", "10200004", "Liver"]);
      meta.color!.forEach((c, i) => expect(c).toBeCloseTo([0.8, 0.3, 0.2][i]!, 2));
      // Uncoded labels get the generic Tissue codes, so the file stays valid.
      expect(back.metadata("spleen").type).toEqual(["SCT", "85756007", "Tissue"]);
    }
  });

  it("a LABELMAP of a layered mask is INVALID_ARGUMENT; unknown options too", () => {
    const mask = new SegmentationMask([Uint8Array.of(1, 0), Uint8Array.of(2, 0)], { a: 1, b: 2 }, new Space({ shape: [1, 1, 2] }));
    expect(codeOf(() => encodeDicomSeg(mask, { type: "LABELMAP" }))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => encodeDicomSeg(mask, { source: [] } as never))).toBe("INVALID_ARGUMENT");
  });

  it("saveDicomSeg refuses to replace a file unless { overwrite: true }", async () => {
    const mask = new SegmentationMask(Uint8Array.of(1, 0), { a: 1 }, new Space({ shape: [1, 1, 2] }));
    const path = join(tmp, `save-${backend}.dcm`);
    await saveDicomSeg(mask, path);
    await expect(saveDicomSeg(mask, path)).rejects.toMatchObject({ code: "FILE_EXISTS" });
    await saveDicomSeg(mask, path, { overwrite: true });
    expect((await loadDicomSeg(path)).mask.data).toEqual(Uint8Array.of(1, 0));
  });
});

describe.runIf(hasPydicom || hasDciodvfy)("SEGs medmask writes, checked by pydicom and dciodvfy", () => {
  const cases = [
    { name: "overlap", mask: () => decodeDicomSeg(read("highdicom/seg_image_ct_binary_overlap.dcm")).mask, type: "BINARY" as const },
    { name: "liver", mask: () => decodeDicomSeg(read("dcmqi/liver.dcm")).mask, type: "BINARY" as const },
    { name: "odd-size", mask: () => new SegmentationMask(Uint8Array.from({ length: 3 * 5 * 7 }, (_, i) => (i * 13) % 4), { a: 1, b: 2, c: 3 }, new Space({ shape: [3, 5, 7] })), type: "BINARY" as const },
    { name: "liver-labelmap", mask: () => decodeDicomSeg(read("dcmqi/liver.dcm")).mask, type: "LABELMAP" as const },
  ];
  it.each(cases)("$name ($type): pydicom reads the same segments and voxels; dciodvfy reports no error", ({ name, mask: make, type }) => {
    const mask = make();
    const path = join(tmp, `${name}.dcm`);
    writeFileSync(path, encodeDicomSeg(mask, { type }));
    if (hasPydicom) {
      const [peer] = pydicomRead([path]);
      expect(peer!.type).toBe(type);
      const stats = mask.labelStats();
      expect(peer!.segments.map((s) => s.label)).toEqual(stats.map((s) => s.name));
      const names = new Map(stats.map((s, i) => [i + 1, s.name]));
      expectSameAsPydicom(mask, names, peer!);
      // Every voxel of every label is in some frame.
      const total = peer!.frames.reduce((n, f) => n + (f.set ?? Object.values(f.counts ?? {}).reduce((a, b) => a + b, 0)), 0);
      expect(total).toBe(stats.reduce((n, s) => n + s.voxels, 0));
    }
    if (hasDciodvfy) {
      const errors = dciodvfyErrors(path);
      // dicom3tools 2022 predates Supplement 243: it knows no LABELMAP IOD (dcmqi's own LABELMAP gets the same single line).
      if (type === "LABELMAP") expect(errors).toEqual(dciodvfyErrors(FIXTURES + "dcmqi/sparse-labelmap-noppv.dcm").filter((l) => l.includes("Information Object Not found")));
      else expect(errors).toEqual([]);
    }
  });
});

describe("a SEG made from its source images ({ source })", () => {
  // dcmqi's 3-slice test case: the CT images (38 x 24, implicit VR) and dcmqi's SEG of them.
  const IMAGES = ["IMG0003.dcm", "IMG0001.dcm", "IMG0002.dcm"].map((f) => `dcmqi/24x38x3/image/${f}`); // any order
  const source = () => IMAGES.map(read);
  const mask = () => decodeDicomSeg(read("dcmqi/24x38x3/seg/label.seg")).mask;
  const like = (sp: Space) => ({ shape: [...sp.shape], spacing: [...sp.spacing], origin: [...sp.origin], xOrientation: [...sp.xOrientation], yOrientation: [...sp.yOrientation], zOrientation: [...sp.zOrientation] });

  it("shares the images' study, frame of reference and patient, and reads back as the same mask", () => {
    for (const type of ["BINARY", "LABELMAP"] as const) {
      const seg = mask();
      const back = decodeDicomSeg(encodeDicomSeg(seg, { type, source: source() }));
      expectSameByName(back.mask, seg);
      expect(back.frameOfReference).toBe(decodeDicomSeg(read("dcmqi/24x38x3/seg/label.seg")).frameOfReference);
    }
  });

  it.runIf(hasPydicom)("pydicom: each frame names the image at its position; the referenced series lists every image", () => {
    const images = pydicomImages(IMAGES.map((f) => FIXTURES + f));
    for (const type of ["BINARY", "LABELMAP"] as const) {
      const path = join(tmp, `with-source-${type}.dcm`);
      writeFileSync(path, encodeDicomSeg(mask(), { type, source: source() }));
      const [seg] = pydicomRead([path]);
      const image = images[0]!;
      expect({ study: seg!.study, frameOfReference: seg!.frameOfReference, patientId: seg!.patientId, patientName: seg!.patientName }).toEqual({
        study: image.study,
        frameOfReference: image.frameOfReference,
        patientId: image.patientId,
        patientName: image.patientName,
      });
      expect(seg!.series).not.toBe(image.series);
      expect(seg!.referencedSeries).toEqual([{ series: image.series, instances: images.map((im) => im.sop) }]);
      expect(seg!.frames.length).toBeGreaterThan(0);
      for (const frame of seg!.frames) {
        const at = images.find((im) => im.position.every((v, i) => v === frame.position[i]));
        expect(at, JSON.stringify(frame.position)).toBeDefined();
        expect(frame.source).toBe(at!.sop);
      }
    }
  });

  it.runIf(hasDciodvfy)("dciodvfy reports no error for a BINARY SEG with its references", () => {
    const path = join(tmp, "with-source-dciodvfy.dcm");
    writeFileSync(path, encodeDicomSeg(mask(), { source: source() }));
    expect(dciodvfyErrors(path)).toEqual([]);
  });

  it("a mask of some of the slices references just those; a mask off the images' grid, or images of two series, are refused", () => {
    const seg = mask();
    const [, rows, columns] = seg.shape;
    // The last two slices alone.
    const two = new SegmentationMask(seg.data.slice(rows * columns), seg.mapping, new Space({ ...like(seg.space), shape: [2, rows, columns], origin: seg.space.indexToWorld([1, 0, 0]) }));
    expectSameByName(decodeDicomSeg(encodeDicomSeg(two, { source: source() })).mask, two);
    // Half a slice off, a column short, turned: SHAPE_MISMATCH.
    const shifted = new SegmentationMask(seg.data, seg.mapping, new Space({ ...like(seg.space), origin: seg.space.indexToWorld([0.5, 0, 0]) }));
    expect(codeOf(() => encodeDicomSeg(shifted, { source: source() }))).toBe("SHAPE_MISMATCH");
    const narrow = new SegmentationMask(new Uint8Array(3 * rows * (columns - 1)).fill(1), { a: 1 }, new Space({ ...like(seg.space), shape: [3, rows, columns - 1] }));
    expect(codeOf(() => encodeDicomSeg(narrow, { source: source() }))).toBe("SHAPE_MISMATCH");
    const turned = new SegmentationMask(seg.data, seg.mapping, new Space({ ...like(seg.space), yOrientation: seg.space.zOrientation, zOrientation: seg.space.yOrientation.map((v) => -v) }));
    expect(codeOf(() => encodeDicomSeg(turned, { source: source() }))).toBe("SHAPE_MISMATCH");
    // Another series (highdicom's CT image) among them; not DICOM; not bytes.
    expect(codeOf(() => encodeDicomSeg(seg, { source: [...source(), read("highdicom/ct_image.dcm")] }))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => encodeDicomSeg(seg, { source: [new Uint8Array(300)] }))).toBe("BAD_FORMAT");
    expect(codeOf(() => encodeDicomSeg(seg, { source: ["IMG0001.dcm"] as never }))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => encodeDicomSeg(seg, { source: [] }))).toBe("INVALID_ARGUMENT");
  });
});

describe("bad DICOM SEGs are clear errors", () => {
  const liver = read("dcmqi/24x38x3/seg/label.seg");
  it("truncated anywhere: TRUNCATED or BAD_FORMAT, never a crash", () => {
    for (let cut = 0; cut < liver.length; cut += 97) {
      const code = codeOf(() => decodeDicomSeg(liver.subarray(0, cut)));
      expect(["TRUNCATED", "BAD_FORMAT"]).toContain(code);
    }
    // Every byte of the preamble and the file meta information (a cut inside a long VR's
    // header once read past the end: a RangeError, found by the fuzzer).
    for (let cut = 128; cut < 400; cut++) expect(["TRUNCATED", "BAD_FORMAT"], `cut at ${cut}`).toContain(codeOf(() => decodeDicomSeg(liver.subarray(0, cut))));
  });
  it("not DICOM, or another transfer syntax", () => {
    expect(codeOf(() => decodeDicomSeg(new Uint8Array(200)))).toBe("BAD_FORMAT");
    const other = liver.slice();
    const text = new TextDecoder("latin1").decode(other);
    const at = text.indexOf("1.2.840.10008.1.2.1");
    other.set(new TextEncoder().encode("1.2.840.10008.1.2.4"), at); // JPEG family, same length
    expect(codeOf(() => decodeDicomSeg(other))).toBe("UNSUPPORTED_VERSION");
    expect(codeOf(() => decodeDicomSeg("x.dcm" as never))).toBe("INVALID_ARGUMENT");
  });
  it("a frame count that does not match, and a segment no segment declares", () => {
    const mask = new SegmentationMask(Uint8Array.of(1, 0, 1, 1), { a: 1 }, new Space({ shape: [2, 1, 2] }));
    const bytes = encodeDicomSeg(mask);
    const text = new TextDecoder("latin1").decode(bytes);
    // NumberOfFrames "2 " -> "9 ": more frames than the pixel data and the functional groups hold.
    const frames = bytes.slice();
    const at = text.indexOf("\x28\x00\x08\x00IS");
    frames[at + 8] = "9".charCodeAt(0);
    expect(codeOf(() => decodeDicomSeg(frames))).toBe("BAD_FORMAT");
    // ReferencedSegmentNumber 1 -> 7.
    const segment = bytes.slice();
    const ref = text.indexOf("\x62\x00\x0b\x00US");
    segment[ref + 8] = 7;
    expect(codeOf(() => decodeDicomSeg(segment))).toBe("BAD_FORMAT");
  });

  it.runIf(hasPydicom)("two segments of one label: DUPLICATE_NAME, or name and name_2 with renameDuplicates", () => {
    const path = join(tmp, "same-names.dcm");
    pydicomEdit(FIXTURES + "highdicom/seg_image_ct_binary_overlap.dcm", path, "d.SegmentSequence[1].SegmentLabel = d.SegmentSequence[0].SegmentLabel");
    const bytes = new Uint8Array(readFileSync(path));
    expect(codeOf(() => decodeDicomSeg(bytes))).toBe("DUPLICATE_NAME");
    const first = decodeDicomSeg(read("highdicom/seg_image_ct_binary_overlap.dcm")).segments[0]!.name;
    expect(decodeDicomSeg(bytes, { renameDuplicates: true }).segments.map((s) => s.name)).toEqual([first, `${first}_2`]);
  });

  it("positions off the grid, 2^31 frames declared, a per-frame orientation that differs", () => {
    const mask = new SegmentationMask(Uint8Array.of(1, 1, 1), { a: 1 }, new Space({ shape: [3, 1, 1] }));
    const bytes = encodeDicomSeg(mask);
    const text = new TextDecoder("latin1").decode(bytes);
    const offGrid = bytes.slice();
    const at = text.indexOf("2\\0\\0 ");
    expect(at).toBeGreaterThan(0);
    offGrid.set(new TextEncoder().encode("2.5\\0\\0"), at);
    expect(codeOf(() => decodeDicomSeg(offGrid))).toBe("BAD_FORMAT");
    if (!hasPydicom) return;
    const path = join(tmp, "orientation.dcm");
    writeFileSync(path, bytes);
    const huge = join(tmp, "huge.dcm");
    pydicomEdit(path, huge, "d.NumberOfFrames = 2147483648");
    // Refused against the pixel data's length before anything the count claims is allocated.
    expect(codeOf(() => decodeDicomSeg(new Uint8Array(readFileSync(huge)), { maxBytes: 2 ** 20 }))).toBe("BAD_FORMAT");
    pydicomEdit(path, path, "import copy\nfor i, f in enumerate(d.PerFrameFunctionalGroupsSequence):\n    f.PlaneOrientationSequence = copy.deepcopy(d.SharedFunctionalGroupsSequence[0].PlaneOrientationSequence)\n    if i == 1: f.PlaneOrientationSequence[0].ImageOrientationPatient = [0, 1, 0, 0, 0, 1]");
    const error = (() => {
      try {
        decodeDicomSeg(new Uint8Array(readFileSync(path)));
      } catch (e) {
        return e as Error & { code: string };
      }
    })();
    expect(error?.code).toBe("BAD_FORMAT");
    expect(error?.message).toMatch(/orientation/);
  });
});
