// FreeSurfer MGH / MGZ: what the reader refuses and the writer cannot hold (mgh-nibabel.test.ts
// holds both ways against nibabel).
import { describe, expect, it } from "vitest";
import { SegmentationMask, Space, decodeMgh, encodeMgh, loadMgh } from "../../src/node.js";
import { asyncCodeOf, codeOf } from "../helpers/errors.js";
import { sha256 } from "../helpers/files.js";

const hashOf = (seg: SegmentationMask<string>): string => sha256(new Uint8Array(Uint32Array.from(seg.data).buffer));

describe("FreeSurfer MGH: what it refuses", () => {
  const seg = new SegmentationMask(Uint8Array.from({ length: 24 }, (_, i) => i % 3), { a: 1, b: 2 }, new Space({ shape: [2, 3, 4] }));

  it("truncated files, labels MGH cannot hold, a second frame, a path for bytes", async () => {
    const raw = encodeMgh(seg, { gzip: false });
    expect(codeOf(() => decodeMgh(raw.subarray(0, raw.length - 3)))).toBe("TRUNCATED");
    expect(codeOf(() => decodeMgh(raw.subarray(0, 100)))).toBe("BAD_FORMAT");
    const frames = raw.slice();
    new DataView(frames.buffer).setInt32(16, 2, false);
    expect(codeOf(() => decodeMgh(frames))).toBe("BAD_FORMAT");
    const big = new SegmentationMask(Uint32Array.of(2 ** 31, 0), undefined, new Space({ shape: [1, 1, 2] }));
    expect(codeOf(() => encodeMgh(big))).toBe("INVALID_ARGUMENT");
    expect(await asyncCodeOf(() => loadMgh(raw as unknown as string))).toBe("INVALID_ARGUMENT");
    // Round trip of its own bytes, and a small mask read by content.
    expect(hashOf(decodeMgh(encodeMgh(seg)))).toBe(hashOf(seg));
  });
});

describe("medmask convert to and from .mgz", () => {
  it("writes MGH from any mask (saying the names stay behind) and reads it back by content", async () => {
    const { writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { encodeMask, loadMask } = await import("../../src/node.js");
    const { medmask } = await import("../helpers/cli.js");
    const { tempDir } = await import("../helpers/files.js");
    const dir = tempDir();
    const seg = new SegmentationMask(Uint8Array.from({ length: 60 }, (_, i) => (i * 7) % 4), { liver: 1, spleen: 2, kidney: 3 }, new Space({ shape: [3, 4, 5], spacing: [2, 1, 1] }));
    writeFileSync(join(dir, "case.msk"), encodeMask(seg));
    const r = medmask("convert", join(dir, "case.msk"), join(dir, "case.mgz"));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/keeps label numbers only; the names \(liver, spleen, kidney\) are not written/);
    const back = await loadMask(join(dir, "case.mgz"));
    expect(hashOf(back)).toBe(hashOf(seg));
    expect(back.space.equals(seg.space, 1e-4)).toBe(true);
  });
});
