// Every example of ../shared/spec/seed.txt, translated, with the seed's printed values.
import { describe, expect, it } from "vitest";
import { LabelMapping, MedMaskError, SegmentationMask, Space } from "../../src/index.js";
import { BACKENDS, sum, useBackend } from "../helpers/backends.js";

// mask = np.array([[0,0,1,1],[0,2,2,1],[3,3,0,0]])
const seedMask = () => Uint8Array.from([0, 0, 1, 1, 0, 2, 2, 1, 3, 3, 0, 0]);

describe("the seed's LabelMapping example", () => {
  const mapping = new LabelMapping({ liver: 1, spleen: 2, kidney: 3 });

  it("Forward: 1 / Inverse: liver / Attr access: 2 / Callable: 3", () => {
    expect(mapping["liver"]).toBe(1);
    expect(mapping.get("liver")).toBe(1);
    expect(mapping.inverse(1)).toBe("liver");
    expect(mapping.spleen).toBe(2);
    expect(mapping("kidney")).toBe(3);
  });

  it("Lookup consistency: 1 2 3 liver", () => {
    const liver = mapping["liver"];
    const spleen = mapping.spleen;
    const kidney = mapping("kidney");
    const organ = mapping.inverse(1);
    expect([liver, spleen, kidney, organ].join(" ")).toBe("1 2 3 liver");
  });

  it("Round-trip equal: True", () => {
    const json = JSON.stringify(mapping);
    const restored = LabelMapping.fromJSON(json);
    expect(restored.toJSON()).toEqual(mapping.toJSON());
    expect(restored.equals(mapping)).toBe(true);
  });
});

describe.each(BACKENDS)("the seed's SegmentationMask example on %s", (backend) => {
  useBackend(backend);
  const space = new Space({ shape: [1, 3, 4], spacing: [1.0, 1.0, 1.0] });

  it("Shape: (1, 3, 4) / Space spacing: (1.0, 1.0, 1.0) / Mapping: {liver: 1, spleen: 2, kidney: 3}", () => {
    const segmask = new SegmentationMask(seedMask(), { liver: 1, spleen: 2, kidney: 3 }, space);
    expect(segmask.shape).toEqual([1, 3, 4]);
    expect(segmask.data.length).toBe(12);
    expect(segmask.space.spacing).toEqual([1, 1, 1]);
    expect(Object.fromEntries(segmask.mapping.items())).toEqual({ liver: 1, spleen: 2, kidney: 3 });
  });

  it("Liver nonzero: 3 / Abdominal nonzero: 5 / Label-based equal: True", () => {
    const segmask = new SegmentationMask(seedMask(), { liver: 1, spleen: 2, kidney: 3 }, space);
    const liverMask = segmask.getBinaryMaskByNames("liver");
    expect(sum(liverMask)).toBe(3);
    const abdominal = segmask.getBinaryMaskByNames(["liver", "spleen"]);
    expect(sum(abdominal)).toBe(5);
    expect(liverMask).toEqual(segmask.getBinaryMaskByLabels(1));
  });

  it("Labels: ['liver', 'spleen'] / Combined nonzero: 7", () => {
    const empty = SegmentationMask.lazyInit(8, { space });
    // liver_region[0, 0:2, 1:3] = True; spleen_region[0, 1:3, 2:4] = True
    const liverRegion = new Uint8Array(12);
    const spleenRegion = new Uint8Array(12);
    for (let y = 0; y < 2; y++) for (let x = 1; x < 3; x++) liverRegion[y * 4 + x] = 1;
    for (let y = 1; y < 3; y++) for (let x = 2; x < 4; x++) spleenRegion[y * 4 + x] = 1;
    empty.addLabel(liverRegion, 1, "liver");
    empty.addLabel(spleenRegion, 2, "spleen");
    expect([...empty.mapping]).toEqual(["liver", "spleen"]);
    const combined = empty.getBinaryMaskByNames(["liver", "spleen"]);
    expect(sum(combined)).toBe(7);
  });

  it("Duplicate prevented: Label 1 already exists in the mask array.", () => {
    const test = SegmentationMask.lazyInit(8, { space: new Space({ shape: [2, 2, 2] }) });
    test.addLabel(new Uint8Array(8).fill(1), 1, "organ_a");
    let caught: unknown;
    try {
      test.addLabel(new Uint8Array(8).fill(1), 1, "organ_b");
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(MedMaskError);
    expect((caught as MedMaskError).code).toBe("DUPLICATE_LABEL");
    expect((caught as MedMaskError).message).toBe("Label 1 already exists in the mask array.");
  });
});
