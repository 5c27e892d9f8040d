import { gzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { SegmentationMask, Space, decodeSegNrrd, readSegNrrd, segNrrdSegments, writeSegNrrd, writeSegNrrdLayers } from "../src/index.js";
import { BACKENDS, useBackend } from "./helpers/backends.js";
import { codeOf, sha256 } from "./helpers/files.js";

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
    const bytes = writeSegNrrd(seg, { colors: { liver: [0.86, 0.55, 0.39] } });
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
    const { mask, overlaps } = decodeSegNrrd(bytes);
    expect(overlaps).toEqual([{ name: "b", label: 2, overlapped: [{ label: 1, name: "a", voxels: 10 }] }]);
    expect(mask.mapping.toJSON()).toEqual({ a: 1, b: 2, c: 3 });
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
    const { mask } = decodeSegNrrd(bytes);
    expect(mask.mapping.names()).toEqual(["lesion", "lesion_2"]);
  });

  it("refuses what it cannot read, with codes", () => {
    const good = writeSegNrrd(new SegmentationMask(new Uint8Array(60).fill(1, 0, 3), { a: 1 }, space), { gzip: false });
    expect(codeOf(() => readSegNrrd(new TextEncoder().encode("hello\n\nworld")))).toBe("BAD_FORMAT");
    expect(codeOf(() => readSegNrrd(good.subarray(0, good.length - 5)))).toBe("TRUNCATED");
    expect(codeOf(() => readSegNrrd(good.subarray(0, 10)))).toBe("TRUNCATED");
    const detached = new TextEncoder().encode("NRRD0004\ntype: uchar\ndimension: 3\nsizes: 1 1 1\nencoding: raw\ndata file: x.raw\n\n");
    expect(codeOf(() => readSegNrrd(detached))).toBe("BAD_FORMAT");
    const float = new TextEncoder().encode("NRRD0004\ntype: float\ndimension: 3\nsizes: 1 1 1\nencoding: gzip\n\n");
    expect(codeOf(() => readSegNrrd(new Uint8Array([...float, ...gzipSync(new Uint8Array(new Float32Array([0.5]).buffer))])))).toBe("BAD_FORMAT");
  });
});
