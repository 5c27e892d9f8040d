import { gzipSync } from "fflate";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { SegmentationMask, Space, decodeMask, decodeSegNrrd, encodeMask, encodeSegNrrd, readSegNrrd, segNrrdSegments, writeSegNrrdLayers } from "../../src/index.js";
import { BACKENDS, useBackend } from "../helpers/backends.js";
import { codeOf, sha256 } from "../helpers/files.js";

const space = new Space({ shape: [3, 4, 5], spacing: [2.5, 0.8, 0.7], origin: [10, -20, 30], xOrientation: [0, 0, 1], yOrientation: [0.6, 0.8, 0], zOrientation: [0.8, -0.6, 0] });

function headerOf(bytes: Uint8Array): Map<string, string> {
  const text = new TextDecoder().decode(bytes.subarray(0, bytes.indexOf(10, bytes.findIndex((b, i) => b === 10 && bytes[i + 1] === 10)) + 1));
  return new Map(text.split("\n").filter((l) => l.includes(":=")).map((l) => [l.slice(0, l.indexOf(":=")), l.slice(l.indexOf(":=") + 2)]));
}

describe.each(BACKENDS)("3D Slicer .seg.nrrd on %s", (backend) => {
  useBackend(backend);

  it("writes Slicer's segment keys and reads back names, labels, voxels and geometry", () => {
    const data = new Uint8Array(60);
    data.fill(1, 0, 7);
    data.fill(4, 40, 52);
    const seg = new SegmentationMask(data, { liver: 1, spleen: 4 }, space);
    const bytes = encodeSegNrrd(seg, { colors: { liver: [0.86, 0.55, 0.39] } });
    const keys = headerOf(bytes);
    expect(keys.get("Segment0_Name")).toBe("liver");
    expect(keys.get("Segment0_LabelValue")).toBe("1");
    expect(keys.get("Segment0_Layer")).toBe("0");
    expect(keys.get("Segment0_Color")).toBe("0.86 0.55 0.39");
    expect(keys.get("Segment0_ID")).toBe("Segment_1");
    expect(keys.get("Segment1_Name")).toBe("spleen");
    expect(keys.get("Segment1_LabelValue")).toBe("4");
    // spleen: flat voxels 40..51 -> z 2, y 0..2, x 0..4: extent x0 x1 y0 y1 z0 z1
    expect(keys.get("Segment1_Extent")).toBe("0 4 0 2 2 2");
    expect(keys.get("Segmentation_MasterRepresentation")).toBe("Binary labelmap");
    const { mask, overlaps, segments } = decodeSegNrrd(bytes);
    expect(overlaps).toEqual([]);
    expect(segments.map((s) => s.name)).toEqual(["liver", "spleen"]);
    expect(mask.mapping.toJSON()).toEqual({ liver: 1, spleen: 4 });
    expect(sha256(mask.data)).toBe(sha256(data));
    expect(mask.space.equals(space, 1e-12)).toBe(true);
  });

  it("keeps overlapping segments in separate layers, exactly", () => {
    const a = new Uint8Array(60).fill(1, 0, 30);
    const b = new Uint8Array(60).fill(1, 20, 50); // overlaps a on 20..29
    const c = new Uint8Array(60).fill(1, 50, 60); // fits in layer 0 beside a
    const bytes = writeSegNrrdLayers(space, [{ name: "a", data: a }, { name: "b", data: b }, { name: "c", data: c }]);
    const nrrd = readSegNrrd(bytes);
    expect(nrrd.layers.length).toBe(2);
    expect(nrrd.segments.map((s) => [s.name, s.layer, s.labelValue])).toEqual([["a", 0, 1], ["b", 1, 1], ["c", 0, 2]]);
    const back = segNrrdSegments(nrrd);
    expect(back.map((m) => sha256(m.data as Uint8Array))).toEqual([a, b, c].map(sha256));
    // Decoded as a layered mask: every voxel of every segment, labels unique across layers
    // (layer 1's values raised by layer 0's largest).
    const { mask } = decodeSegNrrd(bytes);
    expect(mask.layerCount).toBe(2);
    expect(mask.mapping.toJSON()).toEqual({ a: 1, b: 3, c: 2 });
    expect(["a", "b", "c"].map((n) => sha256(mask.getBinaryMaskByNames(n)))).toEqual([a, b, c].map(sha256));
    expect(mask.labelStats().map((s) => [s.name, s.voxels])).toEqual([["a", 30], ["c", 10], ["b", 30]]);
    // And back out as Slicer numbers them: per-layer values, the same layers.
    const again = readSegNrrd(encodeSegNrrd(mask));
    expect(again.segments.map((s) => [s.name, s.layer, s.labelValue])).toEqual([["a", 0, 1], ["b", 1, 1], ["c", 0, 2]]);
    expect(segNrrdSegments(again).map((m) => sha256(m.data as Uint8Array))).toEqual([a, b, c].map(sha256));
  });

  it("layers any set of binary masks so that none overlaps another in its layer, and reads each back exactly", () => {
    const small = new Space({ shape: [3, 4, 5] });
    const boxArb = fc.tuple(fc.nat(2), fc.nat(2), fc.nat(3), fc.nat(3), fc.nat(4), fc.nat(4)); // z, z, y, y, x, x
    fc.assert(
      fc.property(fc.array(fc.tuple(boxArb, fc.boolean()), { minLength: 1, maxLength: 8 }), (specs) => {
        // Boxes (some left empty), so masks overlap or not, and lie anywhere.
        const masks = specs.map(([[za, zb, ya, yb, xa, xb], empty], i) => {
          const data = new Uint8Array(small.voxelCount);
          if (!empty) for (let z = Math.min(za, zb); z <= Math.max(za, zb); z++) for (let y = Math.min(ya, yb); y <= Math.max(ya, yb); y++) for (let x = Math.min(xa, xb); x <= Math.max(xa, xb); x++) data[(z * 4 + y) * 5 + x] = 1;
          return { name: `m${i}`, data };
        });
        const nrrd = readSegNrrd(writeSegNrrdLayers(small, masks, { gzip: false }));
        const back = segNrrdSegments(nrrd);
        expect(back.map((m) => Array.from(m.data))).toEqual(masks.map((m) => Array.from(m.data)));
        // Within a layer, each voxel belongs to at most one segment: the values do not collide.
        nrrd.layers.forEach((layer, l) => {
          const inLayer = nrrd.segments.map((seg, i) => [seg, masks[i]!] as const).filter(([seg]) => seg.layer === l);
          const covered = new Uint8Array(small.voxelCount);
          for (const [, m] of inLayer) m.data.forEach((v, i) => (covered[i] = covered[i]! + v));
          expect(Math.max(0, ...covered)).toBeLessThanOrEqual(1);
          expect(Array.from(layer).every((v, i) => (v === 0) === (covered[i] === 0))).toBe(true);
        });
      }),
      { numRuns: 100 },
    );
  });

  it("the real Slicer file (slicerio's): names, values, colours and codes; -> .msk -> .seg.nrrd gives them back", () => {
    const bytes = new Uint8Array(readFileSync(new URL("../fixtures/slicer/Segmentation.seg.nrrd", import.meta.url)));
    const { mask } = decodeSegNrrd(bytes);
    // slicerio's expected values (fixtures/slicer/README.md).
    expect(mask.mapping.names()).toEqual(["ribs", "cervical vertebral column", "thoracic vertebral column", "lumbar vertebral column", "right lung", "left lung", "tissue"]);
    expect(mask.mapping.get("right lung")).toBe(5);
    expect(mask.metadata("right lung")).toEqual({ color: [0.0862745, 0.772549, 0.278431], category: ["SCT", "123037004", "Anatomical Structure"], type: ["SCT", "39607008", "Lung"], modifier: ["SCT", "24028007", "Right"] });
    expect(mask.labelStats(["ribs", "right lung"]).map((s) => s.voxels)).toEqual([8487, 34450]);
    expect(mask.metadata("ribs").type).toEqual(["SCT", "113197003", "Rib"]);
    const via = decodeMask(encodeMask(mask));
    expect(via.allMetadata()).toEqual(mask.allMetadata());
    const out = encodeSegNrrd(via);
    const [was, now] = [readSegNrrd(bytes), readSegNrrd(out)];
    // Extents are not compared: Slicer writes the reference image's, medmask the tight box of each segment.
    const facts = (n: typeof was) => n.segments.map((s) => [s.name, s.labelValue, s.layer, s.color, s.terminology]);
    expect(facts(now)).toEqual(facts(was));
    expect(sha256(now.layers[0]!)).toBe(sha256(was.layers[0]!));
    expect(now.space.equals(was.space, 1e-9)).toBe(true);
    // The tags Slicer reads the codes from, in Slicer's layout.
    expect(headerOf(out).get("Segment4_Tags")).toBe(headerOf(bytes).get("Segment4_Tags"));
  });

  it("refuses a segment in a layer that does not exist, two segments of one value in a layer, and a colour outside [0, 1]", () => {
    const file = (pairs: string[]) =>
      new Uint8Array([...new TextEncoder().encode(["NRRD0004", "type: unsigned char", "dimension: 3", "sizes: 2 1 1", "encoding: raw", ...pairs, "", ""].join("\n")), 1, 0]);
    expect(decodeSegNrrd(file(["Segment0_Name:=a", "Segment0_LabelValue:=1"])).mask.mapping.get("a")).toBe(1);
    expect(codeOf(() => decodeSegNrrd(file(["Segment0_Name:=a", "Segment0_Layer:=1"])))).toBe("BAD_FORMAT");
    expect(codeOf(() => decodeSegNrrd(file(["Segment0_Name:=a", "Segment0_LabelValue:=1", "Segment1_Name:=b", "Segment1_LabelValue:=1"])))).toBe("BAD_FORMAT");
    expect(codeOf(() => decodeSegNrrd(file(["Segment0_Name:=a", "Segment0_Color:=1 0 1.5"])))).toBe("BAD_FORMAT");
    expect(codeOf(() => decodeSegNrrd(file(["Segment0_Name:=a", "Segment0_Color:=1 0"])))).toBe("BAD_FORMAT");
    expect(codeOf(() => decodeSegNrrd(file(["Segment0_Name:=a", "Segment0_LabelValue:=300"])))).toBe("BAD_FORMAT");
    expect(codeOf(() => decodeSegNrrd(file(["Segment0_Name:=a", "Segment0_Tags:=TerminologyEntry:ctx~SCT^1~^^~^^"])))).toBe("BAD_FORMAT");
  });

  it("reads a hand-written Slicer file: RAS space, raw encoding, 4-D layers, duplicate names", () => {
    const header = [
      "NRRD0004",
      "type: unsigned short",
      "dimension: 4",
      "space: right-anterior-superior",
      "sizes: 2 3 2 1",
      "space directions: none (-1,0,0) (0,-2,0) (0,0,3)",
      "kinds: list domain domain domain",
      "endian: little",
      "encoding: raw",
      "space origin: (-5,-6,7)",
      "Segment0_ID:=Segment_1",
      "Segment0_Name:=lesion",
      "Segment0_LabelValue:=300",
      "Segment0_Layer:=0",
      "Segment1_ID:=Segment_2",
      "Segment1_Name:=lesion",
      "Segment1_LabelValue:=1",
      "Segment1_Layer:=1",
      "",
      "",
    ].join("\n");
    const voxels = new Uint16Array([300, 0, 300, 1, 0, 1, 0, 0, 0, 0, 0, 0]); // (layer, x, y) interleaved
    const bytes = new Uint8Array([...new TextEncoder().encode(header), ...new Uint8Array(voxels.buffer)]);
    const nrrd = readSegNrrd(bytes);
    expect(nrrd.space.shape).toEqual([1, 2, 3]);
    expect(nrrd.space.reverseAxisOrder().xOrientation).toEqual([1, 0, 0]); // RAS (-1,0,0) is LPS (1,0,0)
    expect(nrrd.space.reverseAxisOrder().yOrientation).toEqual([0, 1, 0]);
    expect(nrrd.space.origin).toEqual([5, 6, 7]);
    expect(nrrd.space.spacing).toEqual([3, 2, 1]);
    expect(Array.from(nrrd.layers[0]!)).toEqual([300, 300, 0, 0, 0, 0]);
    expect(Array.from(nrrd.layers[1]!)).toEqual([0, 1, 1, 0, 0, 0]);
    expect(codeOf(() => decodeSegNrrd(bytes))).toBe("DUPLICATE_NAME");
    const { mask } = decodeSegNrrd(bytes, { renameDuplicates: true });
    expect(mask.mapping.names()).toEqual(["lesion", "lesion_2"]);
    expect(mask.mapping.get("lesion_2")).toBe(301);
    expect(Array.from(mask.getBinaryMaskByNames("lesion"))).toEqual([1, 1, 0, 0, 0, 0]);
    expect(Array.from(mask.getBinaryMaskByNames("lesion_2"))).toEqual([0, 1, 1, 0, 0, 0]);
  });

  it("reads every stored type, either byte order, at any data offset, layered or not, raw or gzip", () => {
    type Writer = (v: DataView, o: number, x: number, le: boolean) => void;
    const TYPES: Array<[string, number, Writer]> = [
      ["uchar", 1, (v: DataView, o: number, x: number) => v.setUint8(o, x)],
      ["signed char", 1, (v: DataView, o: number, x: number) => v.setInt8(o, x)],
      ["ushort", 2, (v: DataView, o: number, x: number, le: boolean) => v.setUint16(o, x, le)],
      ["short", 2, (v: DataView, o: number, x: number, le: boolean) => v.setInt16(o, x, le)],
      ["uint", 4, (v: DataView, o: number, x: number, le: boolean) => v.setUint32(o, x, le)],
      ["int", 4, (v: DataView, o: number, x: number, le: boolean) => v.setInt32(o, x, le)],
      ["float", 4, (v: DataView, o: number, x: number, le: boolean) => v.setFloat32(o, x, le)],
      ["double", 8, (v: DataView, o: number, x: number, le: boolean) => v.setFloat64(o, x, le)],
    ];
    const MAX: Record<string, number> = { uchar: 255, "signed char": 127, ushort: 65535, short: 32767, uint: 2 ** 32 - 1, int: 2 ** 31 - 1, float: 2 ** 24, double: 2 ** 32 - 1 };
    const case_ = fc.record({
      type: fc.constantFrom(...TYPES),
      le: fc.boolean(),
      gzip: fc.boolean(),
      pad: fc.integer({ min: 0, max: 7 }), // header bytes before the data: any alignment
      layers: fc.integer({ min: 1, max: 3 }),
      dims: fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 4 })),
      seed: fc.nat(),
      small: fc.boolean(), // labels that fit a smaller type than the stored one
    });
    fc.assert(
      fc.property(case_, ({ type: [name, size, write], le, gzip, pad, layers, dims, seed, small }) => {
        const count = dims[0] * dims[1] * dims[2];
        const top = small ? Math.min(MAX[name]!, 200) : MAX[name]!;
        const values = Array.from({ length: layers }, (_, l) => Array.from({ length: count }, (_, i) => Math.floor(((((i + 1) * (l + 3) * 2654435761 + seed) >>> 0) / 2 ** 32) * (top + 1))));
        const body = new Uint8Array(count * layers * size);
        const view = new DataView(body.buffer);
        for (let l = 0; l < layers; l++) for (let i = 0; i < count; i++) write(view, (i * layers + l) * size, values[l]![i]!, le);
        const header = new TextEncoder().encode(
          [`NRRD0004`, `# ${"x".repeat(pad)}`, `type: ${name}`, `dimension: ${layers > 1 ? 4 : 3}`, `sizes: ${layers > 1 ? `${layers} ` : ""}${dims.join(" ")}`, `endian: ${le ? "little" : "big"}`, `encoding: ${gzip ? "gzip" : "raw"}`, "", ""].join("\n"),
        );
        const bytes = new Uint8Array([...header, ...(gzip ? gzipSync(body) : body)]);
        const nrrd = readSegNrrd(bytes);
        expect(nrrd.layers.length).toBe(layers);
        nrrd.layers.forEach((layer, l) => {
          const max = Math.max(0, ...values[l]!);
          expect(layer.BYTES_PER_ELEMENT).toBe(max <= 255 ? 1 : max <= 65535 ? 2 : 4);
          expect(Array.from(layer)).toEqual(values[l]);
        });
        // The layers are the reader's own: changing the caller's bytes changes nothing.
        const before = nrrd.layers.map((layer) => Array.from(layer));
        bytes.fill(0xff, header.length);
        expect(nrrd.layers.map((layer) => Array.from(layer))).toEqual(before);
      }),
      { numRuns: 200 },
    );
  });

  it("refuses negative, fractional and non-finite voxels at every stored type", () => {
    const file = (type: string, voxel: Uint8Array) => new Uint8Array([...new TextEncoder().encode(`NRRD0004\ntype: ${type}\ndimension: 3\nsizes: 2 1 1\nencoding: raw\n\n`), ...voxel]);
    expect(codeOf(() => readSegNrrd(file("signed char", Int8Array.of(0, -1) as unknown as Uint8Array)))).toBe("BAD_FORMAT");
    expect(codeOf(() => readSegNrrd(file("short", new Uint8Array(Int16Array.of(3, -2).buffer))))).toBe("BAD_FORMAT");
    expect(codeOf(() => readSegNrrd(file("int", new Uint8Array(Int32Array.of(-7, 0).buffer))))).toBe("BAD_FORMAT");
    expect(codeOf(() => readSegNrrd(file("double", new Uint8Array(Float64Array.of(1, 2 ** 33).buffer))))).toBe("BAD_FORMAT");
    expect(codeOf(() => readSegNrrd(file("float", new Uint8Array(Float32Array.of(1, 2.5).buffer))))).toBe("BAD_FORMAT");
    for (const bad of [NaN, Infinity, -0.5]) expect(codeOf(() => readSegNrrd(file("float", new Uint8Array(Float32Array.of(0, bad).buffer))))).toBe("BAD_FORMAT");
  });

  it("writes each bit depth in the smallest type its labels need, and reads it back", () => {
    for (const [Type, labels, nrrdType] of [
      [Uint8Array, [0, 1, 255], "unsigned char"],
      [Uint16Array, [0, 7, 200], "unsigned char"],
      [Uint16Array, [0, 300, 65535], "unsigned short"],
      [Uint32Array, [0, 9, 65535], "unsigned short"],
      [Uint32Array, [0, 70000], "unsigned int"],
    ] as const) {
      const data = new Type(60);
      for (let i = 0; i < data.length; i++) data[i] = labels[i % labels.length]!;
      const mapping = Object.fromEntries(labels.filter((l) => l > 0).map((l) => [`s${l}`, l]));
      const bytes = encodeSegNrrd(new SegmentationMask(data, mapping, space), { gzip: false });
      expect(new TextDecoder().decode(bytes.subarray(0, 200))).toContain(`type: ${nrrdType}`);
      const { mask } = decodeSegNrrd(bytes);
      expect(Array.from(mask.data)).toEqual(Array.from(data));
      expect(mask.mapping.toJSON()).toEqual(mapping);
    }
  });

  it("refuses what it cannot read, with codes", () => {
    const good = encodeSegNrrd(new SegmentationMask(new Uint8Array(60).fill(1, 0, 3), { a: 1 }, space), { gzip: false });
    expect(codeOf(() => readSegNrrd(new TextEncoder().encode("hello\n\nworld")))).toBe("BAD_FORMAT");
    expect(codeOf(() => readSegNrrd(good.subarray(0, good.length - 5)))).toBe("TRUNCATED");
    expect(codeOf(() => readSegNrrd(good.subarray(0, 10)))).toBe("TRUNCATED");
    const detached = new TextEncoder().encode("NRRD0004\ntype: uchar\ndimension: 3\nsizes: 1 1 1\nencoding: raw\ndata file: x.raw\n\n");
    expect(codeOf(() => readSegNrrd(detached))).toBe("BAD_FORMAT");
    const float = new TextEncoder().encode("NRRD0004\ntype: float\ndimension: 3\nsizes: 1 1 1\nencoding: gzip\n\n");
    expect(codeOf(() => readSegNrrd(new Uint8Array([...float, ...gzipSync(new Uint8Array(new Float32Array([0.5]).buffer))])))).toBe("BAD_FORMAT");
  });

  it("keeps the segments after a gap in their numbering, and refuses a label value or layer that is not a whole number (naming the segment)", () => {
    const file = (segments: string[][]) =>
      new Uint8Array([...new TextEncoder().encode(["NRRD0004", "type: unsigned char", "dimension: 3", "sizes: 4 1 1", "encoding: raw", ...segments.flat(), "", ""].join("\n")), 0, 1, 2, 3]);
    const seg = (n: number, name: string, label: string) => [`Segment${n}_ID:=${name}`, `Segment${n}_Name:=${name}`, `Segment${n}_LabelValue:=${label}`, `Segment${n}_Layer:=0`];
    const gap = decodeSegNrrd(file([seg(0, "liver", "1"), seg(2, "spleen", "2"), seg(7, "tumour", "3")]));
    expect(gap.mask.mapping.toJSON()).toEqual({ liver: 1, spleen: 2, tumour: 3 });
    expect(gap.mask.labelStats().map((s) => [s.name, s.voxels])).toEqual([["liver", 1], ["spleen", 1], ["tumour", 1]]);
    // Numbers sort as numbers: Segment10 after Segment9.
    const many = Array.from({ length: 11 }, (_, n) => seg(n, `s${n}`, String(n + 1)));
    expect(readSegNrrd(file(many)).segments.map((s) => s.name)).toEqual(many.map((_, n) => `s${n}`));
    for (const bad of ["abc", "0", "-1", "1.5", ""]) {
      const error = (() => {
        try {
          readSegNrrd(file([seg(0, "liver", "1"), seg(1, "kidney", bad)]));
        } catch (e) {
          return e as Error & { code: string };
        }
      })();
      expect(error?.code).toBe("BAD_FORMAT");
      expect(error?.message).toContain(`"kidney"`);
    }
    const badLayer = [...seg(0, "liver", "1").slice(0, 3), "Segment0_Layer:=x"];
    expect(codeOf(() => readSegNrrd(file([badLayer])))).toBe("BAD_FORMAT");
  });
});

describe("default colours", () => {
  it("a label without a colour gets the one the demo page shows it in (one colour wheel)", async () => {
    const { labelColor } = await import("../../web/palette.js");
    const { SegmentationMask: Mask, Space: S, decodeSegNrrd: decode, encodeSegNrrd } = await import("../../src/index.js");
    const seg = new Mask(Uint8Array.of(5, 20, 117, 0), { liver: 5, colon: 20, costal_cartilages: 117 }, new S({ shape: [1, 2, 2] }));
    for (const s of decode(encodeSegNrrd(seg)).segments) {
      expect(s.color.map((c) => Math.round(255 * c)), s.name).toEqual(labelColor(s.labelValue));
    }
  });
});

describe("NRRD data layout fields, read right or refused (Reliability III item 8)", () => {
  const space = new Space({ shape: [2, 2, 3] });
  /** Two overlapping segments in two layers. */
  const layered = () => {
    const seg = SegmentationMask.lazyInit(8, { space });
    seg.addLabel(new Uint8Array(12).fill(1, 0, 6), 1, "a");
    seg.addLabel(new Uint8Array(12).fill(1, 3, 9), 2, "b", { onOverlap: "layer" });
    return seg;
  };
  const split = (bytes: Uint8Array) => {
    const text = new TextDecoder("latin1").decode(bytes);
    const end = text.indexOf("\n\n");
    return { header: text.slice(0, end + 1), data: bytes.subarray(end + 2) };
  };
  const join = (header: string, data: Uint8Array) => new Uint8Array([...Array.from(header, (c) => c.charCodeAt(0)), 10, ...data]);
  const answer = (bytes: Uint8Array) => {
    const { mask } = decodeSegNrrd(bytes);
    return { layers: mask.layerCount, a: sha256(mask.getBinaryMaskByNames("a")), b: sha256(mask.getBinaryMaskByNames("b")) };
  };
  const expected = () => ({ layers: 2, a: sha256(new Uint8Array(12).fill(1, 0, 6)), b: sha256(new Uint8Array(12).fill(1, 3, 9)) });

  it("byte skip (N, and -1 for raw) and line skip pass over what precedes the voxels; gzip data skip after inflating", () => {
    const { header, data } = split(encodeSegNrrd(layered(), { gzip: false }));
    const junk = Uint8Array.of(9, 9, 9, 9, 9);
    expect(answer(join(`${header}byte skip: 5\n`, new Uint8Array([...junk, ...data])))).toEqual(expected());
    expect(answer(join(`${header}byte skip: -1\n`, new Uint8Array([...junk, ...data])))).toEqual(expected());
    expect(answer(join(`${header}line skip: 2\n`, new Uint8Array([...Array.from("junk\nmore\n", (c) => c.charCodeAt(0)), ...data])))).toEqual(expected());
    const gz = header.replace("encoding: raw", "encoding: gzip") + "byte skip: 5\n";
    expect(answer(join(gz, gzipSync(new Uint8Array([...junk, ...data]))))).toEqual(expected());
    // Without the skip the junk would be voxels: a skip past the data, or a bad value, is refused.
    expect(codeOf(() => decodeSegNrrd(join(`${header}byte skip: 500\n`, data)))).toBe("TRUNCATED");
    expect(codeOf(() => decodeSegNrrd(join(`${header}byte skip: many\n`, data)))).toBe("BAD_FORMAT");
    expect(codeOf(() => decodeSegNrrd(join(`${gz.replace("byte skip: 5", "byte skip: -1")}`, gzipSync(data))))).toBe("BAD_FORMAT");
  });

  it("a 4-D file whose kinds put the layer axis last stores each layer whole: read in that order, not transposed", () => {
    const { header, data } = split(encodeSegNrrd(layered(), { gzip: false }));
    // Layers first (interleaved) -> layer after layer.
    const last = new Uint8Array(data.length);
    for (let i = 0; i < 12; i++) for (let l = 0; l < 2; l++) last[l * 12 + i] = data[i * 2 + l]!;
    const moved = header
      .replace("sizes: 2 3 2 2", "sizes: 3 2 2 2")
      .replace("space directions: none (0,0,1) (0,1,0) (1,0,0)", "space directions: (0,0,1) (0,1,0) (1,0,0) none")
      .replace("kinds: list domain domain domain", "kinds: domain domain domain list");
    expect(answer(join(moved, last))).toEqual(expected());
    const middle = moved.replace("kinds: domain domain domain list", "kinds: domain list domain domain");
    expect(codeOf(() => decodeSegNrrd(join(middle, last)))).toBe("BAD_FORMAT");
  });

  it("two uint32 layers whose raised labels would pass 2^32 are BAD_FORMAT, never a wrapped (invented) label", () => {
    const values = new Uint32Array([0xfffffff0, 0x20, 0, 0]);
    const header = [
      "NRRD0004",
      "type: unsigned int",
      "dimension: 4",
      "space: left-posterior-superior",
      "sizes: 2 2 1 1",
      "space directions: none (1,0,0) (0,1,0) (0,0,1)",
      "kinds: list domain domain domain",
      "endian: little",
      "encoding: raw",
      "space origin: (0,0,0)",
      "Segment0_ID: a",
      "Segment0_Name: a",
      "Segment0_LabelValue: 4294967280",
      "Segment0_Layer: 0",
      "Segment1_ID: b",
      "Segment1_Name: b",
      "Segment1_LabelValue: 32",
      "Segment1_Layer: 1",
      "",
    ].join("\n");
    expect(codeOf(() => decodeSegNrrd(join(header, new Uint8Array(values.buffer))))).toBe("BAD_FORMAT");
  });
});
