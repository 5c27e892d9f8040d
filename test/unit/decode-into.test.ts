// Decoding into a caller's buffer (`{ out }`): the same voxels as a decode into new memory,
// whatever `out` held before, and a misfit or corrupt input never writes to it.
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MaskArchive, SegmentationMask, Space, decodeMask, encodeMask, initZstd, loadMask, saveMask, type BitDepth, type Codec, type LabelArray } from "../../src/node.js";
import { BACKENDS, useBackend } from "../helpers/backends.js";
import { FIXTURES, codeOf, sha256, tempDir } from "../helpers/files.js";
import { arrayFor, maxOf, volumeArb } from "../helpers/volumes.js";

const CODECS: Codec[] = ["rle-rows-deflate", "deflate", "none"];

/** An array of the right type for `bitDepth` full of non-zero junk a decode must overwrite. */
function junk(bitDepth: BitDepth, length: number, seed = 1): LabelArray {
  const max = maxOf(bitDepth);
  return arrayFor(bitDepth, Array.from({ length }, (_, i) => 1 + ((i * 2654435761 + seed) % max)));
}

const maskArb = fc
  .record({
    bitDepth: fc.constantFrom<BitDepth>(1, 8, 16, 32),
    shape: fc.tuple(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 40 })),
  })
  .chain(({ bitDepth, shape }) =>
    volumeArb(bitDepth, shape[0] * shape[1] * shape[2]).map((data) => new SegmentationMask(data, undefined, new Space({ shape }), { bitDepth })),
  );

describe.each(BACKENDS)("decoding into a caller's buffer on %s", (backend) => {
  useBackend(backend);

  it("gives the same mask as a decode into new memory, whatever the buffer held", () => {
    fc.assert(
      fc.property(maskArb, fc.constantFrom(...CODECS), fc.integer({ min: 1, max: 80 }), fc.nat(), (seg, codec, slabDepth, seed) => {
        const bytes = encodeMask(seg, { codec, slabDepth });
        const out = junk(seg.bitDepth, seg.data.length, seed);
        const back = decodeMask(bytes, { out });
        expect(back.data).toBe(out);
        expect(sha256(out)).toBe(sha256(seg.data));
        expect(back.bitDepth).toBe(seg.bitDepth);
        expect(back.mapping.toJSON()).toEqual(decodeMask(bytes).mapping.toJSON());
      }),
      { numRuns: 60 },
    );
  });

  it("clears the background slabs before and after the labels", () => {
    const space = new Space({ shape: [40, 3, 5] });
    const data = new Uint8Array(40 * 15);
    data.fill(3, 20 * 15, 21 * 15);
    const out = new Uint8Array(data.length).fill(9);
    decodeMask(encodeMask(new SegmentationMask(data, { liver: 3 }, space), { slabDepth: 4 }), { out });
    expect(sha256(out)).toBe(sha256(data));
  });

  it("reads Python .msk files into the buffer exactly", async () => {
    await initZstd();
    const expected = JSON.parse(readFileSync(FIXTURES + "expected.json", "utf8")) as Record<string, { file?: string; shape_zyx?: number[]; dtype?: string; sha256_raw_c_order?: string }>;
    const depths: Record<string, BitDepth> = { bool: 1, uint8: 8, uint16: 16, uint32: 32 };
    for (const e of Object.values(expected)) {
      if (!e.shape_zyx) continue;
      const out = junk(depths[e.dtype!]!, e.shape_zyx.reduce((a, b) => a * b, 1));
      const seg = await loadMask(FIXTURES + e.file!, { out });
      expect(seg.data).toBe(out);
      expect(sha256(out)).toBe(e.sha256_raw_c_order);
    }
  });

  it("loads archive entries one after another into one buffer (native and Python archives)", async () => {
    const space = new Space({ shape: [6, 4, 5] });
    const dir = tempDir();
    const path = join(dir, "organs.mska");
    const archive = await MaskArchive.create(path, { space });
    const truth = new Map<string, Uint8Array>();
    for (const [name, z] of [["liver", 1], ["spleen", 4], ["empty", -1]] as const) {
      const data = new Uint8Array(space.voxelCount);
      if (z >= 0) data.fill(1, z * 20 + 3, z * 20 + 11);
      truth.set(name, data);
      archive.add(name, new SegmentationMask(data, { [name]: 1 }, space));
    }
    await archive.close();
    const reader = await MaskArchive.open(path);
    const out = junk(8, space.voxelCount) as Uint8Array;
    for (const name of reader.names()) {
      const seg = await reader.load(name, { out });
      expect(seg.data).toBe(out);
      expect(sha256(out)).toBe(sha256(truth.get(name)!));
    }
    await reader.close();

    const python = await MaskArchive.open(FIXTURES + "three.mska");
    for (const name of python.names()) {
      const fresh = await python.load(name);
      const into = await python.load(name, { out: junk(fresh.bitDepth, fresh.data.length) });
      expect(sha256(into.data)).toBe(sha256(fresh.data));
    }
    await python.close();
  });

  it("loadMask and SegmentationMask.load take the buffer too", async () => {
    const seg = new SegmentationMask(Uint16Array.from([0, 7, 7, 300, 0, 0]), { a: 7, b: 300 }, new Space({ shape: [1, 2, 3] }));
    const path = join(tempDir(), "case.msk");
    await saveMask(seg, path);
    const out = new Uint16Array(6).fill(5);
    expect((await loadMask(path, { out })).data).toBe(out);
    expect([...out]).toEqual([0, 7, 7, 300, 0, 0]);
    out.fill(5);
    expect((await SegmentationMask.load(path, { out })).data).toBe(out);
    expect([...out]).toEqual([0, 7, 7, 300, 0, 0]);
  });
});

describe("a buffer that does not fit, or a corrupt file, leaves the buffer as it was", () => {
  const space = new Space({ shape: [30, 2, 3] });
  const data = new Uint8Array(space.voxelCount).map((_, i) => (i % 5 === 0 ? 2 : 0));
  const bytes = encodeMask(new SegmentationMask(data, { kidney: 2 }, space), { slabDepth: 4 });

  it("refuses the wrong type, length or kind of buffer (INVALID_ARGUMENT)", () => {
    for (const out of [new Uint16Array(data.length), new Uint8Array(data.length - 1), new Uint8Array(data.length + 1), [0, 1] as unknown as Uint8Array, new Float32Array(data.length) as unknown as Uint8Array]) {
      const before = out.slice();
      expect(codeOf(() => decodeMask(bytes, { out }))).toBe("INVALID_ARGUMENT");
      expect([...out]).toEqual([...before]);
    }
    const u8 = junk(8, 6) as Uint8Array;
    expect(codeOf(() => decodeMask(encodeMask(new SegmentationMask(new Uint16Array(6), undefined, new Space({ shape: [1, 2, 3] }))), { out: u8 }))).toBe("INVALID_ARGUMENT");
  });

  it("refuses a buffer that overlaps the bytes being decoded", () => {
    const shared = new Uint8Array(bytes.length + data.length);
    shared.set(bytes);
    const file = shared.subarray(0, bytes.length);
    expect(codeOf(() => decodeMask(file, { out: shared.subarray(bytes.length - 1, bytes.length - 1 + data.length) }))).toBe("INVALID_ARGUMENT");
    // Beside the bytes in the same buffer is fine.
    expect(sha256(decodeMask(file, { out: shared.subarray(bytes.length) }).data)).toBe(sha256(data));
  });

  it("checks every slab's checksum before writing a voxel", () => {
    const corrupt = bytes.slice();
    corrupt[corrupt.length - 3] = corrupt[corrupt.length - 3]! ^ 0x40; // inside the last slab: the first ones are sound
    const out = junk(8, data.length) as Uint8Array;
    const before = out.slice();
    expect(codeOf(() => decodeMask(corrupt, { out }))).toBe("CHECKSUM");
    expect(out).toEqual(before);
  });

  it("leaves the buffer alone when a Python file's frame is corrupt", async () => {
    await initZstd();
    const file = new Uint8Array(readFileSync(FIXTURES + "uint8_rotated.msk"));
    const good = decodeMask(file);
    const corrupt = file.slice();
    corrupt[corrupt.length - 5] = corrupt[corrupt.length - 5]! ^ 0xff; // in the zstd frame, after the header checks pass
    const out = junk(8, good.data.length) as Uint8Array;
    const before = out.slice();
    expect(codeOf(() => decodeMask(corrupt, { out }))).toBe("BAD_FORMAT");
    expect(out).toEqual(before);
  });
});
