// Names that are also Object.prototype's keys keep their colours through every format that
// carries label metadata (Reliability III item 9): per-name records are null-prototype.
import { describe, expect, it } from "vitest";
import { SegmentationMask, Space, decodeDicomSeg, decodeMask, decodeNifti, decodeSegNrrd, encodeDicomSeg, encodeMask, encodeNifti, encodeSegNrrd } from "../../src/node.js";

describe("labels named __proto__, constructor, toString", () => {
  const space = new Space({ shape: [2, 2, 3] });
  const names = ["__proto__", "constructor", "toString"];
  // JSON.parse makes own "__proto__" keys, as a file's header does.
  const mapping = JSON.parse('{"__proto__": 1, "constructor": 2, "toString": 3}') as Record<string, number>;
  const metadata = JSON.parse('{"__proto__": {"color": [1, 0, 0]}, "constructor": {"color": [0, 1, 0]}, "toString": {"color": [0, 0, 1]}}') as Record<string, { color: [number, number, number] }>;
  const seg = new SegmentationMask(Uint8Array.of(1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3), mapping, space, { metadata });

  it.each([
    ["native", async () => decodeMask(encodeMask(seg)), 0],
    [".seg.nrrd", async () => decodeSegNrrd(encodeSegNrrd(seg)).mask, 1e-6],
    ["NIfTI", async () => decodeNifti(encodeNifti(seg)), 0],
    ["DICOM SEG", async () => decodeDicomSeg(encodeDicomSeg(seg)).mask, 1e-4],
  ] as const)("through %s: every name, its voxels and its colour", async (_, roundTrip, tolerance) => {
    const back = await roundTrip();
    expect([...back.mapping.names()].sort()).toEqual([...names].sort());
    expect(Object.getPrototypeOf({})).toBe(Object.prototype); // nothing polluted
    for (const name of names) {
      expect(back.getBinaryMaskByNames(name)).toEqual(seg.getBinaryMaskByNames(name));
      const color = back.metadata(name).color;
      expect(color, name).toBeDefined();
      color!.forEach((c, i) => expect(Math.abs(c - metadata[name]!.color[i]!), name).toBeLessThanOrEqual(tolerance));
    }
  });
});
