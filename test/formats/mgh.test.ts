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

describe("FreeSurfer's standard colour table where FreeSurfer is installed", () => {
  it("an aseg-like .mgz with no table beside it takes the names and colours of $FREESURFER_HOME/FreeSurferColorLUT.txt for the labels it holds; a table beside it wins; without FREESURFER_HOME, idx_ names", async () => {
    const { mkdirSync, writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { saveMgh, loadMask } = await import("../../src/node.js");
    const { tempDir } = await import("../helpers/files.js");
    const home = tempDir(), dir = tempDir();
    mkdirSync(home, { recursive: true });
    // The table's layout (a few of its rows, written here): number, name, R G B A.
    writeFileSync(join(home, "FreeSurferColorLUT.txt"), ["#$Id: FreeSurferColorLUT.txt$", "", "#No. Label Name:                            R   G   B   A", "0   Unknown                                 0   0   0   0", "2   Left-Cerebral-White-Matter              245 245 245 0", "41  Right-Cerebral-White-Matter             0   225 0   0", "17  Left-Hippocampus                        220 216 20  0", "1035 ctx-lh-insula                          255 192 32  0", ""].join("\n"));
    const data = Uint16Array.from({ length: 60 }, (_, i) => [0, 2, 41, 1035, 999][i % 5]!);
    const seg = new SegmentationMask(data, undefined, new Space({ shape: [3, 4, 5] }));
    await saveMgh(seg, join(dir, "aseg.mgz"));
    const before = process.env.FREESURFER_HOME;
    try {
      delete process.env.FREESURFER_HOME;
      expect((await loadMask(join(dir, "aseg.mgz"))).mapping.names().sort()).toStrictEqual(["idx_1035", "idx_2", "idx_41", "idx_999"]);
      process.env.FREESURFER_HOME = home;
      const named = await loadMask(join(dir, "aseg.mgz"));
      expect(named.mapping.toJSON()).toStrictEqual({ "Left-Cerebral-White-Matter": 2, "Right-Cerebral-White-Matter": 41, "ctx-lh-insula": 1035, idx_999: 999 });
      expect(named.metadata("Right-Cerebral-White-Matter").color).toStrictEqual([0, 225 / 255, 0]);
      expect(sha256(new Uint8Array(Uint32Array.from(named.data).buffer))).toBe(hashOf(seg));
      writeFileSync(join(dir, "aseg.txt"), "2 white 255 255 255 0\n41 other 10 10 10 0\n");
      expect((await loadMask(join(dir, "aseg.mgz"))).mapping.get("white")).toBe(2);
    } finally {
      if (before === undefined) delete process.env.FREESURFER_HOME;
      else process.env.FREESURFER_HOME = before;
    }
  });
});
