// Arguments that cannot even be printed (no usable toString, BigInts, cycles) still get
// the typed error of the check they fail, never a TypeError from building its message.
import { describe, expect, it } from "vitest";
import { LabelMapping, SegmentationMask, Space, decodeMask, encodeMask, setBackend } from "../../src/index.js";
import { checkName } from "../../src/mapping.js";
import { describeValue } from "../../src/errors.js";
import { codeOf } from "../helpers/files.js";

const cyclic: Record<string, unknown> = {};
cyclic.self = cyclic;
const nasty: unknown[] = [
  { toString: null },
  Object.create(null),
  { valueOf: null, toString: null },
  1n,
  [1n, 2n, 3n],
  cyclic,
  { toJSON() { throw new Error("no"); } },
  Symbol("s"),
  new Array(1e6).fill(7),
  "x".repeat(1000),
];

describe("describeValue", () => {
  it("describes any value briefly and never throws", () => {
    for (const v of nasty) {
      const text = describeValue(v);
      expect(typeof text).toBe("string");
      expect(text.length).toBeLessThanOrEqual(90);
    }
    expect(describeValue("liver")).toBe('"liver"');
    expect(describeValue([1, 2, 3])).toBe("[1,2,3]");
    expect(describeValue(new Array(1e6).fill(7))).toBe("a Array of 1000000");
    expect(describeValue(undefined)).toBe("undefined");
  });
});

describe("typed errors for unprintable arguments", () => {
  const seg = new SegmentationMask(Uint8Array.from([0, 1, 1, 0]), { liver: 1 }, new Space({ shape: [1, 2, 2] }));
  const bytes = encodeMask(seg);

  it.each(nasty.map((v) => [describeValue(v), v] as const))("%s", (_name, v) => {
    const calls: Array<[string, () => unknown]> = [
      ["mapping value", () => LabelMapping.fromJSON({ a: v } as never)],
      ["mapping JSON text", () => LabelMapping.fromJSON(JSON.stringify({ " ": { toString: null } }))],
      ["mapping get", () => seg.mapping.get(v as never)],
      ["name", () => checkName(v)],
      ["bit depth", () => SegmentationMask.lazyInit(v as never, { shape: [1, 1, 1] })],
      ["label", () => SegmentationMask.lazyInit(8, { shape: [1, 2, 2] }).addLabel(new Uint8Array(4), v as never, "x")],
      ["overlap policy", () => SegmentationMask.lazyInit(8, { shape: [1, 2, 2] }).addLabel(new Uint8Array(4), 1, "x", { onOverlap: v as never })],
      ["space shape", () => new Space({ shape: v as never })],
      ["space spacing", () => new Space({ shape: [1, 1, 1], spacing: v as never })],
      ["query out", () => seg.getBinaryMaskByNames("liver", { out: v as never })],
      ["decode out", () => decodeMask(bytes, { out: v as never })],
      ["backend", () => setBackend(v as never)],
      ["codec", () => encodeMask(seg, { codec: v as never })],
      ["deflate level", () => encodeMask(seg, { level: v as never })],
      ["slab depth", () => encodeMask(seg, { slabDepth: v as never })],
    ];
    for (const [what, call] of calls) {
      if (what === "name" && typeof v === "string") continue; // a long string is a fine name
      expect(codeOf(call), what).toMatch(/^[A-Z_]+$/);
    }
    setBackend("auto");
  });
});

describe("options a call does not take are refused, not ignored (issue 23, item 5)", () => {
  const space = new Space({ shape: [1, 2, 2] });
  const seg = new SegmentationMask(Uint8Array.of(0, 1, 1, 2), { a: 1, b: 2 }, space);
  const masks = [{ name: "liver", data: Uint8Array.of(1, 1, 0, 0) }];
  type Call = [string, () => unknown];
  const calls = async (): Promise<Call[]> => {
    const { combineBinaryMasks, combiner } = await import("../../src/index.js");
    return [
      ["combineBinaryMasks { labels }", () => combineBinaryMasks(space, masks, { labels: { liver: 5 } } as never)],
      ["combiner { onOverlapp }", () => combiner(space, 1, { onOverlapp: "keep" } as never)],
      ["encodeMask { levle }", () => encodeMask(seg, { levle: 9 } as never)],
      ["decodeMask { maxbytes }", () => decodeMask(encodeMask(seg), { maxbytes: 10 } as never)],
      ["addLabel { overlap }", () => seg.toResident().addLabel(Uint8Array.of(1, 0, 0, 0), 3, "c", { overlap: "error" } as never)],
      ["getBinaryMaskByNames('a', 'b')", () => seg.getBinaryMaskByNames("a", "b" as never)],
      ["getBinaryMaskByLabels { buffer }", () => seg.getBinaryMaskByLabels(1, { buffer: new Uint8Array(4) } as never)],
      ["toBinary([])", () => seg.toBinary([] as never)],
    ];
  };

  it("each is INVALID_ARGUMENT naming the option and what the call takes", async () => {
    for (const [what, call] of await calls()) {
      let error: (Error & { code?: string }) | undefined;
      try {
        call();
      } catch (e) {
        error = e as Error & { code?: string };
      }
      expect(error?.code, what).toBe("INVALID_ARGUMENT");
      expect(error?.message, what).toMatch(/does not take|takes an options object/);
    }
    // What they do take still works; an option given as undefined is no option.
    const { combineBinaryMasks } = await import("../../src/index.js");
    expect(combineBinaryMasks(space, masks, { onOverlap: "keep", resident: undefined }).mask.labelStats()[0]!.voxels).toBe(2);
    expect(decodeMask(encodeMask(seg, { level: 9 }), { maxBytes: 10 }).labelStats().map((s) => s.voxels)).toEqual([2, 1]);
  });
});
