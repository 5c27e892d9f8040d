// Small files whose structure, not their size, is the attack: padding that made trims take
// quadratic time, sequences nested deep enough to overflow the stack, frame counts that
// overflowed a spread. Each reads right or ends in a typed error, in time linear in its size
// (no timing is asserted: a quadratic trim of these sizes ran for tens of seconds and stops
// the test at its timeout; `npm run bench:hostile` measures them).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MaskArchive, SegmentationMask, Space, decodeDicomSeg, decodeNifti, decodeSegNrrd, encodeDicomSeg, encodeNifti, encodeSegNrrd } from "../../src/node.js";
import { parseDicom, tag } from "../../src/dicom/parse.js";
import { decodeRleFrame } from "../../src/dicom/rle.js";
import { encodeDicomFile, type DicomElements } from "../../src/dicom/write.js";
import { maxOf } from "../../src/numbers.js";
import { trimEndOf, trimStartOf } from "../../src/text.js";
import { asyncCodeOf, codeOf, sha256, tempDir } from "../helpers/files.js";
import { replaceArchiveIndex } from "../helpers/native-file.js";
import { packBits, rleFrame, rleSeg } from "../helpers/rle-seg.js";

const SEG_CLASS = "1.2.840.10008.5.1.4.1.1.66.4";

describe("linear trims and reductions (the helpers)", () => {
  it("trimEndOf / trimStartOf equal the regular expressions they replace", () => {
    const text = fc.string({ unit: fc.constantFrom("\0", " ", "a", "0", ".", "é"), maxLength: 40 });
    fc.assert(
      fc.property(text, (s) => {
        expect(trimEndOf(s, "\0")).toBe(s.replace(/\0+$/, ""));
        expect(trimEndOf(s, "\0 ")).toBe(s.replace(/[\0 ]+$/, ""));
        expect(trimStartOf(s, " ")).toBe(s.replace(/^ +/, ""));
      }),
      { numRuns: 500 },
    );
    expect(trimEndOf("", "\0")).toBe("");
    expect(trimEndOf("\0\0", "\0")).toBe("");
  });

  it("maxOf equals Math.max, with a value for none, and takes a million values", () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { minLength: 1, maxLength: 50 }), (a) => {
        expect(maxOf(a)).toBe(Math.max(...a));
      }),
    );
    expect(maxOf([], 0)).toBe(0);
    const many = new Int32Array(1_000_000).map((_, i) => (i * 7919) % 1_000_003);
    expect(maxOf(many)).toBe(many.reduce((m, v) => Math.max(m, v), -Infinity));
  });
});

describe("padding an attacker sized (Reliability III item 2)", () => {
  it("a native archive whose deflated index is 200,000 NULs then a byte: BAD_FORMAT (MaskArchive.open, its Blob form)", async () => {
    const dir = tempDir();
    const path = join(dir, "a.mska");
    const space = new Space({ shape: [2, 2, 2] });
    const archive = await MaskArchive.create(path, { space });
    archive.add("a", new SegmentationMask(new Uint8Array(8).fill(1), { a: 1 }, space));
    await archive.close();
    const { readFileSync } = await import("node:fs");
    const plain = new Uint8Array(200_001);
    plain[200_000] = 0x7d; // "}"
    const hostile = replaceArchiveIndex(new Uint8Array(readFileSync(path)), plain);
    expect(hostile.length).toBeLessThan(2000);
    writeFileSync(path, hostile);
    expect(await asyncCodeOf(() => MaskArchive.open(path))).toBe("BAD_FORMAT");
    expect(await asyncCodeOf(() => MaskArchive.fromBlob(new Blob([hostile as Uint8Array<ArrayBuffer>])))).toBe("BAD_FORMAT");
  });

  it("a DICOM string of 65,000 spaces (and NULs) before its last character reads whole; padding after it is trimmed", () => {
    const label = "x" + " ".repeat(32_000) + "\0".repeat(33_000) + "y";
    const file = encodeDicomFile([[tag(0x0062, 0x0005), "LO", label + "  "]], SEG_CLASS, "1.2.3", "test");
    const { dataset } = parseDicom(file, 1 << 20);
    expect(dataset.string(tag(0x0062, 0x0005))).toBe(label);
    const padded = encodeDicomFile([[tag(0x0062, 0x0005), "LO", " " + "y" + " ".repeat(65_000)]], SEG_CLASS, "1.2.3", "test");
    expect(parseDicom(padded, 1 << 20).dataset.string(tag(0x0062, 0x0005))).toBe("y");
  });

  it("a NIfTI header extension of 65,000 NULs before a byte: passed over, the file reads", async () => {
    const space = new Space({ shape: [2, 2, 2] });
    const plain = encodeNifti(new SegmentationMask(new Uint8Array(8).fill(3), { a: 3 }, space), { gzip: false });
    const size = 8 + 65_008; // a multiple of 16
    const out = new Uint8Array(352 + size + 8);
    out.set(plain.subarray(0, 352));
    const view = new DataView(out.buffer);
    view.setFloat32(108, 352 + size, true); // vox_offset
    out[348] = 1; // extensions follow
    view.setInt32(352, size, true);
    view.setInt32(356, 6, true); // NIFTI_ECODE_COMMENT, where medmask keeps names
    out[352 + size - 1] = 0x78;
    out.set(plain.subarray(plain.length - 8), 352 + size);
    const mask = await decodeNifti(out);
    expect(mask.labelStats().map((s) => [s.label, s.voxels])).toEqual([[3, 8]]);
  });

  it("a .seg.nrrd whose space directions hold 65,000 spaces before junk: read or BAD_FORMAT, never a hang", async () => {
    const good = encodeSegNrrd(new SegmentationMask(new Uint8Array(8).fill(1), { a: 1 }, new Space({ shape: [2, 2, 2] })), { gzip: false });
    const text = new TextDecoder("latin1").decode(good);
    const hostile = text.replace(/space directions: ([^\n]*)/, (_, v: string) => `space directions: ${v}${" ".repeat(65_000)}x`);
    const bytes = new Uint8Array([...hostile].map((c) => c.charCodeAt(0)));
    let outcome: unknown;
    try {
      outcome = decodeSegNrrd(bytes).mask.labelStats().map((s) => s.voxels);
    } catch (e) {
      outcome = (e as { code?: string }).code;
    }
    expect([[8], "BAD_FORMAT"]).toContainEqual(outcome);
  });
});

describe("depth and counts an attacker sized (Reliability III item 3)", () => {
  it("20,000 nested undefined-length sequences (720 KB): BAD_FORMAT naming the depth, no stack overflow", async () => {
    const head = encodeDicomFile([], SEG_CLASS, "1.2.3", "test");
    const levels = 20_000;
    const open = Uint8Array.of(0x08, 0x00, 0x15, 0x11, 0x53, 0x51, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0x00, 0xe0, 0xff, 0xff, 0xff, 0xff);
    const close = Uint8Array.of(0xfe, 0xff, 0x0d, 0xe0, 0, 0, 0, 0, 0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0);
    const file = new Uint8Array(head.length + levels * (open.length + close.length));
    file.set(head);
    for (let i = 0; i < levels; i++) file.set(open, head.length + i * open.length);
    for (let i = 0; i < levels; i++) file.set(close, head.length + levels * open.length + i * close.length);
    expect(file.length).toBeGreaterThan(700_000);
    let message = "";
    expect(
      codeOf(() => {
        try {
          parseDicom(file, 1 << 30);
        } catch (e) {
          message = (e as Error).message;
          throw e;
        }
      }),
    ).toBe("BAD_FORMAT");
    expect(message).toMatch(/nested more than 64 deep/);
    expect(codeOf(() => decodeDicomSeg(file))).toBe("BAD_FORMAT");
    // Nesting as real files have it still reads.
    const nested = (depth: number): DicomElements => (depth === 0 ? [[tag(0x0062, 0x0005), "LO", "deep"]] : [[tag(0x0008, 0x1115), "SQ", [nested(depth - 1)]]]);
    expect(() => parseDicom(encodeDicomFile(nested(10), SEG_CLASS, "1.2.3", "test"), 1 << 20)).not.toThrow();
  });

  it("a valid SEG of 150,000 frames (5 overlapping segments of 30,000 1x1 slices; a spread of them overflowed the stack) decodes whole", async () => {
    const n = 30_000;
    const seg = SegmentationMask.lazyInit(8, { space: new Space({ shape: [n, 1, 1] }) });
    for (let l = 1; l <= 5; l++) seg.addLabel(new Uint8Array(n).fill(1), l, `organ${l}`, { onOverlap: "layer" });
    const { mask } = await decodeDicomSeg(encodeDicomSeg(seg));
    expect(mask.shape).toEqual([n, 1, 1]);
    expect(mask.labelStats().map((s) => s.voxels)).toEqual([n, n, n, n, n]);
  }, 120_000);
});

describe("memory a SEG may take, and frames read in pieces (Reliability III items 6, 7, 8)", () => {
  it("maxBytes counts every layer: 6 overlapping segments of a 1 MiB volume are TOO_LARGE under 4 MiB, read under 8 MiB", async () => {
    const space = new Space({ shape: [16, 256, 256] });
    const seg = SegmentationMask.lazyInit(8, { space });
    for (let l = 1; l <= 6; l++) seg.addLabel(new Uint8Array(space.voxelCount).fill(1, l * 1000), l, `s${l}`, { onOverlap: "layer" });
    expect(seg.layerCount).toBe(6);
    const bytes = encodeDicomSeg(seg);
    let message = "";
    try {
      decodeDicomSeg(bytes, { maxBytes: 4 << 20 });
    } catch (e) {
      message = `${(e as { code?: string }).code}: ${(e as Error).message}`;
    }
    expect(message).toMatch(/^TOO_LARGE: The SEG's 5 label layers/);
    expect(decodeDicomSeg(bytes, { maxBytes: 8 << 20 }).mask.layerCount).toBe(6);
  });

  it("a 1024 x 1100 frame of alternating pixels (past one run piece) reads exactly, packed and in RLE", async () => {
    const space = new Space({ shape: [2, 1024, 1104] });
    const data = new Uint8Array(space.voxelCount);
    for (let i = 0; i < data.length; i++) data[i] = (i + (i >> 7)) % 2;
    data.fill(0, 0, 5000);
    const seg = new SegmentationMask(data, { checker: 1 }, space);
    for (const bytes of [encodeDicomSeg(seg), rleSeg(seg, (1024 * 1104) / 8)]) {
      const { mask, transferSyntax } = decodeDicomSeg(bytes);
      expect(sha256(mask.data), transferSyntax).toBe(sha256(data));
    }
  });

  it("an RLE segment that decodes to fewer bytes than its frame is BAD_FORMAT (not a frame of background)", () => {
    const short = rleFrame(Uint8Array.of(7, 1, 2, 3, 4, 5, 6, 7, 8)); // 8 literal bytes
    let message = "";
    expect(
      codeOf(() => {
        try {
          decodeRleFrame(short, 16, 8);
        } catch (e) {
          message = (e as Error).message;
          throw e;
        }
      }),
    ).toBe("BAD_FORMAT");
    expect(message).toMatch(/segment 1 decodes to 8 of its 16 bytes/);
    expect(Array.from(decodeRleFrame(rleFrame(packBits(Uint8Array.of(1, 1, 1, 1, 2, 3, 4, 5, 5, 5, 5, 5, 5, 5, 9, 9))), 16, 8))).toEqual([1, 1, 1, 1, 2, 3, 4, 5, 5, 5, 5, 5, 5, 5, 9, 9]);
    const space = new Space({ shape: [2, 8, 16] });
    const seg = new SegmentationMask(new Uint8Array(space.voxelCount).fill(1, 3, 200), { a: 1 }, space);
    expect(codeOf(() => decodeDicomSeg(rleSeg(seg, 16, (f) => rleFrame(packBits(f.subarray(0, 8))))))).toBe("BAD_FORMAT");
  });
});
