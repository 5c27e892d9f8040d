// The rule for every decoder that takes a Blob: bytes give the result, a Blob a Promise of it,
// and a value typed as either (`Uint8Array | Blob`, as a file input's handler holds) is
// accepted too, giving either (`await` takes both). Compiled by the test's typecheck, so a
// union the overloads refused would fail here.
import { describe, expect, it } from "vitest";
import { SegmentationMask, Space, decodeDicomSeg, decodeMask, decodeNifti, decodeRtStruct, decodeSegNrrd, encodeDicomSeg, encodeMask, encodeNifti, encodeRtStruct, encodeSegNrrd } from "../../src/index.js";

const space = new Space({ shape: [2, 3, 4], spacing: [2, 1, 1] });
const mask = new SegmentationMask(Uint8Array.from({ length: 24 }, (_, i) => (i % 5 === 0 ? 1 : i % 7 === 0 ? 2 : 0)), { liver: 1, spleen: 2 }, space);

/** The same bytes typed as either, as bytes and as a Blob. */
const both = (bytes: Uint8Array): (Uint8Array | Blob)[] => [bytes, new Blob([bytes as BlobPart])];

describe("decoders take Uint8Array | Blob", () => {
  it("decodeMask, decodeNifti, decodeSegNrrd, decodeDicomSeg, decodeRtStruct: the same mask from bytes (at once) and from a Blob (a Promise)", async () => {
    const want = mask.getBinaryMaskByNames("spleen");
    for (const input of both(encodeMask(mask))) {
      const got = decodeMask(input);
      expect(got instanceof Promise).toBe(input instanceof Blob);
      expect((await got).getBinaryMaskByNames("spleen")).toStrictEqual(want);
    }
    for (const input of both(encodeNifti(mask))) expect((await decodeNifti(input)).getBinaryMaskByNames("spleen")).toStrictEqual(want);
    for (const input of both(encodeSegNrrd(mask))) expect((await decodeSegNrrd(input)).mask.getBinaryMaskByNames("spleen")).toStrictEqual(want);
    for (const input of both(encodeDicomSeg(mask))) expect((await decodeDicomSeg(input)).mask.getBinaryMaskByNames("spleen")).toStrictEqual(want);
    for (const input of both(encodeRtStruct(mask))) expect((await decodeRtStruct(input, { space })).mask.getBinaryMaskByNames("spleen")).toStrictEqual(want);
  });
});
