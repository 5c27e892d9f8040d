// Files written here, read by the real Python medmask library, and the other way round
// (SPEC section 9). The peer runs in one Python process for the whole file
// (test/helpers/python-peer.ts); what it reports of a mask is computed by numpy.
import fc from "fast-check";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MaskArchive, SegmentationMask, Space, encodeMask, loadMask, saveMask, type BitDepth, type LabelArray } from "../../src/node.js";
import { sha256, tempDir } from "../helpers/files.js";
import { PythonPeer, hasPythonPeer, type PythonMaskReport } from "../helpers/python-peer.js";
import { rotatedSpaceArb } from "../helpers/spaces.js";
import { arrayFor } from "../helpers/volumes.js";

const DTYPE: Record<BitDepth, string> = { 1: "bool", 8: "uint8", 16: "uint16", 32: "uint32" };
const RUNS = { numRuns: 30 };

const spaceArb = rotatedSpaceArb();

/** Unique non-empty names, unicode included. */
const namesArb = (count: number) => fc.uniqueArray(fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 }), { minLength: count, maxLength: count });

/** A random mask: any bit depth, labels up to the depth's maximum, every label named. */
const maskArb = (spaceArbitrary = spaceArb) =>
  fc.record({ space: spaceArbitrary, bitDepth: fc.constantFrom<BitDepth>(1, 8, 16, 32), seed: fc.nat() }).chain(({ space, bitDepth, seed }) => {
    const max = bitDepth === 32 ? 2 ** 32 - 1 : 2 ** bitDepth - 1;
    const labelsArb = bitDepth === 1 ? fc.constant([1]) : fc.uniqueArray(fc.oneof(fc.integer({ min: 1, max }), fc.constant(max)), { minLength: 1, maxLength: 5 });
    return labelsArb.chain((labels) =>
      namesArb(labels.length).map((names) => {
        let state = seed || 1;
        const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
        const values = Array.from({ length: space.voxelCount }, () => (next() % 3 === 0 ? labels[next() % labels.length]! : 0));
        const mapping = Object.fromEntries(names.map((name, i) => [name, labels[i]!]));
        return new SegmentationMask(arrayFor(bitDepth, values), mapping, space, { bitDepth });
      }),
    );
  });

const rawBytes = (data: LabelArray) => new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
/** A Python archive's data offset, from its header: it moves when the index outgrows its reservation. */
const dataOffsetOf = (path: string) => Number(readFileSync(path).readBigUint64LE(39));

describe.skipIf(!hasPythonPeer)("the real Python medmask library reads what medmask writes, and the other way round", () => {
  let peer: PythonPeer;
  let dir: string;
  let n = 0;
  const file = (ext: string) => join(dir, `case-${n++}${ext}`);
  beforeAll(() => {
    peer = new PythonPeer();
    dir = tempDir();
  });
  afterAll(() => peer?.close());

  /** What Python must report of `seg`. */
  const expectPythonSees = (report: PythonMaskReport, seg: SegmentationMask<string>) => {
    expect(report.shape).toEqual([...seg.shape]);
    expect(report.dtype).toBe(DTYPE[seg.bitDepth]);
    expect(report.mapping).toEqual(seg.mapping.toJSON());
    expect(report.sha256).toBe(sha256(seg.data));
    // The geometry exactly: both sides print doubles as their shortest round trip.
    expect(Space.fromJSON(report.space).toJSON()).toEqual(seg.space.toJSON());
  };

  /** Asks Python to build `seg` from its raw voxels and save it as a .msk. */
  const pythonWrites = async (seg: SegmentationMask<string>, path: string) => {
    const raw = `${path}.raw`;
    writeFileSync(raw, rawBytes(seg.data));
    await peer.call({ op: "write_msk", path, raw, dtype: DTYPE[seg.bitDepth], mapping: seg.mapping.toJSON(), space: seg.space.toJSON() });
  };

  const expectSame = (back: SegmentationMask<string>, seg: SegmentationMask<string>) => {
    expect(back.bitDepth).toBe(seg.bitDepth);
    expect(back.data).toEqual(seg.data);
    expect(back.mapping.toJSON()).toEqual(seg.mapping.toJSON());
    expect(back.space.toJSON()).toEqual(seg.space.toJSON());
  };

  it("medmask writes a .msk -> Python reads the same voxels, dtype, mapping and geometry (random shapes, bit depths, labels, rotated spaces)", async () => {
    await fc.assert(
      fc.asyncProperty(maskArb(), fc.integer({ min: 1, max: 19 }), async (seg, level) => {
        const path = file(".msk");
        await saveMask(seg, path, { format: "python", level });
        expectPythonSees(await peer.call<PythonMaskReport>({ op: "read_msk", path }), seg);
      }),
      RUNS,
    );
  });

  it("Python writes a .msk -> medmask reads the same voxels, mapping and geometry", async () => {
    await fc.assert(
      fc.asyncProperty(maskArb(), async (seg) => {
        const path = file(".msk");
        await pythonWrites(seg, path);
        expectSame(await loadMask(path), seg);
      }),
      RUNS,
    );
  });

  it("edge masks both ways: one voxel, all background, all one label, the largest 32-bit label", async () => {
    const one = new Space({ shape: [1, 1, 1] });
    const odd = new Space({ shape: [3, 5, 7], spacing: [2.5, 0.7, 0.7] });
    const cases = [
      new SegmentationMask(Uint8Array.of(1), { dot: 1 }, one, { bitDepth: 1 }),
      new SegmentationMask(Uint8Array.of(0), {}, one, { bitDepth: 1 }),
      new SegmentationMask(new Uint8Array(105), { liver: 1 }, odd, { bitDepth: 8 }),
      new SegmentationMask(new Uint16Array(105).fill(65535), { all: 65535 }, odd),
      new SegmentationMask(Uint32Array.from({ length: 105 }, (_, i) => (i % 2 ? 4294967295 : 0)), { top: 4294967295 }, odd),
      new SegmentationMask(Uint8Array.from({ length: 105 }, (_, i) => i % 2), { "肝臓 (liver)": 1 }, odd, { bitDepth: 1 }),
    ];
    for (const seg of cases) {
      const ours = file(".msk");
      await saveMask(seg, ours, { format: "python" });
      expectPythonSees(await peer.call<PythonMaskReport>({ op: "read_msk", path: ours }), seg);
      const theirs = file(".msk");
      await pythonWrites(seg, theirs);
      expectSame(await loadMask(theirs), seg);
    }
  });

  it("axis order (the Python library's test_axis_reversed): voxels in (z, y, x), the file's space JSON in (x, y, z)", async () => {
    const space = new Space({ shape: [6, 10, 14], spacing: [3, 2, 1], origin: [10, 20, 30], xOrientation: [0, 1, 0], yOrientation: [1, 0, 0], zOrientation: [0, 0, -1] });
    const seg = new SegmentationMask(Uint8Array.from({ length: 840 }, (_, i) => i % 251), {}, space);
    const ours = file(".msk");
    await saveMask(seg, ours, { format: "python" });
    expect(await peer.call({ op: "raw_space", path: ours })).toEqual(space.reverseAxisOrder().toJSON());
    expectPythonSees(await peer.call<PythonMaskReport>({ op: "read_msk", path: ours }), seg);
    const theirs = file(".msk");
    await pythonWrites(seg, theirs);
    expect(await peer.call({ op: "raw_space", path: theirs })).toEqual(space.reverseAxisOrder().toJSON());
    expectSame(await loadMask(theirs), seg);
  });

  it("encodeMask(seg, { format: 'python' }) gives the bytes saveMask writes", async () => {
    const seg = fc.sample(maskArb(), { numRuns: 1, seed: 7 })[0]!;
    const path = file(".msk");
    await saveMask(seg, path, { format: "python" });
    const bytes = encodeMask(seg, { format: "python" });
    const fromDisk = new Uint8Array(await import("node:fs/promises").then((fs) => fs.readFile(path)));
    expect(bytes).toEqual(fromDisk);
  });

  /** 160 entries of every bit depth on one space, with unicode names. */
  const archiveEntries = (space: Space, count: number, prefix: string) =>
    Array.from({ length: count }, (_, i) => {
      const bitDepth = ([1, 8, 16, 32] as const)[i % 4]!;
      const label = bitDepth === 1 ? 1 : bitDepth === 8 ? 200 : bitDepth === 16 ? 60000 + i : 4e9 + i;
      const values = Array.from({ length: space.voxelCount }, (_, v) => ((v * 7 + i) % 5 === 0 ? label : 0));
      return { name: `${prefix}${i}-器官-é`, seg: new SegmentationMask(arrayFor(bitDepth, values), { [`organ ${i} ✓`]: label }, space, { bitDepth }) };
    });
  const space = new Space({ shape: [4, 6, 9], spacing: [2.5, 0.8, 0.8], origin: [-100.5, 20.25, 3] });

  const expectArchive = (report: { names: string[]; entries: PythonMaskReport[]; space: Record<string, number[]> }, entries: { name: string; seg: SegmentationMask<string> }[]) => {
    expect(report.names).toEqual(entries.map((e) => e.name));
    report.entries.forEach((r, i) => expectPythonSees(r, entries[i]!.seg));
  };
  const pythonArchive = (path: string, entries: { name: string; seg: SegmentationMask<string> }[], mode: "w" | "a") =>
    peer.call({
      op: "write_mska",
      path,
      mode,
      space: space.toJSON(),
      entries: entries.map(({ name, seg }) => {
        const raw = file(".raw");
        writeFileSync(raw, rawBytes(seg.data));
        return { name, raw, dtype: DTYPE[seg.bitDepth], mapping: seg.mapping.toJSON() };
      }),
    });

  it("a .mska of 160 entries written here is read by Python entry by entry; Python appends 120 (its index grows, its data moves) and both read all 280", async () => {
    const path = file(".mska");
    const entries = archiveEntries(space, 160, "ts-");
    const archive = await MaskArchive.create(path, { space, format: "python" });
    for (const e of entries) archive.add(e.name, e.seg);
    await archive.close();
    expectArchive(await peer.call({ op: "read_mska", path }), entries);

    const more = archiveEntries(space, 120, "py-");
    const before = dataOffsetOf(path);
    await pythonArchive(path, more, "a");
    expect(dataOffsetOf(path)).toBeGreaterThan(before);
    const all = [...entries, ...more];
    expectArchive(await peer.call({ op: "read_mska", path }), all);
    const back = await MaskArchive.open(path);
    expect(back.format).toBe("python");
    expect(back.names()).toEqual(all.map((e) => e.name));
    for (const e of all) expectSame(await back.load(e.name), e.seg);
    await back.close();
  });

  it("a .mska of 160 entries written by Python is read here; medmask appends 300 over several commits (growing its index as Python does) and Python reads all", async () => {
    const path = file(".mska");
    const entries = archiveEntries(space, 160, "py-");
    await pythonArchive(path, entries, "w");
    const archive = await MaskArchive.open(path);
    expect(archive.names()).toEqual(entries.map((e) => e.name));
    let i = 0;
    for await (const [name, mask] of archive.entries()) {
      expect(name).toBe(entries[i]!.name);
      expectSame(mask, entries[i++]!.seg);
    }
    const more = archiveEntries(space, 300, "ts-");
    // Commits of 1, 49 and 250 entries: in place while the index fits, then moving the data.
    const offsets = [dataOffsetOf(path)];
    for (const [from, to] of [[0, 1], [1, 50], [50, 300]] as const) {
      for (const e of more.slice(from, to)) archive.add(e.name, e.seg);
      await archive.commit();
      offsets.push(dataOffsetOf(path));
      expectArchive(await peer.call({ op: "read_mska", path }), [...entries, ...more.slice(0, to)]);
    }
    expect(offsets[1]).toBe(offsets[0]);
    expect(offsets[3]).toBeGreaterThan(offsets[0]!);
    for (const e of [...entries, ...more]) expectSame(await archive.load(e.name), e.seg);
    await archive.close();
  });

  it("a frame without its content size: Python refuses it too (so medmask's reader does, and its writer never makes one)", async () => {
    const seg = new SegmentationMask(Uint8Array.of(0, 1, 2, 0), { a: 1, b: 2 }, new Space({ shape: [1, 2, 2] }));
    const bytes = encodeMask(seg, { format: "python" });
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    const dataAt = Number(view.getBigUint64(39, true));
    const frameAt = dataAt + 2 + bytes[dataAt + 1]! + 1 + 24;
    // Raw blocks with a Window_Descriptor and no Frame_Content_Size (RFC 8878).
    const frame = Uint8Array.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 7 << 3, 1 | (4 << 3), 0, 0, 0, 1, 2, 0]);
    const damaged = new Uint8Array(frameAt + frame.length);
    damaged.set(bytes.subarray(0, frameAt));
    damaged.set(frame, frameAt);
    new DataView(damaged.buffer).setBigUint64(47, BigInt(damaged.length - dataAt), true);
    const path = file(".msk");
    writeFileSync(path, damaged);
    await expect(peer.call({ op: "read_msk", path })).rejects.toThrow(/content size/);
  });

  it("an in-memory Python archive (a browser's download) is the file Python reads", async () => {
    const entries = archiveEntries(space, 3, "mem-");
    const archive = MaskArchive.inMemory(space, { format: "python" });
    for (const e of entries) archive.add(e.name, e.seg);
    const path = file(".mska");
    writeFileSync(path, archive.toBytes());
    expectArchive(await peer.call({ op: "read_mska", path }), entries);
  });
});
