import fc from "fast-check";
import { crc32 as zlibCrc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import { SegmentationMask, Space, crc32, decodeMask, encodeMask, readMaskInfo, setBackend, type BitDepth, type Codec } from "../../src/index.js";
import { BACKENDS, useBackend } from "../helpers/backends.js";
import { codeOf, sha256 } from "../helpers/files.js";
import { encodeNative, encodeNativeWithStats, readNativeHeader } from "../../src/formats/native/native.js";
import { rewriteNativeHeader } from "../helpers/native-file.js";
import { crc32Portable } from "../../src/codecs/crc32.js";
import { crc32 as nodeCrc32 } from "../../src/node.js";
import { arrayFor, maxOf, volumeArb } from "../helpers/volumes.js";

const CODECS: Codec[] = ["rle-rows-deflate", "deflate", "none"];

/** A random mask with a random shape, bit depth and mapping. */
const maskArb = fc
  .record({
    bitDepth: fc.constantFrom<BitDepth>(1, 8, 16, 32),
    shape: fc.tuple(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 40 })),
  })
  .chain(({ bitDepth, shape }) =>
    volumeArb(bitDepth, shape[0] * shape[1] * shape[2]).map((data) => new SegmentationMask(data, undefined, new Space({ shape, spacing: [1.5, 0.7, 0.7] }), { bitDepth })),
  );

// The portable JS code and the one the Node entry registers (zlib's) must agree with zlib,
// the oracle, byte for byte; files written by one are read by the other.
describe.each([
  ["portable JS", crc32Portable],
  ["as exported by the Node entry", nodeCrc32],
] as const)("crc32, %s", (_name, crc) => {
  it("matches the standard check value", () => {
    expect(crc(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
    expect(crc(new Uint8Array(0))).toBe(0);
  });

  it("equals zlib's CRC-32 on any bytes, whole or continued in pieces", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), (bytes, cut) => {
        const at = bytes.length ? cut % bytes.length : 0;
        expect(crc(bytes)).toBe(zlibCrc32(bytes));
        expect(crc(bytes.subarray(at), crc(bytes.subarray(0, at)))).toBe(zlibCrc32(bytes));
      }),
      { numRuns: 300 },
    );
  });
});

describe.each(BACKENDS)("native format on %s", (backend) => {
  useBackend(backend);

  it("round-trips any mask losslessly with every codec (SHA-256, mapping, space)", () => {
    fc.assert(
      fc.property(maskArb, fc.constantFrom(...CODECS), fc.integer({ min: 1, max: 80 }), (seg, codec, slabDepth) => {
        const back = decodeMask(encodeMask(seg, { codec, slabDepth }));
        expect(sha256(back.data)).toBe(sha256(seg.data));
        expect(back.bitDepth).toBe(seg.bitDepth);
        expect(back.mapping.toJSON()).toEqual(seg.mapping.toJSON());
        expect(back.space.equals(seg.space, 0)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it("stores only the labelled slices: the background before and after is one empty slab each", () => {
    const space = new Space({ shape: [200, 3, 5] });
    const data = new Uint8Array(200 * 15);
    data[70 * 15 + 4] = 2;
    data[75 * 15] = 1;
    const slabsOf = (seg: SegmentationMask) => readNativeHeader(encodeMask(seg, { slabDepth: 4 })).header.slabs!.map((s) => [s.z0, s.z1, s.length > 0]);
    const seg = new SegmentationMask(data, undefined, space);
    expect(slabsOf(seg)).toEqual([[0, 69, false], [70, 73, true], [74, 75, true], [76, 199, false]]);
    expect(sha256(decodeMask(encodeMask(seg, { slabDepth: 4 })).data)).toBe(sha256(data));
    expect(slabsOf(new SegmentationMask(new Uint8Array(200 * 15), undefined, space))).toEqual([[0, 199, false]]);
    const edges = new Uint8Array(200 * 15);
    edges[0] = 1;
    edges[edges.length - 1] = 1;
    expect(slabsOf(new SegmentationMask(edges, undefined, space)).length).toBe(50);
  });

  it("encodes in one pass exactly what a scan and then an encode give", () => {
    fc.assert(
      fc.property(maskArb, fc.integer({ min: 1, max: 80 }), (seg, slabDepth) => {
        // A fresh mask each time: the one-pass encoder must also name unnamed labels.
        const copy = () => new SegmentationMask(seg.data.slice(), undefined, seg.space, { bitDepth: seg.bitDepth });
        const twoPass = copy();
        const expected = encodeNative(twoPass, { slabDepth }, { stats: twoPass.labelStats() });
        const { bytes, stats } = encodeNativeWithStats(copy(), { slabDepth });
        expect(bytes).toEqual(expected);
        expect(stats).toEqual(twoPass.labelStats());
      }),
      { numRuns: 40 },
    );
  });

  it("stores per-label statistics that need no decode", () => {
    fc.assert(
      fc.property(maskArb, (seg) => {
        const info = readMaskInfo(encodeMask(seg));
        expect(info.stats).toEqual(seg.labelStats());
        expect(info.bitDepth).toBe(seg.bitDepth);
      }),
      { numRuns: 20 },
    );
  });

  it("refuses bad bytes with a code: magic, version, truncation, checksums, JSON, sizes", () => {
    const seg = new SegmentationMask(Uint16Array.from({ length: 6 * 5 * 7 }, (_, i) => (i % 11 === 0 ? 300 : i % 3)), { a: 300 }, new Space({ shape: [6, 5, 7] }));
    const good = encodeMask(seg, { slabDepth: 2 });
    expect(sha256(decodeMask(good).data)).toBe(sha256(seg.data));
    const edit = (fn: (b: Uint8Array) => void) => {
      const b = good.slice();
      fn(b);
      return b;
    };
    expect(codeOf(() => decodeMask(edit((b) => (b[0] = 0x58))))).toBe("BAD_FORMAT");
    expect(codeOf(() => decodeMask(edit((b) => (b[4] = 3))))).toBe("UNSUPPORTED_VERSION");
    expect(codeOf(() => decodeMask(edit((b) => (b[4] = 0))))).toBe("UNSUPPORTED_VERSION");
    expect(codeOf(() => decodeMask(edit((b) => (b[20] = b[20]! ^ 1))))).toBe("CHECKSUM");
    expect(codeOf(() => decodeMask(edit((b) => (b[b.length - 3] = b[b.length - 3]! ^ 0x40))))).toBe("CHECKSUM");
    expect(codeOf(() => decodeMask(new Uint8Array(3)))).toBe("TRUNCATED");
    for (let n = 0; n < good.length; n++) {
      const code = codeOf(() => decodeMask(good.subarray(0, n)));
      expect(["TRUNCATED", "BAD_FORMAT", "CHECKSUM"]).toContain(code);
    }
    expect(codeOf(() => decodeMask(rewriteNativeHeader(good, (h) => (h.codec = "lz99"))))).toBe("UNSUPPORTED_VERSION");
    expect(codeOf(() => decodeMask(rewriteNativeHeader(good, (h) => (h.space = { shape: [6, 5, 8] }))))).toBe("BAD_FORMAT");
    expect(codeOf(() => decodeMask(rewriteNativeHeader(good, (h) => ((h.slabs as Array<{ raw_length: number }>)[0]!.raw_length = 1e9))))).toBe("BAD_FORMAT");
    expect(codeOf(() => decodeMask(rewriteNativeHeader(good, (h) => ((h.slabs as Array<{ raw_length: number }>)[0]!.raw_length -= 1))))).toBe("BAD_FORMAT");
    expect(codeOf(() => decodeMask(rewriteNativeHeader(good, (h) => (h.dtype = "uint8"))))).toBe("BAD_FORMAT");
    expect(codeOf(() => decodeMask(rewriteNativeHeader(good, (h) => (h.slabs = (h.slabs as unknown[]).slice(1)))))).toBe("BAD_FORMAT");
    const broken = good.slice();
    broken.set(new TextEncoder().encode("{not json"), 16);
    new DataView(broken.buffer).setUint32(12, crc32(broken.subarray(16, 16 + new DataView(good.buffer).getUint32(8, true))), true);
    expect(codeOf(() => decodeMask(broken))).toBe("BAD_FORMAT");
  });

  it("refuses header statistics and dtypes that do not fit, also when only the header is read", () => {
    const seg = new SegmentationMask(Uint8Array.from({ length: 4 * 3 * 5 }, (_, i) => (i % 7 === 0 ? 9 : 0)), { a: 9, b: 4 }, new Space({ shape: [4, 3, 5] }));
    const good = encodeMask(seg);
    expect(readMaskInfo(good).stats!.map((s) => [s.name, s.voxels])).toEqual([["b", 0], ["a", 9]]);
    type Label = { label: unknown; name: unknown; voxels: unknown; bbox: unknown };
    const withLabel = (change: (l: Label) => void) => rewriteNativeHeader(good, (h) => change((h.labels as Label[]).find((l) => l.name === "a")!));
    const bad: Array<(l: Label) => void> = [
      (l) => (l.name = { toString: null }),
      (l) => (l.label = { toString: null }),
      (l) => (l.label = 0),
      (l) => (l.label = 256), // above uint8
      (l) => (l.voxels = -1),
      (l) => (l.voxels = 61), // more than its box holds
      (l) => (l.voxels = 0), // a box but no voxels
      (l) => (l.bbox = null), // voxels but no box
      (l) => (l.bbox = [0, 0, 0, 4, 2, 4]), // z past the shape
      (l) => (l.bbox = [3, 0, 0, 1, 2, 4]), // min above max
      (l) => (l.bbox = [0, 0, 0, 3, 2]),
      (l) => (l.bbox = [0, "0", 0, 3, 2, 4]),
    ];
    for (const change of bad) {
      const bytes = withLabel(change);
      expect(codeOf(() => readMaskInfo(bytes))).toBe("BAD_FORMAT");
      expect(codeOf(() => decodeMask(bytes))).toBe("BAD_FORMAT");
    }
    expect(codeOf(() => readMaskInfo(rewriteNativeHeader(good, (h) => (h.labels = [null]))))).toBe("BAD_FORMAT");
    expect(codeOf(() => readMaskInfo(rewriteNativeHeader(good, (h) => (h.labels = {}))))).toBe("BAD_FORMAT");
    for (const dtype of ["toString", "constructor", "__proto__", 8]) {
      expect(codeOf(() => readMaskInfo(rewriteNativeHeader(good, (h) => (h.dtype = dtype))))).toBe("BAD_FORMAT");
    }
  });

  it("gives a named error for archives passed as single masks", () => {
    expect(() => decodeMask(new TextEncoder().encode("MMSA0000"))).toThrow(/MaskArchive/);
    expect(() => decodeMask(new TextEncoder().encode("hello world!"))).toThrow(/Not a mask file/);
  });
});

describe("encoding is deterministic across backends", () => {
  it("gives the same bytes with the JS and WASM kernels", () => {
    fc.assert(
      fc.property(maskArb, (seg) => {
        setBackend("js");
        const viaJs = encodeMask(seg);
        setBackend("wasm");
        const viaWasm = encodeMask(seg);
        setBackend("auto");
        expect(viaWasm).toEqual(viaJs);
      }),
      { numRuns: 20 },
    );
  });
  it("keeps labels at the top of every bit depth", () => {
    for (const bitDepth of [1, 8, 16, 32] as BitDepth[]) {
      const data = arrayFor(bitDepth, [0, maxOf(bitDepth), maxOf(bitDepth), 1, 0, 0]);
      const seg = new SegmentationMask(data, undefined, new Space({ shape: [2, 1, 3] }), { bitDepth });
      expect(Array.from(decodeMask(encodeMask(seg)).data)).toEqual(Array.from(data));
    }
  });
});
