// gzip for .nii.gz and .seg.nrrd: fflate (everywhere) and zlib (registered by the Node
// entry) must read each other's streams, refuse corrupt ones, and not depend on the size
// the trailer claims.
import fc from "fast-check";
import { gzipSync as nodeGzip } from "node:zlib";
import { describe, expect, it } from "vitest";
import { fflateGzip, gzipInflatedSize, type Gzip } from "../../src/codecs/gzip.js";
import { zlibGzip } from "../../src/node/gzip.js";
import { Space, niftiBytes, readNifti, readNiftiBlob } from "../../src/node.js";

const bytesArb = fc.oneof(
  fc.uint8Array({ maxLength: 3000 }),
  // Long runs, as in masks: compresses far below the trailer's size.
  fc.tuple(fc.integer({ min: 0, max: 200_000 }), fc.integer({ min: 0, max: 255 })).map(([n, v]) => new Uint8Array(n).fill(v)),
);

describe.each([
  ["fflate", fflateGzip],
  ["zlib", zlibGzip],
] as [string, Gzip][])("gzip through %s", (_, g) => {
  it("round-trips any bytes, and reads the other implementation's streams", () => {
    fc.assert(
      fc.property(bytesArb, fc.integer({ min: 0, max: 9 }), (data, level) => {
        for (const stream of [g.gzip(data, level), zlibGzip.gzip(data, level), fflateGzip.gzip(data, level)]) {
          expect(Buffer.from(g.gunzip(stream, gzipInflatedSize(stream))).equals(Buffer.from(data))).toBe(true);
          // A size hint that is wrong either way (or missing) changes nothing.
          for (const size of [0, Math.max(0, data.length - 7), data.length + 100]) expect(Buffer.from(g.gunzip(stream, size)).equals(Buffer.from(data))).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("throws on streams that are cut short or corrupt", () => {
    const data = new Uint8Array(5000).map((_, i) => (i * 7) % 13);
    const stream = new Uint8Array(nodeGzip(data));
    expect(() => g.gunzip(stream.subarray(0, stream.length - 9), 0)).toThrow();
    const bad = stream.slice();
    bad[12] = bad[12]! ^ 0xff;
    expect(() => g.gunzip(bad, data.length)).toThrow();
  });

  it("reads every member of a multi-member stream (any sizes), and refuses a trailer that lies", () => {
    fc.assert(
      fc.property(fc.array(bytesArb, { minLength: 2, maxLength: 4 }), (parts) => {
        const stream = Buffer.concat(parts.map((p) => nodeGzip(p)));
        const whole = Buffer.concat(parts);
        expect(Buffer.from(g.gunzip(stream, gzipInflatedSize(stream))).equals(whole)).toBe(true);
      }),
      { numRuns: 40 },
    );
    const lying = new Uint8Array(nodeGzip(new Uint8Array(5000).fill(3)));
    new DataView(lying.buffer).setUint32(lying.length - 4, 100, true);
    expect(() => g.gunzip(lying, gzipInflatedSize(lying))).toThrow();
  });
});

describe("gzipInflatedSize", () => {
  it("reads the trailer, bounded by what deflate can make of the stream", () => {
    const stream = new Uint8Array(nodeGzip(new Uint8Array(70_000)));
    expect(gzipInflatedSize(stream)).toBe(70_000);
    const lying = stream.slice();
    new DataView(lying.buffer).setUint32(lying.length - 4, 0xffffffff, true);
    expect(gzipInflatedSize(lying)).toBe(lying.length * 1032);
    expect(gzipInflatedSize(stream.subarray(0, 17))).toBe(0);
  });
});

describe("NIfTI in Node", () => {
  it("reads .nii.gz bytes and Blobs through zlib, several gzip members too", async () => {
    const volume = new Uint8Array(2 * 3 * 70).map((_, i) => i % 5);
    const raw = niftiBytes(volume, new Space({ shape: [2, 3, 70] }), { gzip: false });
    const members = new Uint8Array([...nodeGzip(raw.subarray(0, 300)), ...nodeGzip(raw.subarray(300))]);
    for (const bytes of [new Uint8Array(nodeGzip(raw)), members]) {
      expect(Array.from(readNifti(bytes).data)).toEqual(Array.from(volume));
      expect(Array.from((await readNiftiBlob(new Blob([bytes as BlobPart]))).data)).toEqual(Array.from(volume));
    }
  });

  it("a .nii.gz whose gzip data is corrupt is BAD_FORMAT through zlib too", () => {
    const gz = new Uint8Array(nodeGzip(new Uint8Array(400)));
    gz[15] = gz[15]! ^ 0x55;
    expect(() => readNifti(gz)).toThrow(expect.objectContaining({ code: "BAD_FORMAT" }));
  });
});
