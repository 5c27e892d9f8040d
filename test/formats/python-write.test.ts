// Writing the Python library's files (SPEC section 9) without the peer: layout, options and
// the reader's answers to Python files whose headers lie. python-peer.test.ts proves the
// files against the real Python library.
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { MaskArchive, SegmentationMask, Space, decodeMask, encodeMask, initZstd, loadMask, readMaskInfo, saveMask } from "../../src/node.js";
import { zstdCompress } from "../../src/codecs/zstd.js";
import { BACKENDS, useBackend } from "../helpers/backends.js";
import { asyncCodeOf, codeOf, tempDir } from "../helpers/files.js";
import { arrayFor } from "../helpers/volumes.js";

const space = new Space({ shape: [3, 5, 7], spacing: [2.5, 0.8, 0.8], origin: [1, -2, 3] });
const values = Array.from({ length: 105 }, (_, i) => (i % 4 === 0 ? 9 : i % 7 === 0 ? 3 : 0));
const seg8 = new SegmentationMask(arrayFor(8, values), { liver: 9, spleen: 3 }, space);
const bool = new SegmentationMask(arrayFor(1, values.map((v) => (v ? 1 : 0))), { lesion: 1 }, space, { bitDepth: 1 });

/** A zstd frame of raw blocks, by hand (RFC 8878): with or without Frame_Content_Size. */
function rawFrame(data: Uint8Array, withSize: boolean): Uint8Array {
  // Single_Segment with a 4-byte size, or a Window_Descriptor (2^17 bytes) and no size.
  const header = withSize ? [0x28, 0xb5, 0x2f, 0xfd, 0xa0, ...new Uint8Array(Uint32Array.of(data.length).buffer)] : [0x28, 0xb5, 0x2f, 0xfd, 0x00, 7 << 3];
  const block = [1 | (data.length << 3), (data.length << 3) >> 8, (data.length << 3) >> 16]; // last, raw, size
  return Uint8Array.from([...header, ...block, ...data]);
}

/** A .msk with its data block's frame replaced (the header's data length follows). */
function withFrame(file: Uint8Array, frame: Uint8Array): Uint8Array {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const dataAt = Number(view.getBigUint64(39, true));
  const frameAt = dataAt + 2 + file[dataAt + 1]! + 1 + 24;
  const out = new Uint8Array(frameAt + frame.length);
  out.set(file.subarray(0, frameAt));
  out.set(frame, frameAt);
  new DataView(out.buffer).setBigUint64(47, BigInt(out.length - dataAt), true);
  return out;
}

beforeAll(() => initZstd());

describe.each(BACKENDS)("writing Python medmask files on %s", (backend) => {
  useBackend(backend);

  it("encodeMask { format: 'python' } is the Python layout: MSK1 1.0 zstd, space in (x, y, z), read back the same at every bit depth", () => {
    fc.assert(
      fc.property(fc.constantFrom(1, 8, 16, 32) as fc.Arbitrary<1 | 8 | 16 | 32>, fc.array(fc.nat(), { minLength: 105, maxLength: 105 }), (bitDepth, raw) => {
        const max = bitDepth === 32 ? 2 ** 32 - 1 : 2 ** bitDepth - 1;
        const data = arrayFor(bitDepth, raw.map((v) => (bitDepth === 1 ? v & 1 : v % 3 === 0 ? 0 : v % max)));
        const seg = new SegmentationMask(data, {}, space, { bitDepth });
        const bytes = encodeMask(seg, { format: "python" });
        expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe("MSK1");
        expect([bytes[4], bytes[5], bytes[6]]).toEqual([1, 0, 0]);
        const view = new DataView(bytes.buffer, bytes.byteOffset);
        const spaceJson = JSON.parse(new TextDecoder().decode(bytes.subarray(Number(view.getBigUint64(7, true)), Number(view.getBigUint64(7, true)) + Number(view.getBigUint64(15, true)))));
        expect(spaceJson).toEqual(space.reverseAxisOrder().toJSON());
        const back = decodeMask(bytes);
        expect(back.bitDepth).toBe(bitDepth);
        expect(back.data).toEqual(seg.data);
        expect(back.mapping.toJSON()).toEqual(seg.mapping.toJSON());
        expect(readMaskInfo(bytes).format).toBe("python-medmask");
      }),
      { numRuns: 40 },
    );
  });

  it("bool masks are numpy.packbits in the frame; zstd levels 1-22; other options refused", () => {
    const bytes = encodeMask(bool, { format: "python", level: 19 });
    const dataAt = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(39, true));
    expect([bytes[dataAt], bytes[dataAt + 1]]).toEqual([1, 4]); // bool flag, "bool"
    expect(decodeMask(bytes).data).toEqual(bool.data);
    expect(codeOf(() => encodeMask(bool, { format: "python", level: 0 }))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => encodeMask(bool, { format: "python", level: 23 }))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => encodeMask(bool, { format: "python", codec: "deflate" }))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => encodeMask(bool, { format: "python", slabDepth: 4 }))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => encodeMask(bool, { format: "numpy" as "python" }))).toBe("INVALID_ARGUMENT");
  });

  it("saveMask and MaskArchive write Python files atomically; MaskArchive.open adds to them; toBytes of an in-memory one", async () => {
    const dir = tempDir();
    await saveMask(seg8, join(dir, "a.msk"), { format: "python" });
    expect((await loadMask(join(dir, "a.msk"))).data).toEqual(seg8.data);
    const archive = await MaskArchive.create(join(dir, "a.mska"), { space, format: "python" });
    expect(archive.format).toBe("python");
    archive.add("multi", seg8);
    await archive.close();
    const again = await MaskArchive.open(join(dir, "a.mska"));
    again.add("bool", bool);
    expect(codeOf(() => again.add("bool", bool))).toBe("DUPLICATE_NAME");
    expect(codeOf(() => again.add("other", new SegmentationMask(new Uint8Array(8), {}, new Space({ shape: [2, 2, 2] }))))).toBe("SHAPE_MISMATCH");
    await again.close();
    const third = await MaskArchive.open(join(dir, "a.mska"));
    expect(third.names()).toEqual(["multi", "bool"]);
    expect((await third.load("bool")).data).toEqual(bool.data);
    expect(third.stats("bool")).toBeNull(); // Python archives store no statistics
    await third.close();
    const memory = MaskArchive.inMemory(space, { format: "python" });
    memory.add("bool", bool);
    const fromBytes = await MaskArchive.fromBytes(memory.toBytes());
    expect(fromBytes.format).toBe("python");
    expect((await fromBytes.load("bool")).data).toEqual(bool.data);
    expect(await asyncCodeOf(() => MaskArchive.create(join(dir, "b.mska"), { space, format: "zip" as "python" }))).toBe("INVALID_ARGUMENT");
  });
});

describe("Python files whose header lies are refused with a clear code", () => {
  const good = () => encodeMask(seg8, { format: "python" });
  const setU64 = (bytes: Uint8Array, at: number, value: number) => {
    const copy = bytes.slice();
    new DataView(copy.buffer).setBigUint64(at, BigInt(value), true);
    return copy;
  };

  it("offsets and lengths past the end", () => {
    const bytes = good();
    expect(codeOf(() => decodeMask(setU64(bytes, 39, bytes.length + 10)))).toBe("TRUNCATED"); // data offset
    expect(codeOf(() => decodeMask(setU64(bytes, 47, bytes.length)))).toBe("TRUNCATED"); // data length
    expect(codeOf(() => decodeMask(setU64(bytes, 15, 2 ** 40)))).toBe("TRUNCATED"); // space length
    expect(codeOf(() => decodeMask(bytes.subarray(0, 61)))).toBe("TRUNCATED");
  });

  it("a shape that does not match the space, or a frame whose size does not match the shape", () => {
    const bytes = good();
    const dataAt = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(39, true));
    const shapeAt = dataAt + 2 + bytes[dataAt + 1]! + 1;
    expect(codeOf(() => decodeMask(setU64(bytes, shapeAt + 16, 8)))).toBe("BAD_FORMAT"); // the file contradicts its own space
    // A valid frame of 104 bytes where the shape says 105: declared size and header disagree.
    expect(codeOf(() => decodeMask(withFrame(bytes, zstdCompress(new Uint8Array(104)))))).toBe("BAD_FORMAT");
    // A raw frame that declares 105 bytes and holds 104.
    const lying = rawFrame(new Uint8Array(104), true);
    lying[5] = 105;
    expect(codeOf(() => decodeMask(withFrame(bytes, lying)))).toBe("BAD_FORMAT");
  });

  it("a dtype that is not a label type, and a packed flag that disagrees with it", () => {
    const bytes = good();
    const dataAt = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(39, true));
    const int8 = bytes.slice();
    int8.set(new TextEncoder().encode("int8 "), dataAt + 2); // "uint8" -> "int8 "
    expect(codeOf(() => decodeMask(int8))).toBe("BAD_FORMAT");
    const flagged = bytes.slice();
    flagged[dataAt] = 1;
    expect(codeOf(() => decodeMask(flagged))).toBe("BAD_FORMAT");
  });

  it("a zstd frame without its content size (the Python reader needs it) is refused; the same frame with it reads", () => {
    const bytes = good();
    expect(decodeMask(withFrame(bytes, rawFrame(seg8.data as Uint8Array, true))).data).toEqual(seg8.data);
    expect(codeOf(() => decodeMask(withFrame(bytes, rawFrame(seg8.data as Uint8Array, false))))).toBe("BAD_FORMAT");
  });

  it("the Python layout files of the real case (written by the Python library) read as before", async () => {
    const multi = await loadMask(new URL("../../bench/data/totalseg-multilabel.python.msk", import.meta.url).pathname);
    expect(multi.mapping.size).toBe(117);
    expect(readFileSync(new URL("../../bench/data/totalseg-multilabel.python.msk", import.meta.url)).subarray(0, 4).toString()).toBe("MSK1");
  });
});
