import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MaskArchive, MedMaskError, SegmentationMask, Space, loadMask, saveMask } from "../../src/node.js";
import type { FileIO } from "../../src/file-io.js";
import { registerPlatform } from "../../src/platform.js";
import { nodeFileIO } from "../../src/node/file-io.js";
import { asyncCodeOf, sha256, tempDir } from "../helpers/files.js";
import { rewriteArchiveIndex } from "../helpers/native-file.js";

const space = new Space({ shape: [5, 6, 7], spacing: [2, 1, 1] });
function organ(label: number, from: number, to: number): SegmentationMask<string> {
  const data = new Uint8Array(space.voxelCount);
  data.fill(label, from, to);
  return new SegmentationMask(data, { [`organ${label}`]: label }, space);
}

/**
 * An archive of five organs (m1..m5) read from a Blob that records every slice taken of it,
 * as [start, end].
 */
async function spiedBlobArchive(): Promise<{ bytes: Uint8Array; reads: Array<[number, number]>; archive: MaskArchive }> {
  const memory = MaskArchive.inMemory(space);
  for (let i = 1; i <= 5; i++) memory.add(`m${i}`, organ(i, i * 10, i * 10 + 30));
  const bytes = memory.toBytes();
  const reads: Array<[number, number]> = [];
  const blob = new Blob([bytes as BlobPart]);
  const spy = {
    size: blob.size,
    slice(start: number, end: number) {
      reads.push([start, end]);
      return blob.slice(start, end);
    },
  } as unknown as Blob;
  return { bytes, reads, archive: await MaskArchive.fromBlob(spy) };
}

afterEach(() => registerPlatform({ fileIO: nodeFileIO }));

describe("MaskArchive (native)", () => {
  it("creates, lists, reads header facts and loads entries by name", async () => {
    const path = join(tempDir(), "case.mska");
    const archive = await MaskArchive.create(path, { space });
    archive.add("liver", organ(1, 10, 60));
    archive.add("spleen", organ(2, 100, 130));
    archive.add("empty", SegmentationMask.lazyInit(8, { space }));
    expect(() => archive.add("liver", organ(3, 0, 1))).toThrow(MedMaskError);
    expect(() => archive.add("other", new SegmentationMask(new Uint8Array(8), {}, new Space({ shape: [2, 2, 2] })))).toThrow(/shares the archive's space/);
    await archive.close();

    const again = await MaskArchive.open(path);
    expect(again.names()).toEqual(["liver", "spleen", "empty"]);
    expect(again.mappings().spleen!.toJSON()).toEqual({ organ2: 2 });
    expect(again.stats("liver")).toEqual(organ(1, 10, 60).labelStats());
    const spleen = await again.load("spleen");
    expect(sha256(spleen.data)).toBe(sha256(organ(2, 100, 130).data));
    expect(spleen.space.equals(space, 0)).toBe(true);
    const all = await again.loadAll();
    expect([...all.keys()]).toEqual(["liver", "spleen", "empty"]);
    expect(all.get("empty")!.presentLabels()).toEqual([]);
    await expect(again.load("kidney")).rejects.toThrow(/No mask named "kidney".*liver, spleen, empty/);
    await again.close();
  });

  it("appends to an existing archive, keeping every earlier entry byte for byte", async () => {
    const path = join(tempDir(), "grow.mska");
    const first = await MaskArchive.create(path, { space });
    first.add("a", organ(1, 0, 20));
    await first.close();
    const before = readFileSync(path);
    const second = await MaskArchive.open(path);
    second.add("b", organ(2, 20, 40));
    await second.close();
    const after = readFileSync(path);
    const entryA = before.subarray(8, before.length - 32); // the prefix's first entry survives untouched
    expect(after.includes(entryA.subarray(0, 64))).toBe(true);
    const third = await MaskArchive.open(path);
    expect(third.names()).toEqual(["a", "b"]);
    expect(sha256((await third.load("a")).data)).toBe(sha256(organ(1, 0, 20).data));
    await third.close();
  });

  it("refuses to overwrite an existing file unless asked", async () => {
    const path = join(tempDir(), "x.mska");
    writeFileSync(path, "precious");
    expect(await asyncCodeOf(() => MaskArchive.create(path, { space }))).toBe("FILE_EXISTS");
    expect(readFileSync(path, "utf8")).toBe("precious");
  });

  it("an interrupted commit leaves the previous archive intact and no temporary file", async () => {
    const dir = tempDir();
    const path = join(dir, "safe.mska");
    const first = await MaskArchive.create(path, { space });
    first.add("a", organ(1, 0, 20));
    await first.close();
    const before = readFileSync(path);
    // A write that fails half way through the temporary file, like a full disk: the first
    // chunk is written, the next one throws.
    class DiskFull extends Uint8Array {
      override get length(): number {
        throw new MedMaskError("IO_ERROR", "disk full");
      }
    }
    const failing: FileIO = {
      ...nodeFileIO,
      writeAtomic: (p, chunks, options) => nodeFileIO.writeAtomic(p, [chunks[0]!, new DiskFull(4), ...chunks.slice(1)], options),
    };
    registerPlatform({ fileIO: failing });
    const second = await MaskArchive.open(path);
    second.add("b", organ(2, 20, 40));
    expect(await asyncCodeOf(() => second.commit())).toBe("IO_ERROR");
    registerPlatform({ fileIO: nodeFileIO });
    expect(readFileSync(path)).toEqual(before);
    expect(readdirSync(dir)).toEqual(["safe.mska"]);
    await second.close(); // retried with a working disk: now it lands
    const third = await MaskArchive.open(path);
    expect(third.names()).toEqual(["a", "b"]);
    await third.close();
  });

  it("reads lazily from a Blob: one entry costs only its own bytes", async () => {
    const { bytes, reads, archive } = await spiedBlobArchive();
    const opened = reads.length;
    expect(archive.names()).toEqual(["m1", "m2", "m3", "m4", "m5"]);
    const m4 = await archive.load("m4");
    expect(m4.presentLabels()).toEqual([4]);
    expect(reads.length).toBe(opened + 1);
    const [start, end] = reads.at(-1)!;
    expect(end - start).toBeLessThan(bytes.length / 4);
    expect(opened).toBeLessThanOrEqual(3); // prefix, footer, index
  });

  it("loadAll reads the entries in one read, not one per entry, and gives what load gives", async () => {
    const { reads, archive } = await spiedBlobArchive();
    const opened = reads.length;
    const all = await archive.loadAll();
    expect(reads.length).toBe(opened + 1);
    expect([...all.keys()]).toEqual(["m1", "m2", "m3", "m4", "m5"]);
    for (let i = 1; i <= 5; i++) {
      const one = await archive.load(`m${i}`);
      expect(sha256(all.get(`m${i}`)!.data)).toBe(sha256(one.data));
      expect(sha256(one.data)).toBe(sha256(organ(i, i * 10, i * 10 + 30).data));
      expect(all.get(`m${i}`)!.mapping.toJSON()).toEqual({ [`organ${i}`]: i });
    }
  });

  it("loadAll of a file with committed and pending entries keeps the order of names", async () => {
    const path = join(tempDir(), "mixed.mska");
    const first = await MaskArchive.create(path, { space });
    first.add("a", organ(1, 0, 20));
    first.add("b", organ(2, 30, 40));
    await first.close();
    const second = await MaskArchive.open(path);
    second.add("c", organ(3, 50, 60));
    const all = await second.loadAll();
    expect([...all.keys()]).toEqual(["a", "b", "c"]);
    expect([...all.values()].map((m) => m.presentLabels())).toEqual([[1], [2], [3]]);
    await second.close();
  });

  it("entries() yields one mask at a time, into one reused buffer with { out }, and stops when the archive closes", async () => {
    const path = join(tempDir(), "iterate.mska");
    const archive = await MaskArchive.create(path, { space });
    for (let i = 1; i <= 4; i++) archive.add(`m${i}`, organ(i, i * 10, i * 10 + 30));
    await archive.close();
    const reader = await MaskArchive.open(path);
    const out = new Uint8Array(space.voxelCount);
    const seen: string[] = [];
    for await (const [name, mask] of reader.entries({ out })) {
      expect(mask.data).toBe(out);
      const i = Number(name.slice(1));
      expect(sha256(mask.data)).toBe(sha256(organ(i, i * 10, i * 10 + 30).data));
      seen.push(name);
    }
    expect(seen).toEqual(["m1", "m2", "m3", "m4"]);
    const iterator = reader.entries();
    expect((await iterator.next()).value![0]).toBe("m1");
    await reader.close();
    expect(await asyncCodeOf(() => iterator.next())).toBe("DISPOSED");
  });

  it("entries({ reuse: true }) decodes into one buffer per label type, whatever the types", async () => {
    const memory = MaskArchive.inMemory(space);
    const wide = new Uint16Array(space.voxelCount).fill(300, 5, 90);
    const expected = new Map<string, SegmentationMask<string>>([
      ["m1", organ(1, 10, 40)],
      ["wide", new SegmentationMask(wide, { wide: 300 }, space)],
      ["m2", organ(2, 0, 25)], // fewer voxels than m1: what m1 left must be cleared
      ["m3", organ(3, 100, 200)],
    ]);
    for (const [name, mask] of expected) memory.add(name, mask);
    const reader = await MaskArchive.fromBytes(memory.toBytes());
    const buffers = new Map<string, ArrayBufferLike>();
    const seen: string[] = [];
    for await (const [name, mask] of reader.entries({ reuse: true })) {
      expect(sha256(mask.data)).toBe(sha256(expected.get(name)!.data));
      expect(mask.labelStats()).toEqual(expected.get(name)!.labelStats());
      const type = mask.data.constructor.name;
      if (buffers.has(type)) expect(mask.data.buffer).toBe(buffers.get(type));
      buffers.set(type, mask.data.buffer);
      seen.push(name);
    }
    expect(seen).toEqual([...expected.keys()]);
    expect([...buffers.keys()].sort()).toEqual(["Uint16Array", "Uint8Array"]);
    expect(await asyncCodeOf(() => reader.entries({ reuse: true, out: new Uint8Array(space.voxelCount) }).next())).toBe("INVALID_ARGUMENT");
    expect(await asyncCodeOf(() => reader.entries({ reuse: true, resident: true }).next())).toBe("INVALID_ARGUMENT");
  });

  it("refuses corrupt archives with codes", async () => {
    const memory = MaskArchive.inMemory(space);
    memory.add("a", organ(1, 0, 20));
    const bytes = memory.toBytes();
    const flip = (at: number) => {
      const b = bytes.slice();
      b[at] = b[at]! ^ 0xff;
      return b;
    };
    expect(await asyncCodeOf(() => MaskArchive.fromBytes(bytes.subarray(0, bytes.length - 5)))).toBe("TRUNCATED");
    expect(await asyncCodeOf(() => MaskArchive.fromBytes(flip(bytes.length - 6)))).toBe("TRUNCATED"); // footer magic
    expect(await asyncCodeOf(() => MaskArchive.fromBytes(flip(bytes.length - 10)))).toBe("CHECKSUM");
    expect(await asyncCodeOf(() => MaskArchive.fromBytes(flip(bytes.length - 2)))).toBe("CHECKSUM");
    expect(await asyncCodeOf(() => MaskArchive.fromBytes(flip(bytes.length - 40)))).toBe("CHECKSUM");
    expect(await asyncCodeOf(() => MaskArchive.fromBytes(flip(0)))).toBe("BAD_FORMAT");
    expect(await asyncCodeOf(() => MaskArchive.fromBytes(flip(4)))).toBe("UNSUPPORTED_VERSION");
    const entryFlipped = await MaskArchive.fromBytes(flip(40));
    expect(await asyncCodeOf(() => entryFlipped.load("a"))).toMatch(/CHECKSUM|BAD_FORMAT/);
    expect(await asyncCodeOf(() => MaskArchive.open(join(tempDir(), "missing.mska")))).toBe("FILE_NOT_FOUND");
  });
});

describe("MaskArchive index checks", () => {
  it("refuses an index whose statistics or dtypes do not fit (BAD_FORMAT on open)", async () => {
    const space = new Space({ shape: [4, 3, 5] });
    const memory = MaskArchive.inMemory(space);
    memory.add("a", new SegmentationMask(Uint8Array.from({ length: 60 }, (_, i) => (i < 5 ? 1 : 0)), { a: 1 }, space));
    const bytes = memory.toBytes();
    expect((await MaskArchive.fromBytes(bytes)).stats("a")![0]!.voxels).toBe(5);
    type Entry = { dtype: unknown; labels: Array<Record<string, unknown>> | null };
    const edits: Array<(e: Entry) => void> = [
      (e) => (e.dtype = "toString"),
      (e) => (e.dtype = "float32"),
      (e) => (e.labels![0]!.voxels = 61),
      (e) => (e.labels![0]!.name = { toString: null }),
      (e) => (e.labels![0]!.bbox = [0, 0, 0, 0, 0, 5]),
      (e) => (e.labels = [{}]),
    ];
    for (const edit of edits) {
      const changed = rewriteArchiveIndex(bytes, (index) => edit((index.entries as Entry[])[0]!));
      expect(await asyncCodeOf(() => MaskArchive.fromBytes(changed))).toBe("BAD_FORMAT");
    }
  });
});

describe("saveMask / loadMask", () => {
  it("round-trips through a file, and seg.save / SegmentationMask.load do the same", async () => {
    const dir = tempDir();
    const seg = organ(3, 5, 90);
    await saveMask(seg, join(dir, "a.msk"));
    await seg.save(join(dir, "b.msk"));
    expect(readFileSync(join(dir, "a.msk"))).toEqual(readFileSync(join(dir, "b.msk")));
    expect(sha256((await loadMask(join(dir, "a.msk"))).data)).toBe(sha256(seg.data));
    expect(sha256((await SegmentationMask.load(join(dir, "b.msk"))).data)).toBe(sha256(seg.data));
    expect(readdirSync(dir).sort()).toEqual(["a.msk", "b.msk"]);
  });

  it("a failed save keeps the old file and leaves no temporary file", async () => {
    const dir = tempDir();
    const path = join(dir, "keep.msk");
    await saveMask(organ(1, 0, 10), path);
    const before = readFileSync(path);
    expect(await asyncCodeOf(() => saveMask(organ(1, 0, 10), path, { overwrite: false }))).toBe("FILE_EXISTS");
    expect(await asyncCodeOf(() => saveMask(organ(1, 0, 10), join(dir, "no-such-dir", "x.msk")))).toBe("FILE_NOT_FOUND");
    expect(readFileSync(path)).toEqual(before);
    expect(readdirSync(dir)).toEqual(["keep.msk"]);
    expect(existsSync(join(dir, "no-such-dir"))).toBe(false);
  });
});
